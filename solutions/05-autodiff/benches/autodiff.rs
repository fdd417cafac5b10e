//! Exercise 05 benches: what recording a graph and walking it back costs.
//!
//! - `mlp_step`: one forward + backward pass (loss and every gradient) of exercise 02's 64-128-10
//!   ReLU network at batch 32, L2 strength 1e-4. `reference`: through this crate's tape (reset,
//!   record the loss, backward); `learner`: the same through the learner's tape; `naive`: the
//!   baseline, exercise 02's hand-written backpropagation as the suite writes it
//!   (`tests/05-autodiff/oracle.rs`, `mlp_backprop`: the same matrix products, no tape) on the same
//!   weights and batch. The ratio reference / naive is the tape's overhead.
//! - `scalar_engine`: micrograd's first expression recorded and differentiated on the scalar
//!   graph, repeated 1,000 times on one graph (13,000 nodes); throughput in nodes per second.
//! - `hessian_vector_product`: the same graph recorded, then `∂²y/∂x² · 1` forward over reverse
//!   (`reference`, `learner`); `naive`: centred differences of two gradients, each on a graph
//!   recorded at x ± h. Forward over reverse costs one recording and about two sweeps.
//!
//! The learner's rows run only once its result matches the reference on a small probe.
//!
//! ```sh
//! cargo bench -p autodiff-solution --bench autodiff
//! ```

use std::hint::black_box;

use autodiff as learner;
use autodiff_solution as reference;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array2;
// The suite's oracle reads the crate it checks as `sut`: here, the reference.
use autodiff_solution as sut;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const SIZES: [usize; 3] = [64, 128, 10];
const BATCH: usize = 32;
const REG: f64 = 1e-4;
/// Copies of micrograd's expression in one scalar graph.
const COPIES: usize = 1000;

/// The suite's hand-written backpropagation, the naive baseline (the bench uses one function).
#[allow(dead_code)]
#[path = "../../../tests/05-autodiff/oracle.rs"]
mod oracle;

/// Exercise 02's 64-128-10 network with He weights and small biases (seed 1), as `(W, b)`.
fn layers() -> Vec<reference::LayerArrays> {
    oracle::random_layers(1, &SIZES)
}

fn batch(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = Array2::from_shape_simple_fn((n, SIZES[0]), || rng.random_range(0.0..1.0));
    let y = (0..n).map(|_| rng.random_range(0..SIZES[2])).collect();
    (x, y)
}

/// Defines, for one crate, a tape step and a scalar-engine run with the same code.
macro_rules! engine {
    ($module:ident, $krate:ident) => {
        mod $module {
            use super::*;

            /// Resets the tape, records the loss and runs backward; returns the loss.
            pub fn step(
                net: &$krate::Mlp,
                tape: &mut $krate::Tape,
                x: &Array2<f64>,
                y: &[usize],
            ) -> f64 {
                tape.reset();
                tape.zero_grad();
                let loss = net.loss(tape, x.view(), y, REG).expect("a valid batch");
                tape.backward(loss).expect("a (1, 1) loss");
                tape.value(loss).expect("on the tape")[[0, 0]]
            }

            /// The first layer's weight gradient after one step on `x`.
            pub fn dw1(
                layers: &[reference::LayerArrays],
                x: &Array2<f64>,
                y: &[usize],
            ) -> Array2<f64> {
                let mut tape = $krate::Tape::new();
                let net = $krate::Mlp::new(&mut tape, layers).expect("valid layers");
                step(&net, &mut tape, x, y);
                net.gradients(&tape).expect("on the tape")[0].0.clone()
            }

            /// `copies` of micrograd's first expression on one graph, and backward from their sum.
            pub fn scalar(copies: usize) -> f64 {
                let (mut g, x, total) = expression(copies, -4.0);
                g.backward(total).expect("a node of the graph");
                g.grad(x).expect("a node of the graph")
            }

            /// `copies` of micrograd's first expression at `x0` on one graph: the graph, `x` and
            /// the sum.
            pub fn expression(
                copies: usize,
                x0: f64,
            ) -> ($krate::Graph, $krate::Value, $krate::Value) {
                let mut g = $krate::Graph::new();
                let x = g.leaf(x0);
                let two = g.leaf(2.0);
                let mut total = g.leaf(0.0);
                for _ in 0..copies {
                    let run = |g: &mut $krate::Graph| -> Result<_, $krate::AdError> {
                        let t = g.mul(two, x)?;
                        let t = g.add(t, two)?;
                        let z = g.add(t, x)?;
                        let rz = g.relu(z)?;
                        let zx = g.mul(z, x)?;
                        let q = g.add(rz, zx)?;
                        let zz = g.mul(z, z)?;
                        let h = g.relu(zz)?;
                        let hq = g.add(h, q)?;
                        let qx = g.mul(q, x)?;
                        let y = g.add(hq, qx)?;
                        g.add(total, y)
                    };
                    total = run(&mut g).expect("valid nodes");
                }
                (g, x, total)
            }

            /// The expression recorded at x = −4, and `∂²total/∂x² · 1` by forward over reverse.
            pub fn hvp(copies: usize) -> f64 {
                let (g, x, total) = expression(copies, -4.0);
                g.hessian_vector_product(total, &[x], &[1.0])
                    .expect("nodes of the graph")[0]
            }
        }
    };
}

engine!(reference_engine, reference);
engine!(learner_engine, learner);

fn mlp_step(c: &mut Criterion) {
    let layers = layers();
    let (x, y) = batch(BATCH, 32);
    let ready = mlings_benches::learner_ready("mlp_step", || {
        let (px, py) = batch(8, 7);
        let want = reference_engine::dw1(&layers, &px, &py);
        let got = learner_engine::dw1(&layers, &px, &py);
        got.shape() == want.shape()
            && got
                .iter()
                .zip(&want)
                .all(|(g, w)| (g - w).abs() <= 1e-9 * (1.0 + w.abs()))
    });
    let mut group = c.benchmark_group("mlp_step");
    group.throughput(Throughput::Elements(BATCH as u64));
    if ready {
        let mut tape = learner::Tape::new();
        let mlp = learner::Mlp::new(&mut tape, &layers).expect("valid layers");
        group.bench_with_input(BenchmarkId::new("learner", BATCH), &BATCH, |b, _| {
            b.iter(|| black_box(learner_engine::step(&mlp, &mut tape, black_box(&x), &y)))
        });
    }
    let mut tape = reference::Tape::new();
    let mlp = reference::Mlp::new(&mut tape, &layers).expect("valid layers");
    group.bench_with_input(BenchmarkId::new("reference", BATCH), &BATCH, |b, _| {
        b.iter(|| black_box(reference_engine::step(&mlp, &mut tape, black_box(&x), &y)))
    });
    group.bench_with_input(BenchmarkId::new("naive", BATCH), &BATCH, |b, _| {
        b.iter(|| black_box(oracle::mlp_backprop(&layers, black_box(x.view()), &y, REG)))
    });
    group.finish();
}

fn scalar_engine(c: &mut Criterion) {
    let ready = mlings_benches::learner_ready("scalar_engine", || {
        learner_engine::scalar(3) == reference_engine::scalar(3)
    });
    let mut group = c.benchmark_group("scalar_engine");
    // 11 nodes per copy of the expression and its sum, plus the three leaves.
    group.throughput(Throughput::Elements((12 * COPIES + 3) as u64));
    if ready {
        group.bench_with_input(BenchmarkId::new("learner", COPIES), &COPIES, |b, &n| {
            b.iter(|| black_box(learner_engine::scalar(black_box(n))))
        });
    }
    group.bench_with_input(BenchmarkId::new("reference", COPIES), &COPIES, |b, &n| {
        b.iter(|| black_box(reference_engine::scalar(black_box(n))))
    });
    group.finish();
}

/// `∂²total/∂x²` by centred differences of two gradients, each with its own graph, h = 1e-4.
fn hvp_by_differences(copies: usize) -> f64 {
    let h = 1e-4;
    let gradient = |x0: f64| {
        let (mut g, x, total) = reference_engine::expression(copies, x0);
        g.backward(total).expect("a node of the graph");
        g.grad(x).expect("a node of the graph")
    };
    (gradient(-4.0 + h) - gradient(-4.0 - h)) / (2.0 * h)
}

fn hessian_vector_product(c: &mut Criterion) {
    let ready = mlings_benches::learner_ready("hessian_vector_product", || {
        let (got, want) = (learner_engine::hvp(3), reference_engine::hvp(3));
        (got - want).abs() <= 1e-9 * (1.0 + want.abs())
    });
    let mut group = c.benchmark_group("hessian_vector_product");
    group.throughput(Throughput::Elements((12 * COPIES + 3) as u64));
    if ready {
        group.bench_with_input(BenchmarkId::new("learner", COPIES), &COPIES, |b, &n| {
            b.iter(|| black_box(learner_engine::hvp(black_box(n))))
        });
    }
    group.bench_with_input(BenchmarkId::new("reference", COPIES), &COPIES, |b, &n| {
        b.iter(|| black_box(reference_engine::hvp(black_box(n))))
    });
    group.bench_with_input(BenchmarkId::new("naive", COPIES), &COPIES, |b, &n| {
        b.iter(|| black_box(hvp_by_differences(black_box(n))))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = mlp_step, scalar_engine, hessian_vector_product
}
criterion_main!(benches);
