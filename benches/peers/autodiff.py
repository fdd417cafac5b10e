"""PyTorch CPU autograd on the workload of `mlp_step` in solutions/05-autodiff/benches/autodiff.rs.

One forward + backward pass (loss and every gradient) of a 64-128-10 ReLU network at batch 32,
mean softmax cross-entropy plus 1e-4 · ∑ W², in float64 on one thread: the same work the
reference tape and exercise 02's hand-written backpropagation do in the criterion group
`mlp_step`. PyTorch is not in requirements.txt (its wheel and the CUDA libraries it loads even on
the CPU weigh several GB): install it on its own with `pip install torch`, then compare side by
side, round after round:

    python benches/peers/side_by_side.py --package autodiff-solution --bench autodiff \
        --rust mlp_step/reference/32 --peer autodiff.py --numpy mlp_step/pytorch/32 --rounds 5
"""

import _common  # noqa: F401  (pins the BLAS pools to one thread before torch loads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

SIZES = (64, 128, 10)
BATCH = 32
REG = 1e-4


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(1)
    params = []
    for fan_in, fan_out in zip(SIZES, SIZES[1:]):
        w = torch.tensor(rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out)), requires_grad=True)
        b = torch.zeros(fan_out, requires_grad=True)
        params += [w, b]
    x = torch.tensor(rng.random((BATCH, SIZES[0])))
    y = torch.tensor(rng.integers(0, SIZES[2], BATCH))

    def step(_):
        for p in params:
            p.grad = None
        w1, b1, w2, b2 = params
        scores = torch.relu(x @ w1 + b1) @ w2 + b2
        loss = torch.nn.functional.cross_entropy(scores, y) + REG * ((w1 * w1).sum() + (w2 * w2).sum())
        loss.backward()
        return loss.item()

    _common.header()
    times = _common.measure(step)
    _common.report(f"mlp_step/pytorch/{BATCH}", f"forward + backward, 64-128-10, batch {BATCH}", times)


if __name__ == "__main__":
    main()
