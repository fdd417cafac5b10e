"""The workloads of exercise 08's bench in Python: zlib's CRC-32, numpy's `.npy` save and load,
numpy's batched forward pass of a 64-32-10 ReLU network, a numpy PSI and scipy's `ks_2samp`.

The workloads of solutions/08-production/benches/production.rs:

- `crc32`: zlib.crc32 of 8 MiB of seeded random bytes;
- `artefact`: `np.save` then `np.load` of 1,000,000 f64 (a 1000 × 1000 array) to and from memory;
  and the same with `zlib.crc32` of the saved bytes, then again before loading (the checksums
  the kit's format writes and verifies; `getbuffer` so that no extra copy is made);
- `serving`: 256 rows through the network in batches of 1 … 256 (the forward pass alone: no
  queue, no threads, so a lower bound of what a Python server would take);
- `psi`: 10 bins cut at the baseline's nearest-rank quantiles, `np.searchsorted` for both
  samples, proportions floored at 1e-4, 1,000,000 against 1,000,000;
- `ks`: `scipy.stats.ks_2samp(a, b, method="asymp")`, 1,000,000 against 1,000,000.

    python benches/peers/production.py
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import io
import zlib

import numpy as np

try:
    from scipy import stats
except ImportError:  # scipy is optional: the KS row is skipped without it
    stats = None


def relu_forward(x, w1, b1, w2, b2):
    """Softmax of the 64-32-10 ReLU network's logits, row by row."""
    z = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def psi(base, cur, bins=10):
    """PSI in bins cut at the baseline's nearest-rank quantiles (ranks ⌈k·n/B⌉)."""
    s = np.sort(base)
    n = len(s)
    cuts = s[[-(-k * n // bins) - 1 for k in range(1, bins)]]
    share = lambda x: np.maximum(  # noqa: E731
        np.bincount(np.searchsorted(cuts, x, side="right"), minlength=bins) / len(x), 1e-4
    )
    e, a = share(base), share(cur)
    return float(np.sum((a - e) * np.log(a / e)))


def main():
    rng = np.random.default_rng(8)
    _common.header()

    data = rng.integers(0, 256, 8 << 20, dtype=np.uint8).tobytes()
    assert zlib.crc32(b"123456789") == 0xCBF43926
    times = _common.measure(lambda _: zlib.crc32(data))
    _common.report("crc32/zlib/8MiB", "zlib.crc32", times)

    w = rng.uniform(-1.0, 1.0, (1000, 1000))

    def npy_round_trip(_):
        buf = io.BytesIO()
        np.save(buf, w)
        buf.seek(0)
        return np.load(buf)

    assert np.array_equal(npy_round_trip(None), w)
    times = _common.measure(npy_round_trip)
    _common.report("artefact/numpy/1000000", "np.save + np.load, in memory", times)

    def checked_round_trip(_):
        buf = io.BytesIO()
        np.save(buf, w)
        crc = zlib.crc32(buf.getbuffer())
        if zlib.crc32(buf.getbuffer()) != crc:
            raise ValueError("checksum mismatch")
        buf.seek(0)
        return np.load(buf)

    assert np.array_equal(checked_round_trip(None), w)
    times = _common.measure(checked_round_trip)
    _common.report(
        "artefact/numpy-crc32/1000000", "np.save + np.load with zlib.crc32 both ways", times
    )

    a1 = np.sqrt(6.0 / 96.0)
    a2 = np.sqrt(6.0 / 42.0)
    w1, b1 = rng.uniform(-a1, a1, (64, 32)), np.zeros(32)
    w2, b2 = rng.uniform(-a2, a2, (32, 10)), np.zeros(10)
    x = rng.uniform(0.0, 1.0, (256, 64))
    for batch in (1, 4, 16, 64, 256):
        def serve(_, batch=batch):
            return [relu_forward(x[i : i + batch], w1, b1, w2, b2) for i in range(0, 256, batch)]

        times = _common.measure(serve)
        _common.report(f"serving/numpy/{batch}", "256 rows, forward pass per batch", times)

    base = rng.uniform(-1.0, 1.0, 1_000_000)
    cur = rng.uniform(-1.0, 1.0, 1_000_000) * 1.1 + 0.05
    times = _common.measure(lambda _: psi(base, cur))
    _common.report("psi/numpy/1000000", "sort, searchsorted, bincount", times)
    if stats is not None:
        times = _common.measure(lambda _: stats.ks_2samp(base, cur, method="asymp"))
        _common.report("ks/scipy/1000000", "scipy.stats.ks_2samp asymp", times)
    else:
        print("ks/scipy/1000000: skipped, scipy is not installed")


if __name__ == "__main__":
    main()
