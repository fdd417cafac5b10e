//! Exercise 06 bench: one convolution forward + backward (dx, dw, db), 3 × 3 filters, stride 1,
//! pad 1, at the CNN's own size (32 digits, 1 → 16 channels, 8 × 8) and at a CIFAR-like one
//! (8 images, 3 → 32 channels, 32 × 32). `reference` and `learner` are im2col + matrix products
//! (step 4); `direct` is the reference's loops of steps 1–2; `naive` the suite's loops over an
//! explicitly padded copy (`tests/06-cnn/oracle.rs`).
//!
//! ```sh
//! cargo bench -p cnn-solution --bench cnn
//! ```
//!
//! The numpy peer (im2col by fancy indexing, then one `@`) is `benches/peers/cnn.py`.

use std::hint::black_box;

use cnn as learner;
use cnn_solution as reference;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::{Array1, Array4};

/// The suite's types, for the oracle.
use cnn_solution as sut;

#[allow(dead_code)]
#[path = "../../../tests/06-cnn/oracle.rs"]
mod oracle;

/// `(N, C, H, W, F)` of each size.
const SIZES: [(usize, usize, usize, usize, usize); 2] = [(32, 1, 8, 8, 16), (8, 3, 32, 32, 32)];
const CONV: reference::Conv = reference::Conv { stride: 1, pad: 1 };
const LEARNER_CONV: learner::Conv = learner::Conv { stride: 1, pad: 1 };

struct Input {
    x: Array4<f64>,
    w: Array4<f64>,
    b: Array1<f64>,
    dout: Array4<f64>,
}

fn input((n, c, h, w, f): (usize, usize, usize, usize, usize)) -> Input {
    let mut rng = oracle::rng(6);
    Input {
        x: oracle::randn4(&mut rng, (n, c, h, w), 1.0),
        w: oracle::randn4(&mut rng, (f, c, 3, 3), 0.3),
        b: oracle::randn1(&mut rng, f, 0.1),
        dout: oracle::randn4(&mut rng, (n, f, h, w), 1.0),
    }
}

fn id((n, c, h, w, f): (usize, usize, usize, usize, usize)) -> String {
    format!("{n}x{c}x{h}x{w}-{f}")
}

fn conv(c: &mut Criterion) {
    let ready = mlings_benches::learner_ready("conv", || {
        let i = input((2, 2, 5, 5, 3));
        let out =
            learner::conv_forward_im2col(i.x.view(), i.w.view(), i.b.view(), LEARNER_CONV).ok();
        let expected =
            reference::conv_forward_im2col(i.x.view(), i.w.view(), i.b.view(), CONV).ok();
        let close = |a: &Array4<f64>, b: &Array4<f64>| {
            a.shape() == b.shape() && a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-9)
        };
        let grad =
            learner::conv_backward_im2col(i.dout.view(), i.x.view(), i.w.view(), LEARNER_CONV);
        let expected_grad =
            reference::conv_backward_im2col(i.dout.view(), i.x.view(), i.w.view(), CONV);
        matches!((&out, &expected), (Some(a), Some(b)) if close(a, b))
            && matches!((grad, expected_grad), (Ok(a), Ok(b)) if close(&a.dx, &b.dx) && close(&a.dw, &b.dw))
    });
    let mut group = c.benchmark_group("conv");
    for size in SIZES {
        let i = input(size);
        let (n, ch, h, w, f) = size;
        group.throughput(Throughput::Elements((n * f * h * w * ch * 9) as u64));
        group.bench_with_input(BenchmarkId::new("reference", id(size)), &i, |bench, i| {
            bench.iter(|| {
                let out = reference::conv_forward_im2col(
                    black_box(i.x.view()),
                    i.w.view(),
                    i.b.view(),
                    CONV,
                );
                let grad = reference::conv_backward_im2col(
                    black_box(i.dout.view()),
                    i.x.view(),
                    i.w.view(),
                    CONV,
                );
                (out, grad)
            })
        });
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", id(size)), &i, |bench, i| {
                bench.iter(|| {
                    let out = learner::conv_forward_im2col(
                        black_box(i.x.view()),
                        i.w.view(),
                        i.b.view(),
                        LEARNER_CONV,
                    );
                    let grad = learner::conv_backward_im2col(
                        black_box(i.dout.view()),
                        i.x.view(),
                        i.w.view(),
                        LEARNER_CONV,
                    );
                    (out, grad)
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("direct", id(size)), &i, |bench, i| {
            bench.iter(|| {
                let out =
                    reference::conv_forward(black_box(i.x.view()), i.w.view(), i.b.view(), CONV);
                let grad = reference::conv_backward(
                    black_box(i.dout.view()),
                    i.x.view(),
                    i.w.view(),
                    CONV,
                );
                (out, grad)
            })
        });
        group.bench_with_input(BenchmarkId::new("naive", id(size)), &i, |bench, i| {
            bench.iter(|| {
                let out = oracle::conv(
                    black_box(i.x.view()),
                    i.w.view(),
                    &i.b,
                    1,
                    1,
                    oracle::ConvForm::Correct,
                );
                let grad = oracle::conv_backward(
                    black_box(i.dout.view()),
                    i.x.view(),
                    i.w.view(),
                    1,
                    1,
                    oracle::BackForm::Correct,
                );
                (out, grad)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = conv
}
criterion_main!(benches);
