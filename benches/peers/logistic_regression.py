"""One Newton step of logistic regression in numpy: the weighted Gram matrix XᵀWX and the
Cholesky solve H Δ = ∇ℓ, at 100,000 × 32.

The workload of `newton_step` in solutions/04-logistic-regression/benches/logistic_regression.rs:
the design [1, X] with X uniform in [−1, 1) (seeded), the binomial weights w = μ(1 − μ) at a fixed
β and the gradient computed beforehand. numpy has no triangular solver, so the two 32 × 32
triangular systems go through `np.linalg.solve`; at this size they cost microseconds either way.

With statsmodels installed (requirements.txt), one more row: its `Logit.hessian` (−XᵀWX formed
the way statsmodels forms it) followed by the same Cholesky solve. With `--glm`, also one whole
IRLS iteration of `GLM(y, X, Binomial()).fit(method="IRLS", maxiter=1)` from the same β, which
also forms the working response and solves the weighted least squares through a pseudo-inverse
(an SVD of the 100,000 × 32 design): far more work than one Newton step, seconds rather than
milliseconds, shown for scale only.

    python benches/peers/logistic_regression.py [--rows 100000] [--glm]
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import argparse

import numpy as np

try:
    import statsmodels.api as sm
except ImportError:  # optional: the numpy rows do not need it
    sm = None

COLUMNS = 32
BETA = 0.5 - np.arange(COLUMNS) / COLUMNS


def problem(rng, n):
    """[1, X] (n, 32), the 0/1 response, the weights μ(1 − μ) and the gradient Xᵀ(μ − y) at β."""
    x = np.hstack([np.ones((n, 1)), rng.uniform(-1.0, 1.0, (n, COLUMNS - 1))])
    mu = 1.0 / (1.0 + np.exp(-(x @ BETA)))
    y = (rng.uniform(size=n) < 0.5).astype(float)
    return x, y, mu * (1.0 - mu), x.T @ (mu - y)


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


def newton_step_statsmodels(model, g):
    """Δ solving H Δ = g with H = −`Logit.hessian(β)`, then Cholesky and two solves."""
    h = -model.hessian(BETA)
    lower = np.linalg.cholesky(h)
    return np.linalg.solve(lower.T, np.linalg.solve(lower, g))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", type=int, default=[100_000])
    parser.add_argument("--glm", action="store_true", help="also time one GLM IRLS iteration")
    args = parser.parse_args()
    rng = np.random.default_rng(4)
    _common.header()
    for n in args.rows:
        size = f"{n}x{COLUMNS}"
        x, y, w, g = problem(rng, n)
        assert np.allclose(newton_step(x, w, g), np.linalg.solve((x * w[:, None]).T @ x, g))
        times = _common.measure(lambda _: newton_step(x, w, g))
        _common.report(f"newton_step/numpy/{size}", "(X·w)ᵀX, Cholesky, two solves", times)
        times = _common.measure(lambda _: newton_step_sqrt(x, w, g))
        _common.report(f"newton_step/numpy-sqrt/{size}", "(X·√w)ᵀ(X·√w), Cholesky, two solves", times)
        if sm is None:
            print("statsmodels is not installed: its rows are skipped")
            continue
        logit = sm.Logit(y, x)
        assert np.allclose(newton_step_statsmodels(logit, g), newton_step(x, w, g))
        times = _common.measure(lambda _: newton_step_statsmodels(logit, g))
        _common.report(
            f"newton_step/statsmodels-logit/{size}", "-Logit.hessian(β), Cholesky, two solves", times
        )
        if not args.glm:
            continue
        glm = sm.GLM(y, x, family=sm.families.Binomial())
        times = _common.measure(lambda _: glm.fit(start_params=BETA, method="IRLS", maxiter=1))
        _common.report(
            f"newton_step/statsmodels-glm/{size}", "one IRLS iteration of GLM.fit (pinv WLS)", times
        )


if __name__ == "__main__":
    main()
