//! Exercise 04 benches: one Newton step of logistic regression — the weighted Gram matrix
//! `XᵀWX` and the Cholesky solve `H Δ = ∇ℓ` — learner against reference and naive loops, on a
//! tall design `[1, X]` (100,000 × 32, X uniform in [−1, 1)) with binomial weights
//! `wᵢ = μᵢ (1 − μᵢ)` and a gradient computed beforehand.
//!
//! - `newton_step`: `XᵀWX` (rows scaled by w, the upper triangle's matrix products, mirrored),
//!   Cholesky, the two triangular solves. numpy does the same step with `(X * w[:, None]).T @ X`
//!   or the symmetric `(X·√w)ᵀ(X·√w)`, `np.linalg.cholesky` and two solves
//!   (`benches/peers/logistic_regression.py`; `benches/peers/side_by_side.py` runs both sides in
//!   turn and prints their ratio).
//!
//! Throughput in rows per second. The learner's row runs only once its kernel matches the
//! reference on a small probe.
//!
//! ```sh
//! cargo bench -p logistic-regression-solution --bench logistic_regression
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use logistic_regression as learner;
use logistic_regression_solution as reference;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Columns of the design, the intercept included.
const COLUMNS: usize = 32;
const ROWS: [usize; 1] = [100_000];

/// `[1, X]` (n, 32), the Newton weights and the gradient at a seeded β.
fn problem(n: usize, seed: u64) -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = Array2::from_shape_fn((n, COLUMNS), |(_, j)| {
        if j == 0 {
            1.0
        } else {
            rng.random_range(-1.0..1.0)
        }
    });
    let beta = Array1::from_shape_fn(COLUMNS, |j| 0.5 - j as f64 / COLUMNS as f64);
    let eta = x.dot(&beta);
    let mu = eta.mapv(reference::sigmoid);
    let w = mu.mapv(|m| m * (1.0 - m));
    let y = Array1::from_shape_fn(n, |_| {
        if rng.random_range(0.0..1.0) < 0.5 {
            1.0
        } else {
            0.0
        }
    });
    let g = x.t().dot(&(&mu - &y));
    (x, w, g)
}

fn size(n: usize) -> String {
    format!("{n}x{COLUMNS}")
}

fn close(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-8 * (1.0 + y.abs()))
}

/// One Newton step with the reference's kernels.
fn step_reference(
    x: ArrayView2<'_, f64>,
    w: ArrayView1<'_, f64>,
    g: ArrayView1<'_, f64>,
) -> Array1<f64> {
    let h = reference::weighted_gram(x, w).expect("valid input");
    let l = reference::cholesky(h.view()).expect("positive definite");
    reference::cholesky_solve(l.view(), g).expect("valid shapes")
}

/// One Newton step with the learner's kernels.
fn step_learner(
    x: ArrayView2<'_, f64>,
    w: ArrayView1<'_, f64>,
    g: ArrayView1<'_, f64>,
) -> Array1<f64> {
    let h = learner::weighted_gram(x, w).expect("valid input");
    let l = learner::cholesky(h.view()).expect("positive definite");
    learner::cholesky_solve(l.view(), g).expect("valid shapes")
}

/// One Newton step with `XᵀWX` by index loops over the upper triangle, then the reference's
/// Cholesky and solve.
fn step_loops(
    x: ArrayView2<'_, f64>,
    w: ArrayView1<'_, f64>,
    g: ArrayView1<'_, f64>,
) -> Array1<f64> {
    let (n, p) = x.dim();
    let mut h = Array2::<f64>::zeros((p, p));
    for i in 0..n {
        for j in 0..p {
            let wx = w[i] * x[[i, j]];
            for k in j..p {
                h[[j, k]] += wx * x[[i, k]];
            }
        }
    }
    for j in 0..p {
        for k in 0..j {
            h[[j, k]] = h[[k, j]];
        }
    }
    let l = reference::cholesky(h.view()).expect("positive definite");
    reference::cholesky_solve(l.view(), g).expect("valid shapes")
}

fn newton_step(c: &mut Criterion) {
    let (x, w, g) = problem(300, 1);
    let want = step_reference(x.view(), w.view(), g.view());
    let ready = mlings_benches::learner_ready("newton_step", || {
        close(
            step_learner(x.view(), w.view(), g.view()).view(),
            want.view(),
        )
    });
    let mut group = c.benchmark_group("newton_step");
    for n in ROWS {
        let (x, w, g) = problem(n, n as u64);
        group.throughput(Throughput::Elements(n as u64));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", size(n)), &n, |b, _| {
                b.iter(|| black_box(step_learner(black_box(x.view()), w.view(), g.view())))
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", size(n)), &n, |b, _| {
            b.iter(|| black_box(step_reference(black_box(x.view()), w.view(), g.view())))
        });
        group.bench_with_input(BenchmarkId::new("naive", size(n)), &n, |b, _| {
            b.iter(|| black_box(step_loops(black_box(x.view()), w.view(), g.view())))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = newton_step
}
criterion_main!(benches);
