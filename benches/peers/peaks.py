"""What one core of this machine can do, measured: f64 GFLOP/s of a large matrix product
(OpenBLAS's dgemm, close to the core's peak) and GB/s of a STREAM-like triad a = b + s·c.

Pass the figures to `mlings bench` to rate the kernels against this machine:

    python benches/peers/peaks.py
    MLINGS_PEAK_GFLOPS=… MLINGS_PEAK_GBS=… cargo run --release -- bench
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import statistics

import numpy as np


def main():
    rng = np.random.default_rng(5)
    n = 1024
    a, b = rng.random((n, n)), rng.random((n, n))
    out = np.empty((n, n))
    times = _common.measure(lambda _: np.matmul(a, b, out=out))
    gflops = 2 * n**3 / min(times) / 1e9

    # 3 × 128 MB, far beyond the caches. numpy has no fused triad: s·c goes into `a`, then b is
    # added into `a`, so the traffic counted is what those two passes move (5 arrays of 8 bytes
    # per element; the write-allocate reads are not counted, as STREAM does not count them).
    m = 16_000_000
    x, y, z = np.empty(m), rng.random(m), rng.random(m)

    def triad(_):
        np.multiply(z, 3.0, out=x)
        np.add(x, y, out=x)

    times = _common.measure(triad)
    gbs = 5 * 8 * m / min(times) / 1e9
    print(f"dgemm {n}×{n}, one thread: {gflops:.1f} GFLOP/s (best of {len(times)} runs)")
    print(f"triad a = b + s·c, one thread: {gbs:.1f} GB/s "
          f"(best; median {5 * 8 * m / statistics.median(times) / 1e9:.1f})")
    print(f"MLINGS_PEAK_GFLOPS={gflops:.0f} MLINGS_PEAK_GBS={gbs:.0f}")


if __name__ == "__main__":
    main()
