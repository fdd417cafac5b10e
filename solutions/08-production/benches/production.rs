//! Exercise 08 bench: the learner's `scale` against the reference and a naive loop, on a
//! vector of 1,000,000 elements (16 bytes moved per element: memory-bound).
//!
//! ```sh
//! cargo bench -p production-solution --bench production
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array1;
use production as learner;
use production_solution as reference;

const SIZES: [usize; 1] = [1_000_000];
const FACTOR: f64 = 3.0;

/// The loop a learner writes first.
fn naive(x: &[f64], factor: f64) -> Vec<f64> {
    let mut y = Vec::with_capacity(x.len());
    for &v in x {
        y.push(v * factor);
    }
    y
}

fn scale(c: &mut Criterion) {
    let ready = mlings_benches::learner_ready("scale", || {
        let x = Array1::linspace(-1.0, 1.0, 5);
        learner::scale(x.view(), FACTOR).ok() == reference::scale(x.view(), FACTOR).ok()
    });
    let mut group = c.benchmark_group("scale");
    for n in SIZES {
        let x = Array1::linspace(-1.0, 1.0, n);
        group.throughput(Throughput::Bytes(16 * n as u64));
        group.bench_with_input(BenchmarkId::new("reference", n), &x, |b, x| {
            b.iter(|| reference::scale(black_box(x.view()), FACTOR))
        });
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", n), &x, |b, x| {
                b.iter(|| learner::scale(black_box(x.view()), FACTOR))
            });
        }
        let slice = x.as_slice().expect("a new array is contiguous");
        group.bench_with_input(BenchmarkId::new("naive", n), slice, |b, x| {
            b.iter(|| naive(black_box(x), FACTOR))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = scale
}
criterion_main!(benches);
