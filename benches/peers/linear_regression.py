"""Linear regression kernels on a tall design, in numpy: the normal equations with Cholesky, one
gradient-descent step, and least squares by QR, at 100,000 × 32 and 1,000,000 × 32.

The workloads of solutions/01-linear-regression/benches/linear_regression.rs. X is standard normal (seeded), y = X·β + 1 +
noise. numpy has no triangular solver, so the two 33×33 (or 32×32) triangular systems go through
`np.linalg.solve`; at this size they cost microseconds either way.

    python benches/peers/linear_regression.py [--rows 100000 1000000]
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import argparse

import numpy as np

FEATURES = 32
LEARNING_RATE = 0.1


def with_intercept(x):
    """[1, X]: the design with an intercept column first, (n, p + 1)."""
    return np.hstack([np.ones((x.shape[0], 1)), x])


def normal_equations(design, y):
    """β solving (AᵀA) β = Aᵀy by Cholesky, AᵀA = L Lᵀ, then L z = Aᵀy and Lᵀ β = z."""
    gram = design.T @ design
    rhs = design.T @ y
    lower = np.linalg.cholesky(gram)
    return np.linalg.solve(lower.T, np.linalg.solve(lower, rhs))


def gradient_step(x, y, w, b):
    """One batch gradient-descent step on the MSE (1/n)‖Xw + b − y‖²."""
    n = x.shape[0]
    residual = x @ w + b - y
    w -= LEARNING_RATE * (2.0 / n) * (x.T @ residual)
    return w, b - LEARNING_RATE * (2.0 / n) * residual.sum()


def qr_solve(x, y):
    """β minimising ‖Xβ − y‖ by Householder QR (LAPACK dgeqrf): X = QR, R β = Qᵀy."""
    q, r = np.linalg.qr(x, mode="reduced")
    return np.linalg.solve(r, q.T @ y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", type=int, default=[100_000, 1_000_000])
    args = parser.parse_args()
    rng = np.random.default_rng(4)
    _common.header()
    for n in args.rows:
        size = f"{n}x{FEATURES}"
        x = rng.standard_normal((n, FEATURES))
        beta = rng.standard_normal(FEATURES)
        y = x @ beta + 1.0 + 0.01 * rng.standard_normal(n)

        assert np.allclose(normal_equations(with_intercept(x), y)[1:], beta, atol=1e-2)
        times = _common.measure(lambda _: normal_equations(with_intercept(x), y))
        _common.report(f"normal_equations/numpy/{size}",
                       "[1, X], AᵀA, Aᵀy, Cholesky, two solves", times)
        design = with_intercept(x)
        times = _common.measure(lambda _: normal_equations(design, y))
        _common.report(f"normal_equations/numpy-prebuilt/{size}",
                       "the same, [1, X] built beforehand", times)
        del design

        times = _common.measure(
            lambda state: gradient_step(x, y, *state),
            setup=lambda: (np.zeros(FEATURES), 0.0),
        )
        _common.report(f"gradient_step/numpy/{size}", "r = Xw + b − y, Xᵀr, update", times)

        assert np.allclose(qr_solve(x, y - 1.0), beta, atol=1e-2)
        times = _common.measure(lambda _: qr_solve(x, y))
        _common.report(f"qr/numpy/{size}", "np.linalg.qr (Householder), Qᵀy, R β = Qᵀy", times)
        times = _common.measure(lambda _: np.linalg.lstsq(x, y, rcond=None))
        _common.report(f"qr/numpy-lstsq/{size}", "np.linalg.lstsq (SVD-based gelsd)", times)


if __name__ == "__main__":
    main()
