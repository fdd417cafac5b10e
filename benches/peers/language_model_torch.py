"""PyTorch CPU on the workloads of solutions/07-language-model/benches/language_model.rs.

`lm_step`: one training step of the MLP language model in float64 on one thread — batch 32,
context 3, embedding 10, hidden 200: forward, `F.cross_entropy`, autograd backward and the SGD
update at lr 0.1 (makemore's formulation). `count`: the bigram counts of the encoded
names.txt with `torch.bincount`. PyTorch is not in requirements.txt (it is large): install it on
its own,

    /tmp/peers/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu

then run `python benches/peers/language_model_torch.py` and
`cargo bench -p language-model-solution --bench language_model` on the same machine.
"""

import _common

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from language_model import BATCH, BLOCK, EMBED, HIDDEN, LR, NAMES, contexts, encode  # noqa: E402


def main():
    torch.set_num_threads(1)
    names = NAMES.read_text().split()
    a, b = encode(names)
    pairs = torch.tensor(a * 27 + b)

    rng = np.random.default_rng(1)
    x_all, y_all = contexts(names)
    rows = rng.integers(0, len(y_all), BATCH)
    x, y = torch.tensor(x_all[rows]), torch.tensor(y_all[rows])
    c = torch.tensor(rng.standard_normal((27, EMBED)), requires_grad=True)
    w1 = torch.tensor(
        rng.standard_normal((BLOCK * EMBED, HIDDEN)) * (5 / 3) / np.sqrt(BLOCK * EMBED), requires_grad=True
    )
    b1 = torch.tensor(rng.standard_normal(HIDDEN) * 0.01, requires_grad=True)
    w2 = torch.tensor(rng.standard_normal((HIDDEN, 27)) * 0.01, requires_grad=True)
    b2 = torch.zeros(27, dtype=torch.float64, requires_grad=True)
    params = [c, w1, b1, w2, b2]

    def step(_):
        for p in params:
            p.grad = None
        emb = c[x].view(BATCH, -1)
        h = torch.tanh(emb @ w1 + b1)
        loss = F.cross_entropy(h @ w2 + b2, y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        return loss.item()

    _common.header()
    _common.report(f"lm_step/pytorch/{BATCH}", "one SGD step, F.cross_entropy, float64", _common.measure(step))
    _common.report(
        "count/pytorch-bincount/228146",
        "torch.bincount of a·27 + b",
        _common.measure(lambda _: torch.bincount(pairs, minlength=27 * 27).view(27, 27)),
    )


if __name__ == "__main__":
    main()
