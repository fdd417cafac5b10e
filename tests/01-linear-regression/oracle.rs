//! The suite's own slow, obviously correct implementations (plain loops over `Vec`s), to grade
//! against: the textbook Householder QR, the Gram matrix, residuals, and seeded random problems.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

/// A seeded generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// An `(r, c)` array of standard normal numbers times `scale`.
pub fn randn(rng: &mut StdRng, r: usize, c: usize, scale: f64) -> Array2<f64> {
    Array2::from_shape_simple_fn((r, c), || {
        let v: f64 = StandardNormal.sample(rng);
        scale * v
    })
}

/// A vector of standard normal numbers times `scale`.
pub fn randn1(rng: &mut StdRng, n: usize, scale: f64) -> Array1<f64> {
    Array1::from_shape_simple_fn(n, || {
        let v: f64 = StandardNormal.sample(rng);
        scale * v
    })
}

/// A well-conditioned least-squares problem: standard normal features plus a shift (so no
/// column is centred), an intercept column first when `intercept`, and
/// `y = Xβ + 0.1·noise` with β drawn at random.
pub fn problem(
    seed: u64,
    n: usize,
    features: usize,
    intercept: bool,
) -> (Array2<f64>, Array1<f64>) {
    let mut r = rng(seed);
    let raw = randn(&mut r, n, features, 1.0) + 0.5;
    let x = if intercept {
        let mut d = Array2::ones((n, features + 1));
        d.slice_mut(ndarray::s![.., 1..]).assign(&raw);
        d
    } else {
        raw
    };
    let beta = randn1(&mut r, x.ncols(), 2.0);
    let y = matvec(x.view(), beta.view()) + randn1(&mut r, n, 0.1);
    (x, y)
}

/// `X β` by loops.
pub fn matvec(x: ArrayView2<'_, f64>, beta: ArrayView1<'_, f64>) -> Array1<f64> {
    Array1::from_shape_fn(x.nrows(), |i| {
        (0..x.ncols()).map(|j| x[[i, j]] * beta[j]).sum()
    })
}

/// `(XᵀX, Xᵀy)` by loops.
pub fn normal_equations(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
) -> (Array2<f64>, Array1<f64>) {
    let (n, p) = x.dim();
    let gram = Array2::from_shape_fn((p, p), |(j, k)| (0..n).map(|i| x[[i, j]] * x[[i, k]]).sum());
    let xty = Array1::from_shape_fn(p, |j| (0..n).map(|i| x[[i, j]] * y[i]).sum());
    (gram, xty)
}

/// `∑ (yᵢ − (Xβ)ᵢ)²`.
pub fn sse(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>, beta: ArrayView1<'_, f64>) -> f64 {
    let fit = matvec(x, beta);
    y.iter()
        .zip(fit.iter())
        .map(|(a, b)| (a - b) * (a - b))
        .sum()
}

/// The textbook Householder QR of `[X | y]`, column by column on a copy held as columns:
/// `(R, Qᵀy)` with a positive diagonal of `R`.
pub fn householder(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> (Array2<f64>, Array1<f64>) {
    let (n, p) = x.dim();
    let mut cols: Vec<Vec<f64>> = (0..p).map(|j| x.column(j).to_vec()).collect();
    cols.push(y.to_vec());
    for k in 0..p.min(n) {
        let norm = cols[k][k..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            continue;
        }
        let alpha = if cols[k][k] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = cols[k][k..].to_vec();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|a| a * a).sum();
        for col in cols.iter_mut().skip(k) {
            let s: f64 = v.iter().zip(&col[k..]).map(|(a, b)| a * b).sum::<f64>() * 2.0 / vv;
            for (c, a) in col[k..].iter_mut().zip(&v) {
                *c -= s * a;
            }
        }
    }
    let mut r = Array2::from_shape_fn(
        (p, p),
        |(i, j)| if i <= j && i < n { cols[j][i] } else { 0.0 },
    );
    let mut qty = Array1::from_shape_fn(p, |i| if i < n { cols[p][i] } else { 0.0 });
    for i in 0..p {
        if r[[i, i]] < 0.0 {
            r.row_mut(i).mapv_inplace(|v| -v);
            qty[i] = -qty[i];
        }
    }
    (r, qty)
}

/// Solves `U x = b`, `U` upper triangular, bottom row first.
pub fn back_substitute(u: ArrayView2<'_, f64>, b: ArrayView1<'_, f64>) -> Array1<f64> {
    let p = b.len();
    let mut x = vec![0.0; p];
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|k| u[[i, k]] * x[k]).sum();
        x[i] = (b[i] - s) / u[[i, i]];
    }
    Array1::from(x)
}

/// Least squares by the textbook Householder QR: `(β, R)`.
pub fn lstsq(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> (Array1<f64>, Array2<f64>) {
    let (r, qty) = householder(x, y);
    (back_substitute(r.view(), qty.view()), r)
}

/// `R` and `Qᵀy` with every row's sign flipped so that `R`'s diagonal is ≥ 0: two valid QR
/// factorisations differ only by those signs.
pub fn sign_normalised(r: &Array2<f64>, qty: &Array1<f64>) -> (Array2<f64>, Array1<f64>) {
    let mut r = r.clone();
    let mut qty = qty.clone();
    for i in 0..r.nrows().min(r.ncols()).min(qty.len()) {
        if r[[i, i]] < 0.0 {
            r.row_mut(i).mapv_inplace(|v| -v);
            qty[i] = -qty[i];
        }
    }
    (r, qty)
}

/// The standard errors `s ‖row j of R⁻¹‖`, with `R⁻¹` by back substitution of unit vectors.
pub fn standard_errors(r: ArrayView2<'_, f64>, s: f64) -> Array1<f64> {
    let p = r.nrows();
    let mut norms2 = vec![0.0; p];
    for k in 0..p {
        let e = Array1::from_shape_fn(p, |i| if i == k { 1.0 } else { 0.0 });
        let c = back_substitute(r, e.view());
        for (n, v) in norms2.iter_mut().zip(c.iter()) {
            *n += v * v;
        }
    }
    Array1::from_iter(norms2.into_iter().map(|v| s * v.sqrt()))
}

/// The MSE `(1/n) ‖Xw + b − y‖²` by loops.
pub fn mse_loss(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    w: ArrayView1<'_, f64>,
    b: f64,
) -> f64 {
    let fit = matvec(x, w);
    fit.iter()
        .zip(y.iter())
        .map(|(f, y)| (f + b - y) * (f + b - y))
        .sum::<f64>()
        / y.len() as f64
}

/// The centred-difference gradient of `f` at `v`, step `h`.
pub fn numerical_gradient(f: impl Fn(&Array1<f64>) -> f64, v: &Array1<f64>, h: f64) -> Array1<f64> {
    let mut probe = v.clone();
    Array1::from_shape_fn(v.len(), |i| {
        let old = probe[i];
        probe[i] = old + h;
        let up = f(&probe);
        probe[i] = old - h;
        let down = f(&probe);
        probe[i] = old;
        (up - down) / (2.0 * h)
    })
}

/// How [`gradient_descent`] steps: as the contract says, or as a known mistake does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GdRule {
    /// Standardised features, `w ← w − η ∇w`, `b ← b − η ∇b`.
    Contract,
    /// `w ← w + η ∇w`: uphill.
    Uphill,
    /// `w ← w − η² ∇w`: the learning rate applied twice.
    EtaTwice,
    /// The raw features, never standardised.
    Unstandardised,
}

/// What [`gradient_descent`] ends with, in the units of the original features.
#[derive(Debug, Clone, PartialEq)]
pub struct GdRun {
    /// The loss before each step.
    pub history: Vec<f64>,
    /// The intercept, mapped back.
    pub intercept: f64,
    /// The coefficients, mapped back.
    pub coefficients: Array1<f64>,
    /// The weights and bias on the features gradient descent saw, before mapping back.
    pub w: Array1<f64>,
    /// See `w`.
    pub b: f64,
    /// The iteration whose loss was first not finite.
    pub diverged_at: Option<usize>,
}

/// Batch gradient descent by loops, following `rule`.
pub fn gradient_descent(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    eta: f64,
    iterations: usize,
    rule: GdRule,
) -> GdRun {
    let (n, d) = x.dim();
    let nf = n as f64;
    let mean: Vec<f64> = (0..d).map(|j| x.column(j).sum() / nf).collect();
    let std: Vec<f64> = (0..d)
        .map(|j| {
            (x.column(j)
                .iter()
                .map(|v| (v - mean[j]).powi(2))
                .sum::<f64>()
                / nf)
                .sqrt()
        })
        .collect();
    let (mean, std) = if rule == GdRule::Unstandardised {
        (vec![0.0; d], vec![1.0; d])
    } else {
        (mean, std)
    };
    let xs = Array2::from_shape_fn((n, d), |(i, j)| (x[[i, j]] - mean[j]) / std[j]);
    let mut w = Array1::<f64>::zeros(d);
    let mut b = 0.0;
    let mut history = Vec::new();
    let mut diverged_at = None;
    let step = match rule {
        GdRule::Uphill => -eta,
        GdRule::EtaTwice => eta * eta,
        GdRule::Contract | GdRule::Unstandardised => eta,
    };
    for iteration in 0..iterations {
        let r: Vec<f64> = (0..n)
            .map(|i| (0..d).map(|j| xs[[i, j]] * w[j]).sum::<f64>() + b - y[i])
            .collect();
        let loss = r.iter().map(|v| v * v).sum::<f64>() / nf;
        if !loss.is_finite() {
            diverged_at = Some(iteration);
            break;
        }
        history.push(loss);
        let dw: Vec<f64> = (0..d)
            .map(|j| 2.0 / nf * (0..n).map(|i| xs[[i, j]] * r[i]).sum::<f64>())
            .collect();
        let db = 2.0 / nf * r.iter().sum::<f64>();
        for j in 0..d {
            w[j] -= step * dw[j];
        }
        b -= step * db;
    }
    let coefficients = Array1::from_shape_fn(d, |j| w[j] / std[j]);
    let intercept = b - (0..d).map(|j| coefficients[j] * mean[j]).sum::<f64>();
    GdRun {
        history,
        intercept,
        coefficients,
        w,
        b,
        diverged_at,
    }
}

/// `x` to the powers 0 … `degree` (the columns of a polynomial design with an intercept), by
/// successive products.
pub fn polynomial_design(x: ArrayView1<'_, f64>, degree: usize) -> Array2<f64> {
    Array2::from_shape_fn((x.len(), degree + 1), |(i, j)| {
        (0..j).fold(1.0, |power, _| power * x[i])
    })
}
