//! Exercise 01 benches: the learner's linear-regression kernels against the reference and
//! naive loops, on a tall design X (n, 32) with uniform features and `y = Xβ + 1 + noise`.
//!
//! - `normal_equations`: β from the normal equations on `[1, X]` (n, 33), built beforehand:
//!   XᵀX, Xᵀy, Cholesky and the two triangular solves (target ≤ 40 ms at 1,000,000 rows;
//!   numpy takes 83 ms with the design built inside, 40–50 ms without);
//! - `gradient_step`: one batch gradient-descent step on the MSE, `r = Xw + b − y`, `Xᵀr`, the
//!   update (target ≤ 30 ms at 1,000,000 rows; numpy 47 ms);
//! - `qr`: least squares by Householder QR, `R β = Qᵀy` (target ≤ 0.5 s at 1,000,000 rows;
//!   `np.linalg.lstsq` and scikit-learn take 1.1 s); naive: the suite's textbook Householder
//!   loops (`tests/01-linear-regression/oracle.rs`).
//!
//! Sizes 100,000 × 32 and 1,000,000 × 32; throughput in rows per second. The naive loops run at
//! 100,000 rows only (seconds per iteration at 1,000,000). The learner's rows run only once its
//! kernel matches the reference on a small probe.
//!
//! ```sh
//! cargo bench -p linear-regression-solution --bench linear_regression
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use linear_regression as learner;
use linear_regression_solution as reference;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, s};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The suite's loops (the bench's naive QR is its textbook Householder least squares).
#[allow(dead_code)]
#[path = "../../../tests/01-linear-regression/oracle.rs"]
mod oracle;

const FEATURES: usize = 32;
const ROWS: [usize; 2] = [100_000, 1_000_000];
/// The naive loops are benchmarked up to this many rows.
const NAIVE_ROWS: usize = 100_000;
const LEARNING_RATE: f64 = 0.1;

/// `[1, X]` (n, 33) and y, seeded: X uniform in [−1, 1), `y = Xβ + 1 + 0.01·noise`.
fn problem(n: usize, seed: u64) -> (Array2<f64>, Array1<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut design = Array2::ones((n, FEATURES + 1));
    design
        .slice_mut(s![.., 1..])
        .mapv_inplace(|_| rng.random_range(-1.0..1.0));
    let beta = Array1::from_shape_fn(FEATURES + 1, |j| 1.0 + j as f64 / 8.0);
    let y =
        design.dot(&beta) + Array1::from_shape_simple_fn(n, || 0.01 * rng.random_range(-1.0..1.0));
    (design, y)
}

fn size(n: usize) -> String {
    format!("{n}x{FEATURES}")
}

fn close(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-8 * (1.0 + y.abs()))
}

/// Normal equations by index loops: the upper triangle of AᵀA and Aᵀy element by element, then
/// Cholesky and the two solves of the reference.
fn normal_equations_loops(a: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Array1<f64> {
    let (n, q) = a.dim();
    let mut gram = Array2::<f64>::zeros((q, q));
    let mut aty = Array1::<f64>::zeros(q);
    for i in 0..n {
        for j in 0..q {
            for k in j..q {
                gram[[j, k]] += a[[i, j]] * a[[i, k]];
            }
            aty[j] += a[[i, j]] * y[i];
        }
    }
    for j in 0..q {
        for k in 0..j {
            gram[[j, k]] = gram[[k, j]];
        }
    }
    let l = reference::cholesky(gram.view()).expect("positive definite");
    let z = reference::forward_substitution(l.view(), aty.view()).expect("nonsingular");
    reference::back_substitution(l.t(), z.view()).expect("nonsingular")
}

/// One gradient step by index loops, in two passes: r = Xw + b − y, then Xᵀr.
fn gradient_step_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    w: &mut Array1<f64>,
    b: &mut f64,
) {
    let (n, p) = x.dim();
    let mut r = vec![0.0; n];
    for i in 0..n {
        let mut fit = *b;
        for j in 0..p {
            fit += x[[i, j]] * w[j];
        }
        r[i] = fit - y[i];
    }
    let scale = 2.0 / n as f64;
    let mut db = 0.0;
    for (j, wj) in w.iter_mut().enumerate() {
        let mut g = 0.0;
        for i in 0..n {
            g += x[[i, j]] * r[i];
        }
        *wj -= LEARNING_RATE * scale * g;
    }
    for ri in &r {
        db += ri;
    }
    *b -= LEARNING_RATE * scale * db;
}

fn normal_equations(c: &mut Criterion) {
    let (a, y) = problem(200, 1);
    let want = reference::solve_normal_equations(a.view(), y.view()).expect("reference");
    let ready = mlings_benches::learner_ready("normal_equations", || {
        learner::solve_normal_equations(a.view(), y.view())
            .is_ok_and(|got| close(got.view(), want.view()))
    });
    let mut group = c.benchmark_group("normal_equations");
    for n in ROWS {
        let (a, y) = problem(n, n as u64);
        group.throughput(Throughput::Elements(n as u64));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", size(n)), &n, |b, _| {
                b.iter(|| {
                    black_box(learner::solve_normal_equations(
                        black_box(a.view()),
                        y.view(),
                    ))
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", size(n)), &n, |b, _| {
            b.iter(|| {
                black_box(reference::solve_normal_equations(
                    black_box(a.view()),
                    y.view(),
                ))
            })
        });
        if n <= NAIVE_ROWS {
            group.bench_with_input(BenchmarkId::new("naive", size(n)), &n, |b, _| {
                b.iter(|| black_box(normal_equations_loops(black_box(a.view()), y.view())))
            });
        }
    }
    group.finish();
}

fn gradient_step(c: &mut Criterion) {
    let (a, y) = problem(200, 2);
    let x = a.slice(s![.., 1..]);
    let w = Array1::from_shape_fn(FEATURES, |j| 0.1 * j as f64);
    let want = reference::mse_gradient(x, y.view(), w.view(), 0.5).expect("reference");
    let ready = mlings_benches::learner_ready("gradient_step", || {
        learner::mse_gradient(x, y.view(), w.view(), 0.5).is_ok_and(|got| {
            close(got.dw.view(), want.dw.view()) && (got.db - want.db).abs() < 1e-9
        })
    });
    let mut group = c.benchmark_group("gradient_step");
    for n in ROWS {
        let (a, y) = problem(n, n as u64 + 1);
        // X without the intercept column, in its own standard-layout array as a learner has it.
        let x = a.slice(s![.., 1..]).to_owned();
        drop(a);
        group.throughput(Throughput::Elements(n as u64));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", size(n)), &n, |bench, _| {
                let (mut w, mut b) = (Array1::zeros(FEATURES), 0.0);
                bench.iter(|| {
                    let g = learner::mse_gradient(black_box(x.view()), y.view(), w.view(), b)
                        .expect("valid shapes");
                    w.scaled_add(-LEARNING_RATE, &g.dw);
                    b -= LEARNING_RATE * g.db;
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", size(n)), &n, |bench, _| {
            let (mut w, mut b) = (Array1::zeros(FEATURES), 0.0);
            bench.iter(|| {
                let g = reference::mse_gradient(black_box(x.view()), y.view(), w.view(), b)
                    .expect("valid shapes");
                w.scaled_add(-LEARNING_RATE, &g.dw);
                b -= LEARNING_RATE * g.db;
            })
        });
        if n <= NAIVE_ROWS {
            group.bench_with_input(BenchmarkId::new("naive", size(n)), &n, |bench, _| {
                let (mut w, mut b) = (Array1::zeros(FEATURES), 0.0);
                bench.iter(|| gradient_step_loops(black_box(x.view()), y.view(), &mut w, &mut b))
            });
        }
    }
    group.finish();
}

fn qr(c: &mut Criterion) {
    let (a, y) = problem(300, 3);
    let x = a.slice(s![.., 1..]);
    let want = reference::qr_solve(x, y.view()).expect("reference");
    let ready = mlings_benches::learner_ready("qr", || {
        learner::qr_solve(x, y.view()).is_ok_and(|got| close(got.view(), want.view()))
    });
    let mut group = c.benchmark_group("qr");
    for n in ROWS {
        let (a, y) = problem(n, n as u64 + 2);
        let x = a.slice(s![.., 1..]).to_owned();
        drop(a);
        group.throughput(Throughput::Elements(n as u64));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", size(n)), &n, |b, _| {
                b.iter(|| black_box(learner::qr_solve(black_box(x.view()), y.view())))
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", size(n)), &n, |b, _| {
            b.iter(|| black_box(reference::qr_solve(black_box(x.view()), y.view())))
        });
        if n <= NAIVE_ROWS {
            group.bench_with_input(BenchmarkId::new("naive", size(n)), &n, |b, _| {
                b.iter(|| black_box(oracle::lstsq(black_box(x.view()), y.view())))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = normal_equations, gradient_step, qr
}
criterion_main!(benches);
