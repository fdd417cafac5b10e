"""numpy on the workloads of solutions/07-language-model/benches/language_model.rs.

- `count`: the 27 × 27 bigram counts of the 228,146 bigrams of data/names/names.txt, from the
  names already encoded as token arrays (as the Rust side starts from the names' text, the
  encoding is timed separately as `count/numpy-encode`), with `np.add.at` and with
  `np.bincount` of a · 27 + b.
- `lm_step`: one training step of the MLP language model in float64 — batch 32, context 3,
  embedding 10, hidden 200: forward, mean softmax cross-entropy, backward by hand (the
  embedding gradient with `np.add.at`) and the SGD update at lr 0.1.
"""

import pathlib

import _common

import numpy as np  # noqa: E402

NAMES = pathlib.Path(__file__).resolve().parents[2] / "data" / "names" / "names.txt"
BATCH, BLOCK, EMBED, HIDDEN, LR = 32, 3, 10, 200, 0.1


def encode(names):
    """Every name framed by '.', as (a, b) token arrays of its bigrams."""
    a, b = [], []
    for name in names:
        tokens = [0] + [ord(c) - 96 for c in name] + [0]
        a.extend(tokens[:-1])
        b.extend(tokens[1:])
    return np.array(a), np.array(b)


def contexts(names):
    xs, ys = [], []
    for name in names:
        context = [0] * BLOCK
        for c in name + ".":
            t = 0 if c == "." else ord(c) - 96
            xs.append(list(context))
            ys.append(t)
            context = context[1:] + [t]
    return np.array(xs), np.array(ys)


def main():
    names = NAMES.read_text().split()
    a, b = encode(names)
    assert len(a) == 228_146

    def add_at(_):
        counts = np.zeros((27, 27), dtype=np.int64)
        np.add.at(counts, (a, b), 1)
        return counts

    def bincount(_):
        return np.bincount(a * 27 + b, minlength=27 * 27).reshape(27, 27)

    assert (add_at(None) == bincount(None)).all()

    rng = np.random.default_rng(1)
    x_all, y_all = contexts(names)
    rows = rng.integers(0, len(y_all), BATCH)
    x, y = x_all[rows], y_all[rows]
    params = {
        "c": rng.standard_normal((27, EMBED)),
        "w1": rng.standard_normal((BLOCK * EMBED, HIDDEN)) * (5 / 3) / np.sqrt(BLOCK * EMBED),
        "b1": rng.standard_normal(HIDDEN) * 0.01,
        "w2": rng.standard_normal((HIDDEN, 27)) * 0.01,
        "b2": np.zeros(27),
    }

    def step(_):
        p = params
        emb = p["c"][x].reshape(BATCH, -1)
        h = np.tanh(emb @ p["w1"] + p["b1"])
        logits = h @ p["w2"] + p["b2"]
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(BATCH), y]).mean()
        dlogits = probs
        dlogits[np.arange(BATCH), y] -= 1
        dlogits /= BATCH
        dw2 = h.T @ dlogits
        db2 = dlogits.sum(0)
        dpre = (dlogits @ p["w2"].T) * (1 - h * h)
        dw1 = emb.T @ dpre
        db1 = dpre.sum(0)
        demb = (dpre @ p["w1"].T).reshape(BATCH, BLOCK, EMBED)
        dc = np.zeros_like(p["c"])
        np.add.at(dc, x, demb)
        for name, g in (("c", dc), ("w1", dw1), ("b1", db1), ("w2", dw2), ("b2", db2)):
            p[name] -= LR * g
        return loss

    _common.header()
    _common.report(
        f"lm_step/numpy/{BATCH}", "one SGD step, context 3, d 10, H 200, float64", _common.measure(step)
    )
    _common.report("count/numpy-add-at/228146", "np.add.at on encoded bigrams", _common.measure(add_at))
    _common.report("count/numpy-bincount/228146", "np.bincount of a·27 + b", _common.measure(bincount))
    _common.report(
        "count/numpy-encode/228146", "encoding the names to token arrays", _common.measure(lambda _: encode(names))
    )


if __name__ == "__main__":
    main()
