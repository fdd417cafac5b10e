"""One training epoch of a 64-128-10 ReLU network on the 8×8 digits, from scratch in numpy.

The workload of the `epoch` group of solutions/02-neural-network/benches/neural_network.rs: 1,437 training images (an 80/20
split of the 1,797 digits), mini-batches of 32 from a seeded shuffle, softmax cross-entropy with
L2 regularisation, forward and backward through both layers, one Adam update per batch (lr 1e-3,
β₁ 0.9, β₂ 0.999, ε 1e-8), as `train` runs an epoch, without the accuracy `train` records at
the end of it. `epoch/numpy-sgd` is the same epoch with plain SGD. It also times the `nn_step`
workload: one forward + backward pass at batch 32 and 256.

    python benches/peers/neural_network.py [PATH_TO_DIGITS_CSV_GZ]
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import argparse
import gzip
from pathlib import Path

import numpy as np

SIZES = (64, 128, 10)
REG = 1e-4
LEARNING_RATE = 0.1
BATCH = 32
DEFAULT_DIGITS = Path(__file__).resolve().parents[2] / "data" / "digits" / "digits.csv.gz"


def load_digits(path):
    """The digits as (x (N, 64) in [0, 1], labels (N,)): 64 pixels 0–16, then the label."""
    with gzip.open(path, "rt") as f:
        data = np.loadtxt(f, delimiter=",")
    return data[:, :-1] / 16.0, data[:, -1].astype(np.int64)


def init(rng):
    """He initialisation: W ~ N(0, 2 / fan_in), b = 0."""
    params = []
    for d, h in zip(SIZES[:-1], SIZES[1:]):
        params.append([rng.normal(0.0, np.sqrt(2.0 / d), size=(d, h)), np.zeros(h)])
    return params


def loss_and_gradients(params, x, y):
    """Softmax cross-entropy averaged over the batch, plus REG · ∑‖W‖², and every gradient."""
    (w1, b1), (w2, b2) = params
    n = x.shape[0]
    z = x @ w1 + b1
    h = np.maximum(z, 0.0)
    scores = h @ w2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sums = exp.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(sums[:, 0]) - shifted[np.arange(n), y])
    loss += REG * (np.sum(w1 * w1) + np.sum(w2 * w2))
    ds = exp / sums
    ds[np.arange(n), y] -= 1.0
    ds /= n
    dw2 = h.T @ ds + 2.0 * REG * w2
    db2 = ds.sum(axis=0)
    dh = ds @ w2.T
    dh[z <= 0.0] = 0.0
    dw1 = x.T @ dh + 2.0 * REG * w1
    db1 = dh.sum(axis=0)
    return loss, [(dw1, db1), (dw2, db2)]


def sgd():
    """Plain SGD: θ ← θ − η g, in place."""
    def update(param, grad):
        param -= LEARNING_RATE * grad
    return update


def adam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam with bias correction, in place; one state per parameter array, keyed by its id."""
    moments = {}
    step = [0]

    def update(param, grad):
        m, s = moments.setdefault(id(param), (np.zeros_like(param), np.zeros_like(param)))
        m *= beta1
        m += (1.0 - beta1) * grad
        s *= beta2
        s += (1.0 - beta2) * grad * grad
        t = step[0]
        param -= (lr / (1.0 - beta1**t)) * m / (np.sqrt(s / (1.0 - beta2**t)) + eps)

    def next_step():
        step[0] += 1

    update.next_step = next_step
    return update


def epoch(params, x, y, rng, update):
    """One pass over (x, y) in shuffled mini-batches, one `update` per parameter array and
    batch; returns the mean loss."""
    order = rng.permutation(x.shape[0])
    losses = []
    for start in range(0, x.shape[0], BATCH):
        idx = order[start : start + BATCH]
        loss, grads = loss_and_gradients(params, x[idx], y[idx])
        if hasattr(update, "next_step"):
            update.next_step()
        for (w, b), (dw, db) in zip(params, grads):
            update(w, dw)
            update(b, db)
        losses.append(loss)
    return float(np.mean(losses))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("digits", nargs="?", default=DEFAULT_DIGITS, type=Path,
                        help=f"the digits CSV (gzipped); default {DEFAULT_DIGITS}")
    args = parser.parse_args()
    if not args.digits.is_file():
        parser.error(f"no digits file at {args.digits}")
    x, y = load_digits(args.digits)
    rng = np.random.default_rng(2024)
    held_out = int(np.ceil(0.2 * x.shape[0]))  # 360 of 1,797, as the kit splits
    train = rng.permutation(x.shape[0])[held_out:]
    x_train, y_train = x[train], y[train]
    assert x_train.shape == (1437, 64), x_train.shape

    _common.header()
    for n in (32, 256):
        xb = rng.random((n, SIZES[0]))
        yb = rng.integers(0, SIZES[2], n)
        params = init(rng)
        times = _common.measure(lambda _: loss_and_gradients(params, xb, yb))
        _common.report(f"nn_step/numpy/{n}", f"forward + backward, 64-128-10, batch {n}", times)

    start = init(np.random.default_rng(1))
    shuffle = np.random.default_rng(2)
    fresh = lambda: [[w.copy(), b.copy()] for w, b in start]  # noqa: E731
    # A fresh network and a fresh optimiser for every timed epoch, as the Rust bench does.
    times = _common.measure(
        lambda state: epoch(state[0], x_train, y_train, shuffle, state[1]),
        setup=lambda: (fresh(), adam()),
    )
    _common.report("epoch/numpy/1437", "one epoch, 1,437 digits, batch 32, Adam", times)
    times = _common.measure(
        lambda params: epoch(params, x_train, y_train, shuffle, sgd()),
        setup=fresh,
    )
    _common.report("epoch/numpy-sgd/1437", "the same epoch with plain SGD", times)

    # Train a few epochs to show the from-scratch network really learns.
    params, update = fresh(), adam()
    for _ in range(30):
        epoch(params, x_train, y_train, shuffle, update)
    test = np.setdiff1d(np.arange(x.shape[0]), train)
    (w1, b1), (w2, b2) = params
    predictions = (np.maximum(x[test] @ w1 + b1, 0.0) @ w2 + b2).argmax(axis=1)
    print(f"(check: held-out accuracy after 30 epochs {np.mean(predictions == y[test]):.1%})")


if __name__ == "__main__":
    main()
