//! Exercise 08 benches: the platform's kernels, learner against reference and naive code.
//!
//! - `crc32`: CRC-32 of 8 MiB (reference: all but the last 24 KB folded forward by XORs of
//!   whole words along a sparse multiple of the polynomial, then slicing-by-8 tables; naive: one
//!   bit at a time). zlib.crc32 is the peer (`benches/peers/production.py`).
//! - `artefact`: encode then decode an artefact of 1,000,000 f64 (8 MB each way; naive writes
//!   and parses decimal text). The peers are numpy's `.npy` save/load to memory, and the same
//!   with `zlib.crc32` of the bytes after saving and before loading, the work of a checksummed
//!   format.
//! - `serving`: 256 digits requests (a 64-32-10 network) through the batching server at
//!   max_batch 1 … 256; naive predicts each row alone, without a queue. p50 / p99 latencies
//!   per batch size are printed before the groups run. numpy's batched forward is the peer.
//! - `psi`, `ks`: PSI in 10 baseline-quantile bins and the KS test, 1,000,000 against 1,000,000
//!   samples (naive: a linear scan of the cuts per value; the ECDFs by binary search at every
//!   point). numpy's histogram PSI and `scipy.stats.ks_2samp` are the peers.
//!
//! The learner's rows run only once its kernel matches the reference on a small probe.
//!
//! ```sh
//! cargo bench -p production-solution --bench production
//! python3 benches/peers/production.py
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use production as learner;
use production_solution as reference;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const CRC_BYTES: usize = 8 << 20;
const ARRAY_LEN: usize = 1_000_000;
const REQUESTS: usize = 256;
const BATCHES: [usize; 5] = [1, 4, 16, 64, 256];
const SAMPLES: usize = 1_000_000;

/// CRC-32 one bit at a time.
fn crc32_naive(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn bytes(n: usize) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(1);
    (0..n).map(|_| rng.random_range(0..=255u8)).collect()
}

fn crc32(c: &mut Criterion) {
    let data = bytes(CRC_BYTES);
    let ready = mlings_benches::learner_ready("crc32", || {
        learner::crc32(&data[..1000]) == reference::crc32(&data[..1000])
    });
    let mut group = c.benchmark_group("crc32");
    group.throughput(Throughput::Bytes(CRC_BYTES as u64));
    let size = "8MiB";
    group.bench_function(BenchmarkId::new("reference", size), |b| {
        b.iter(|| reference::crc32(black_box(&data)))
    });
    if ready {
        group.bench_function(BenchmarkId::new("learner", size), |b| {
            b.iter(|| learner::crc32(black_box(&data)))
        });
    }
    group.bench_function(BenchmarkId::new("naive", size), |b| {
        b.iter(|| crc32_naive(black_box(&data)))
    });
    group.finish();
}

fn metadata() -> reference::Metadata {
    reference::Metadata {
        features: (0..64).map(|i| format!("pixel_{i}")).collect(),
        data_hash: reference::content_hash(b"bench"),
        metrics: vec![("accuracy".into(), 0.97)],
    }
}

fn values(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// An artefact as decimal text, one value a line, parsed back: what a first version writes.
fn text_round_trip(data: &[f64]) -> Vec<f64> {
    let mut s = String::with_capacity(data.len() * 24);
    for v in data {
        s.push_str(&format!("{v:e}\n"));
    }
    s.lines().map(|l| l.parse().unwrap_or(f64::NAN)).collect()
}

fn artefact(c: &mut Criterion) {
    let data = values(ARRAY_LEN, 2);
    let art = reference::Artefact {
        metadata: metadata(),
        arrays: vec![reference::NamedArray {
            name: "w".into(),
            shape: vec![1000, 1000],
            data: data.clone(),
        }],
    };
    let learner_art = learner::Artefact {
        metadata: learner::Metadata {
            features: art.metadata.features.clone(),
            data_hash: art.metadata.data_hash.clone(),
            metrics: art.metadata.metrics.clone(),
        },
        arrays: vec![learner::NamedArray {
            name: "w".into(),
            shape: vec![1000, 1000],
            data: data.clone(),
        }],
    };
    let ready = mlings_benches::learner_ready("artefact", || {
        learner::encode(&learner_art) == reference::encode(&art)
            && learner::decode(&reference::encode(&art)).is_ok()
    });
    let mut group = c.benchmark_group("artefact");
    group.throughput(Throughput::Bytes(16 * ARRAY_LEN as u64));
    let size = "1000000";
    group.bench_function(BenchmarkId::new("reference", size), |b| {
        b.iter(|| reference::decode(&reference::encode(black_box(&art))).map(|a| a.arrays.len()))
    });
    if ready {
        group.bench_function(BenchmarkId::new("learner", size), |b| {
            b.iter(|| {
                learner::decode(&learner::encode(black_box(&learner_art))).map(|a| a.arrays.len())
            })
        });
    }
    group.bench_function(BenchmarkId::new("naive", size), |b| {
        b.iter(|| text_round_trip(black_box(&data)))
    });
    group.finish();
}

fn digits_like(n: usize) -> ndarray::Array2<f64> {
    let mut rng = StdRng::seed_from_u64(3);
    ndarray::Array2::from_shape_fn((n, 64), |_| rng.random_range(0.0..1.0))
}

fn config(max_batch: usize) -> (reference::BatchConfig, learner::BatchConfig) {
    let wait = Duration::from_micros(200);
    (
        reference::BatchConfig {
            max_batch,
            max_wait: wait,
            queue_capacity: REQUESTS,
        },
        learner::BatchConfig {
            max_batch,
            max_wait: wait,
            queue_capacity: REQUESTS,
        },
    )
}

/// Serves every row of `x` through a reference server; the latencies, in seconds.
fn serve_reference(net: &reference::Mlp, x: &ndarray::Array2<f64>, max_batch: usize) -> Vec<f64> {
    let model = net.clone();
    let server = reference::Server::start(
        Box::new(move |b| model.predict_proba(b)),
        64,
        config(max_batch).0,
    )
    .expect("a valid configuration");
    let tickets: Vec<_> = x
        .rows()
        .into_iter()
        .map(|r| {
            server
                .submit(r.to_vec())
                .expect("the queue holds every request")
        })
        .collect();
    let lat = tickets
        .into_iter()
        .map(|t| t.wait().map_or(f64::NAN, |r| r.latency.as_secs_f64()))
        .collect();
    server.shutdown();
    lat
}

fn serve_learner(net: &learner::Mlp, x: &ndarray::Array2<f64>, max_batch: usize) -> Vec<f64> {
    let model = net.clone();
    let Ok(server) = learner::Server::start(
        Box::new(move |b| model.predict_proba(b)),
        64,
        config(max_batch).1,
    ) else {
        return Vec::new();
    };
    let tickets: Vec<_> = x
        .rows()
        .into_iter()
        .filter_map(|r| server.submit(r.to_vec()).ok())
        .collect();
    let lat = tickets
        .into_iter()
        .map(|t| t.wait().map_or(f64::NAN, |r| r.latency.as_secs_f64()))
        .collect();
    server.shutdown();
    lat
}

fn serving(c: &mut Criterion) {
    let net = reference::Mlp::random(64, 32, 10, 5);
    let learner_net = learner::Mlp::random(64, 32, 10, 5);
    let x = digits_like(REQUESTS);
    let ready = mlings_benches::learner_ready("serving", || {
        // next_batch first, on the caller's thread, so a todo!() is caught here and not on
        // the server's worker thread.
        let (tx, rx) = std::sync::mpsc::channel();
        drop(tx);
        learner::next_batch(&rx, &config(1).1).is_none()
            && serve_learner(&learner_net, &x, 16).len() == REQUESTS
    });
    println!(
        "serving: {REQUESTS} requests submitted at once, max_wait 200 µs; latency per batch size (reference)"
    );
    println!("{:>10} {:>12} {:>12}", "max_batch", "p50 (µs)", "p99 (µs)");
    for &b in &BATCHES {
        let mut lat: Vec<f64> = (0..20).flat_map(|_| serve_reference(&net, &x, b)).collect();
        lat.sort_by(f64::total_cmp);
        let rank =
            |q: f64| lat[((q * lat.len() as f64).ceil() as usize).clamp(1, lat.len()) - 1] * 1e6;
        println!("{b:>10} {:>12.1} {:>12.1}", rank(0.5), rank(0.99));
    }
    let mut group = c.benchmark_group("serving");
    group.throughput(Throughput::Elements(REQUESTS as u64));
    for &b in &BATCHES {
        group.bench_with_input(BenchmarkId::new("reference", b), &b, |bench, &b| {
            bench.iter(|| serve_reference(&net, black_box(&x), b))
        });
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", b), &b, |bench, &b| {
                bench.iter(|| serve_learner(&learner_net, black_box(&x), b))
            });
        }
    }
    for &b in &BATCHES {
        // The forward pass alone in batches of b, without queue or threads: numpy's workload.
        group.bench_with_input(BenchmarkId::new("forward", b), &b, |bench, &b| {
            bench.iter(|| {
                (0..REQUESTS)
                    .step_by(b)
                    .map(|i| net.predict_proba(x.slice(ndarray::s![i..i + b, ..]))[[0, 0]])
                    .sum::<f64>()
            })
        });
    }
    group.bench_function(BenchmarkId::new("naive", "rows one by one"), |bench| {
        bench.iter(|| {
            x.rows()
                .into_iter()
                .map(|r| net.predict_proba(r.insert_axis(ndarray::Axis(0)))[[0, 0]])
                .sum::<f64>()
        })
    });
    group.finish();
}

/// PSI with a linear scan of the cuts for every value.
fn psi_naive(base: &[f64], cur: &[f64], bins: usize) -> f64 {
    let mut s = base.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let cuts: Vec<f64> = (1..bins).map(|k| s[(k * n).div_ceil(bins) - 1]).collect();
    let share = |x: &[f64]| {
        let mut c = vec![0.0; bins];
        for &v in x {
            c[cuts.iter().filter(|&&e| e <= v).count()] += 1.0;
        }
        c.into_iter()
            .map(|k: f64| (k / x.len() as f64).max(1e-4))
            .collect::<Vec<_>>()
    };
    let (e, a) = (share(base), share(cur));
    e.iter().zip(&a).map(|(e, a)| (a - e) * (a / e).ln()).sum()
}

/// The KS statistic by evaluating both ECDFs with a binary search at every sample.
fn ks_naive(a: &[f64], b: &[f64]) -> f64 {
    let mut sa = a.to_vec();
    let mut sb = b.to_vec();
    sa.sort_by(f64::total_cmp);
    sb.sort_by(f64::total_cmp);
    sa.iter()
        .chain(&sb)
        .map(|&x| {
            let fa = sa.partition_point(|&v| v <= x) as f64 / sa.len() as f64;
            let fb = sb.partition_point(|&v| v <= x) as f64 / sb.len() as f64;
            (fa - fb).abs()
        })
        .fold(0.0, f64::max)
}

fn drift(c: &mut Criterion) {
    let base = values(SAMPLES, 6);
    let cur: Vec<f64> = values(SAMPLES, 7).iter().map(|v| v * 1.1 + 0.05).collect();
    let small = (&base[..1000], &cur[..1000]);
    let psi_ready = mlings_benches::learner_ready("psi", || {
        learner::psi_samples(small.0, small.1, 10).ok()
            == reference::psi_samples(small.0, small.1, 10).ok()
    });
    let ks_ready = mlings_benches::learner_ready("ks", || {
        learner::ks_test(small.0, small.1).map(|t| t.statistic).ok()
            == reference::ks_test(small.0, small.1)
                .map(|t| t.statistic)
                .ok()
    });
    let size = "1000000";
    let mut group = c.benchmark_group("psi");
    group.throughput(Throughput::Elements(2 * SAMPLES as u64));
    group.bench_function(BenchmarkId::new("reference", size), |b| {
        b.iter(|| reference::psi_samples(black_box(&base), black_box(&cur), 10))
    });
    if psi_ready {
        group.bench_function(BenchmarkId::new("learner", size), |b| {
            b.iter(|| learner::psi_samples(black_box(&base), black_box(&cur), 10))
        });
    }
    group.bench_function(BenchmarkId::new("naive", size), |b| {
        b.iter(|| psi_naive(black_box(&base), black_box(&cur), 10))
    });
    group.finish();
    let mut group = c.benchmark_group("ks");
    group.throughput(Throughput::Elements(2 * SAMPLES as u64));
    group.bench_function(BenchmarkId::new("reference", size), |b| {
        b.iter(|| reference::ks_test(black_box(&base), black_box(&cur)))
    });
    if ks_ready {
        group.bench_function(BenchmarkId::new("learner", size), |b| {
            b.iter(|| learner::ks_test(black_box(&base), black_box(&cur)))
        });
    }
    group.bench_function(BenchmarkId::new("naive", size), |b| {
        b.iter(|| ks_naive(black_box(&base), black_box(&cur)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = crc32, artefact, serving, drift
}
criterion_main!(benches);
