//! The suite's own, obviously correct versions: index loops, Gaussian elimination, centred
//! differences. Slow and simple, never shown to the learner.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A seeded generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// σ(z), by sign.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        z.exp() / (1.0 + z.exp())
    }
}

/// ln σ(z) = −ln(1 + e⁻ᶻ), by sign.
pub fn log_sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        -(-z).exp().ln_1p()
    } else {
        z - z.exp().ln_1p()
    }
}

/// The binomial negative log-likelihood of the logit model, by loops.
pub fn nll(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    m: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> f64 {
    let mut total = 0.0;
    for i in 0..x.nrows() {
        let eta: f64 = (0..x.ncols()).map(|j| x[[i, j]] * beta[j]).sum();
        total -= y[i] * log_sigmoid(eta) + (m[i] - y[i]) * log_sigmoid(-eta);
    }
    total
}

/// The gradient of `f` at `beta` by centred differences with step `h·(1 + |βⱼ|)`.
pub fn numerical_gradient(
    f: impl Fn(&Array1<f64>) -> f64,
    beta: &Array1<f64>,
    h: f64,
) -> Array1<f64> {
    Array1::from_shape_fn(beta.len(), |j| {
        let step = h * (1.0 + beta[j].abs());
        let mut plus = beta.clone();
        plus[j] += step;
        let mut minus = beta.clone();
        minus[j] -= step;
        (f(&plus) - f(&minus)) / (2.0 * step)
    })
}

/// `XᵀWX` by three loops.
pub fn weighted_gram(x: ArrayView2<'_, f64>, w: ArrayView1<'_, f64>) -> Array2<f64> {
    let p = x.ncols();
    Array2::from_shape_fn((p, p), |(j, k)| {
        (0..x.nrows()).map(|i| w[i] * x[[i, j]] * x[[i, k]]).sum()
    })
}

/// The logit Hessian `XᵀWX`, `wᵢ = mᵢ μᵢ (1 − μᵢ)`.
pub fn hessian(
    x: ArrayView2<'_, f64>,
    m: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Array2<f64> {
    let eta = x.dot(&beta);
    let w = Array1::from_shape_fn(eta.len(), |i| {
        m[i] * sigmoid(eta[i]) * (1.0 - sigmoid(eta[i]))
    });
    weighted_gram(x, w.view())
}

/// Solves `A x = b` by Gaussian elimination with partial pivoting.
pub fn solve(a: &Array2<f64>, b: &Array1<f64>) -> Array1<f64> {
    let n = b.len();
    let mut a = a.clone();
    let mut b = b.clone();
    for k in 0..n {
        let pivot = (k..n)
            .max_by(|&i, &j| a[[i, k]].abs().total_cmp(&a[[j, k]].abs()))
            .unwrap_or(k);
        for j in 0..n {
            a.swap([k, j], [pivot, j]);
        }
        b.swap(k, pivot);
        for i in k + 1..n {
            let f = a[[i, k]] / a[[k, k]];
            for j in k..n {
                a[[i, j]] -= f * a[[k, j]];
            }
            b[i] -= f * b[k];
        }
    }
    let mut x = Array1::zeros(n);
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|j| a[[i, j]] * x[j]).sum();
        x[i] = (b[i] - s) / a[[i, i]];
    }
    x
}

/// The diagonal of `A⁻¹`, column by column of the identity.
pub fn inverse_diagonal(a: &Array2<f64>) -> Array1<f64> {
    let n = a.nrows();
    Array1::from_shape_fn(n, |j| {
        let mut e = Array1::zeros(n);
        e[j] = 1.0;
        solve(a, &e)[j]
    })
}

/// The logit maximum-likelihood β by plain Newton from 0, to convergence in β (50 iterations at
/// most). `y` may be fractional (proportions).
pub fn newton(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    m: ArrayView1<'_, f64>,
) -> Array1<f64> {
    let mut beta = Array1::<f64>::zeros(x.ncols());
    for _ in 0..50 {
        let eta = x.dot(&beta);
        let r = Array1::from_shape_fn(eta.len(), |i| m[i] * sigmoid(eta[i]) - y[i]);
        let step = solve(&hessian(x, m, beta.view()), &x.t().dot(&r));
        beta -= &step;
        if step
            .iter()
            .zip(beta.iter())
            .all(|(d, b)| d.abs() <= 1e-15 * (1.0 + b.abs()))
        {
            break;
        }
    }
    beta
}

/// The binomial deviance, `0 ln 0 = 0`.
pub fn deviance(y: ArrayView1<'_, f64>, m: ArrayView1<'_, f64>, mu: ArrayView1<'_, f64>) -> f64 {
    let term = |y: f64, a: f64| if y > 0.0 { y * (y / a).ln() } else { 0.0 };
    2.0 * (0..y.len())
        .map(|i| term(y[i], m[i] * mu[i]) + term(m[i] - y[i], m[i] * (1.0 - mu[i])))
        .sum::<f64>()
}

/// The standard errors least squares would give: `s √diag((XᵀX)⁻¹)` with
/// `s² = ∑ (yᵢ/mᵢ − μᵢ)² / (n − p)` (the mistake of carrying exercise 01's formula over).
pub fn least_squares_se(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    m: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Array1<f64> {
    let eta = x.dot(&beta);
    let (n, p) = x.dim();
    let sse: f64 = (0..n)
        .map(|i| (y[i] / m[i] - sigmoid(eta[i])).powi(2))
        .sum();
    let s2 = sse / (n - p) as f64;
    inverse_diagonal(&x.t().dot(&x)).mapv(|d| (s2 * d).sqrt())
}

/// The Pearson dispersion `φ = ∑ (yᵢ − mᵢμᵢ)² / (mᵢμᵢ(1 − μᵢ)) / (n − p)`: scaling the standard
/// errors by √φ is the quasi-binomial model, not the binomial one.
pub fn pearson_dispersion(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    m: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> f64 {
    let eta = x.dot(&beta);
    let (n, p) = x.dim();
    let chi2: f64 = (0..n)
        .map(|i| {
            let mu = sigmoid(eta[i]);
            (y[i] - m[i] * mu).powi(2) / (m[i] * mu * (1.0 - mu))
        })
        .sum();
    chi2 / (n - p) as f64
}

/// A random binomial problem: `[1, x]` with x standard-ish uniform in [−1.5, 1.5), trials 1–5,
/// successes drawn from the logit model with coefficients `beta`.
pub fn binomial_problem(
    seed: u64,
    n: usize,
    beta: &[f64],
) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut r = rng(seed);
    let p = beta.len();
    let x = Array2::from_shape_fn((n, p), |(_, j)| {
        if j == 0 {
            1.0
        } else {
            r.random_range(-1.5..1.5)
        }
    });
    let mut y = Array1::zeros(n);
    let mut m = Array1::zeros(n);
    for i in 0..n {
        let trials = r.random_range(1..=5) as f64;
        let eta: f64 = (0..p).map(|j| x[[i, j]] * beta[j]).sum();
        let mu = sigmoid(eta);
        m[i] = trials;
        y[i] = (0..trials as usize)
            .filter(|_| r.random_range(0.0..1.0) < mu)
            .count() as f64;
    }
    (x, y, m)
}

/// The multinomial class probabilities `softmax([0 | Xβ])`, by loops.
pub fn multinomial_probabilities(x: ArrayView2<'_, f64>, beta: ArrayView2<'_, f64>) -> Array2<f64> {
    let (n, k1) = (x.nrows(), beta.ncols());
    let z = x.dot(&beta);
    let mut p = Array2::zeros((n, k1 + 1));
    for i in 0..n {
        let m = z.row(i).fold(0.0f64, |a, &v| a.max(v));
        let mut total = (-m).exp();
        p[[i, 0]] = (-m).exp();
        for k in 0..k1 {
            p[[i, k + 1]] = (z[[i, k]] - m).exp();
            total += p[[i, k + 1]];
        }
        for k in 0..=k1 {
            p[[i, k]] /= total;
        }
    }
    p
}

/// The multinomial negative log-likelihood, by loops.
pub fn multinomial_nll(x: ArrayView2<'_, f64>, labels: &[usize], beta: ArrayView2<'_, f64>) -> f64 {
    let p = multinomial_probabilities(x, beta);
    labels
        .iter()
        .enumerate()
        .map(|(i, &k)| -p[[i, k]].ln())
        .sum()
}

/// The multinomial Hessian in the stacked parameters, entry by entry.
pub fn multinomial_hessian(x: ArrayView2<'_, f64>, beta: ArrayView2<'_, f64>) -> Array2<f64> {
    let prob = multinomial_probabilities(x, beta);
    let (n, p, k1) = (x.nrows(), x.ncols(), beta.ncols());
    Array2::from_shape_fn((k1 * p, k1 * p), |(r, c)| {
        let (a, j) = (r / p, r % p);
        let (b, k) = (c / p, c % p);
        (0..n)
            .map(|i| {
                let delta = if a == b { 1.0 } else { 0.0 };
                prob[[i, a + 1]] * (delta - prob[[i, b + 1]]) * x[[i, j]] * x[[i, k]]
            })
            .sum()
    })
}

/// A random multinomial problem: `[1, x]` (n, p), labels drawn from the model with `beta`.
pub fn multinomial_problem(seed: u64, n: usize, beta: &Array2<f64>) -> (Array2<f64>, Vec<usize>) {
    let mut r = rng(seed);
    let p = beta.nrows();
    let x = Array2::from_shape_fn((n, p), |(_, j)| {
        if j == 0 {
            1.0
        } else {
            r.random_range(-1.5..1.5)
        }
    });
    let prob = multinomial_probabilities(x.view(), beta.view());
    let labels = (0..n)
        .map(|i| {
            let u: f64 = r.random_range(0.0..1.0);
            let mut acc = 0.0;
            for k in 0..prob.ncols() {
                acc += prob[[i, k]];
                if u < acc {
                    return k;
                }
            }
            prob.ncols() - 1
        })
        .collect();
    (x, labels)
}
