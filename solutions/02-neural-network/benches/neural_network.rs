//! Exercise 02 benches: the learner's neural network against the reference and naive loops.
//!
//! - `nn_step`: one forward + backward pass (loss and every gradient) of a 64-128-10 ReLU network
//!   at batch 32 and 256;
//! - `matmul`: the dense layer's matrix product `x · W + b` at those sizes, the learner's and the
//!   reference's `dense_forward` (ndarray's `dot`) against three naive loops (the suite's
//!   oracle, `tests/02-neural-network/oracle.rs`);
//! - `epoch`: one training epoch on the 1,437 training digits, batch 32, Adam: every mini-batch's
//!   forward, backward and update, as `train` runs them, without the end-of-epoch accuracy (the
//!   same workload as `benches/peers/neural_network.py`).
//!
//! Throughput is in samples per second. The learner's rows run only once its kernel matches the
//! reference on a small probe.
//!
//! ```sh
//! cargo bench -p neural-network-solution --bench neural_network
//! ```

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::{Array2, ArrayView2, Axis};
use neural_network as learner;
use neural_network_solution as reference;
// The suite's oracle and data loader read the crate they check as `sut`: here, the reference.
use neural_network_solution as sut;
use rand::SeedableRng;
use rand::rngs::StdRng;

const SIZES: [usize; 3] = [64, 128, 10];
const BATCHES: [usize; 2] = [32, 256];
const REG: f64 = 1e-4;

/// The suite's loops, the naive baseline (the bench uses a few of them).
#[allow(dead_code)]
#[path = "../../../tests/02-neural-network/oracle.rs"]
mod oracle;

/// The suite's loader of the digits.
#[path = "../../../tests/02-neural-network/data.rs"]
mod data;

/// One forward + backward pass of a dense-ReLU-dense network with the oracle's loops everywhere:
/// what [`reference::Mlp::loss_and_gradients`] computes, without the input layer's dx that no
/// update needs (the oracle's own network pass computes it, a third more work).
fn step_loops(
    net: &reference::Mlp,
    x: ArrayView2<'_, f64>,
    labels: &[usize],
) -> (f64, Vec<reference::Gradient>) {
    let (l1, l2) = (&net.layers[0], &net.layers[1]);
    let z = oracle::dense(x, l1.w.view(), l1.b.view());
    let h = z.mapv(|v| v.max(0.0));
    let scores = oracle::dense(h.view(), l2.w.view(), l2.b.view());
    let (loss, ds) = oracle::cross_entropy(scores.view(), labels, false);
    let dw2 = oracle::matmul(h.t(), ds.view());
    let db2 = ds.sum_axis(Axis(0));
    let mut dh = oracle::matmul(ds.view(), l2.w.t());
    dh.zip_mut_with(&z, |g, &zv| {
        if zv <= 0.0 {
            *g = 0.0
        }
    });
    let dw1 = oracle::matmul(x.t(), dh.view());
    let db1 = dh.sum_axis(Axis(0));
    let reg_loss =
        REG * (l1.w.iter().map(|v| v * v).sum::<f64>() + l2.w.iter().map(|v| v * v).sum::<f64>());
    (
        loss + reg_loss,
        vec![
            reference::Gradient {
                dw: dw1 + 2.0 * REG * &l1.w,
                db: db1,
            },
            reference::Gradient {
                dw: dw2 + 2.0 * REG * &l2.w,
                db: db2,
            },
        ],
    )
}

fn reference_net() -> reference::Mlp {
    reference::Mlp::new(&SIZES, reference::Activation::Relu, reference::Init::He, 1)
        .expect("a valid network")
}

fn learner_net(net: &reference::Mlp) -> learner::Mlp {
    learner::Mlp {
        layers: net
            .layers
            .iter()
            .map(|l| learner::Dense {
                w: l.w.clone(),
                b: l.b.clone(),
            })
            .collect(),
        activation: learner::Activation::Relu,
    }
}

fn batch(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    use rand::RngExt;
    let mut rng = StdRng::seed_from_u64(seed);
    let x = Array2::from_shape_simple_fn((n, SIZES[0]), || rng.random_range(0.0..1.0));
    let y = (0..n).map(|_| rng.random_range(0..SIZES[2])).collect();
    (x, y)
}

fn close(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.shape() == b.shape()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + y.abs()))
}

fn digits_train() -> reference::Dataset {
    let digits = data::digits().unwrap_or_else(|e| panic!("{e}"));
    // The suite's split: 1,437 training images, 360 held out.
    digits.split(0.2, 2024).0
}

fn nn_step(c: &mut Criterion) {
    let net = reference_net();
    let learner = learner_net(&net);
    let ready = mlings_benches::learner_ready("nn_step", || {
        let (x, y) = batch(8, 7);
        let (_, want) = net
            .loss_and_gradients(x.view(), &y, REG)
            .expect("reference");
        let (_, got) = learner
            .loss_and_gradients(x.view(), &y, REG)
            .expect("learner");
        got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| close(&g.dw, &w.dw))
    });
    let mut group = c.benchmark_group("nn_step");
    for n in BATCHES {
        let (x, y) = batch(n, n as u64);
        group.throughput(Throughput::Elements(n as u64));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", n), &n, |b, _| {
                b.iter(|| black_box(learner.loss_and_gradients(black_box(x.view()), &y, REG)))
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", n), &n, |b, _| {
            b.iter(|| black_box(net.loss_and_gradients(black_box(x.view()), &y, REG)))
        });
        group.bench_with_input(BenchmarkId::new("naive", n), &n, |b, _| {
            b.iter(|| black_box(step_loops(&net, black_box(x.view()), &y)))
        });
    }
    group.finish();
}

fn matmul(c: &mut Criterion) {
    let net = reference_net();
    let (w, b) = (&net.layers[0].w, &net.layers[0].b);
    let ready = mlings_benches::learner_ready("matmul", || {
        let (x, _) = batch(5, 11);
        let want = oracle::dense(x.view(), w.view(), b.view());
        learner::dense_forward(x.view(), w.view(), b.view()).is_ok_and(|got| close(&got, &want))
    });
    let mut group = c.benchmark_group("matmul");
    for n in BATCHES {
        let (x, _) = batch(n, n as u64);
        group.throughput(Throughput::Elements(n as u64));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", n), &n, |bench, _| {
                bench.iter(|| {
                    black_box(learner::dense_forward(
                        black_box(x.view()),
                        w.view(),
                        b.view(),
                    ))
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", n), &n, |bench, _| {
            bench.iter(|| {
                black_box(reference::dense_forward(
                    black_box(x.view()),
                    w.view(),
                    b.view(),
                ))
            })
        });
        group.bench_with_input(BenchmarkId::new("naive", n), &n, |bench, _| {
            bench.iter(|| black_box(oracle::dense(black_box(x.view()), w.view(), b.view())))
        });
    }
    group.finish();
}

/// One epoch of the reference's [`train`](reference::train) without its end-of-epoch accuracy:
/// the seeded shuffle, then for every mini-batch its rows, the loss and gradients, and one
/// optimiser step. Returns the epoch's mean loss.
fn reference_epoch(
    model: &mut reference::Mlp,
    train: &reference::Dataset,
    config: &reference::TrainConfig,
) -> f64 {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut optimiser = reference::OptimiserState::new(config.optimiser);
    let mut total = 0.0;
    for batch in reference::epoch_order(&mut rng, train.len()).chunks(config.batch_size) {
        let x = train.x.select(Axis(0), batch);
        let y: Vec<usize> = batch.iter().map(|&i| train.labels[i]).collect();
        let (loss, gradients) = model
            .loss_and_gradients(x.view(), &y, config.reg)
            .expect("valid batch");
        optimiser.step(model, &gradients).expect("valid gradients");
        total += loss * batch.len() as f64;
    }
    total / train.len() as f64
}

/// [`reference_epoch`] with the learner's loss, gradients and optimiser update.
fn learner_epoch(
    model: &mut learner::Mlp,
    train: &reference::Dataset,
    config: &learner::TrainConfig,
) -> f64 {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut optimiser = learner::OptimiserState::new(config.optimiser);
    let mut total = 0.0;
    for batch in learner::epoch_order(&mut rng, train.len()).chunks(config.batch_size) {
        let x = train.x.select(Axis(0), batch);
        let y: Vec<usize> = batch.iter().map(|&i| train.labels[i]).collect();
        let (loss, gradients) = model
            .loss_and_gradients(x.view(), &y, config.reg)
            .expect("valid batch");
        optimiser.step(model, &gradients).expect("valid gradients");
        total += loss * batch.len() as f64;
    }
    total / train.len() as f64
}

/// One training epoch on the 1,437 training digits, batch 32, Adam: what `train` does per epoch
/// except the accuracy on the whole training set it records at the end (a forward pass over
/// every sample, measured by `nn_step`'s forward half; the numpy peer does not count it either).
fn epoch(c: &mut Criterion) {
    let train = digits_train();
    let net = reference_net();
    let reference_config = reference::TrainConfig {
        epochs: 1,
        batch_size: 32,
        reg: REG,
        optimiser: reference::Optimiser::adam(1e-3),
        seed: 2,
    };
    let learner_config = learner::TrainConfig {
        epochs: 1,
        batch_size: 32,
        reg: REG,
        optimiser: learner::Optimiser::adam(1e-3),
        seed: 2,
    };
    let ready = mlings_benches::learner_ready("epoch", || {
        let few = reference::Dataset {
            x: train.x.slice(ndarray::s![..64, ..]).to_owned(),
            labels: train.labels[..64].to_vec(),
        };
        let mut want = net.clone();
        let mut got = learner_net(&net);
        reference_epoch(&mut want, &few, &reference_config);
        learner_epoch(&mut got, &few, &learner_config);
        got.layers
            .iter()
            .zip(&want.layers)
            .all(|(g, w)| close(&g.w, &w.w))
    });
    let mut group = c.benchmark_group("epoch");
    let n = train.len();
    group.throughput(Throughput::Elements(n as u64));
    if ready {
        let start = learner_net(&net);
        group.bench_with_input(BenchmarkId::new("learner", n), &n, |b, _| {
            b.iter_batched(
                || start.clone(),
                |mut model| black_box(learner_epoch(&mut model, &train, &learner_config)),
                BatchSize::SmallInput,
            )
        });
    }
    group.bench_with_input(BenchmarkId::new("reference", n), &n, |b, _| {
        b.iter_batched(
            || net.clone(),
            |mut model| black_box(reference_epoch(&mut model, &train, &reference_config)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = nn_step, matmul, epoch
}
criterion_main!(benches);
