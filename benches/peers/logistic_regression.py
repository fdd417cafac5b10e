"""One Newton step of logistic regression in numpy: the weighted Gram matrix XᵀWX and the
Cholesky solve H Δ = ∇ℓ, at 100,000 × 32.

The workload of `newton_step` in solutions/04-logistic-regression/benches/logistic_regression.rs:
the design [1, X] with X uniform in [−1, 1) (seeded), the binomial weights w = μ(1 − μ) at a fixed
β and the gradient computed beforehand. numpy has no triangular solver, so the two 32 × 32
triangular systems go through `np.linalg.solve`; at this size they cost microseconds either way.

    python benches/peers/logistic_regression.py [--rows 100000]
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import argparse

import numpy as np

COLUMNS = 32


def problem(rng, n):
    """[1, X] (n, 32), the weights μ(1 − μ) and the gradient Xᵀ(μ − y) at a fixed β."""
    x = np.hstack([np.ones((n, 1)), rng.uniform(-1.0, 1.0, (n, COLUMNS - 1))])
    beta = 0.5 - np.arange(COLUMNS) / COLUMNS
    mu = 1.0 / (1.0 + np.exp(-(x @ beta)))
    y = (rng.uniform(size=n) < 0.5).astype(float)
    return x, mu * (1.0 - mu), x.T @ (mu - y)


def newton_step(x, w, g):
    """Δ solving (XᵀWX) Δ = g: rows scaled by w, one product, Cholesky, two solves."""
    h = (x * w[:, None]).T @ x
    lower = np.linalg.cholesky(h)
    return np.linalg.solve(lower.T, np.linalg.solve(lower, g))


def newton_step_sqrt(x, w, g):
    """The same with the rows scaled by √w, so that the product is a symmetric rank update."""
    xs = x * np.sqrt(w)[:, None]
    h = xs.T @ xs
    lower = np.linalg.cholesky(h)
    return np.linalg.solve(lower.T, np.linalg.solve(lower, g))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", type=int, default=[100_000])
    args = parser.parse_args()
    rng = np.random.default_rng(4)
    _common.header()
    for n in args.rows:
        size = f"{n}x{COLUMNS}"
        x, w, g = problem(rng, n)
        assert np.allclose(newton_step(x, w, g), np.linalg.solve((x * w[:, None]).T @ x, g))
        times = _common.measure(lambda _: newton_step(x, w, g))
        _common.report(f"newton_step/numpy/{size}", "(X·w)ᵀX, Cholesky, two solves", times)
        times = _common.measure(lambda _: newton_step_sqrt(x, w, g))
        _common.report(f"newton_step/numpy-sqrt/{size}", "(X·√w)ᵀ(X·√w), Cholesky, two solves", times)


if __name__ == "__main__":
    main()
