//! Exercise 07 bench: one training step of the MLP language model (batch 32, context 3,
//! embedding 10, hidden 200: gradients and the update) and counting the 228,146 bigrams of
//! names.txt, each as the learner's code, the reference and a naive version. The numpy and
//! PyTorch peers of both are `benches/peers/language_model.py` and
//! `benches/peers/language_model_torch.py`.
//!
//! ```sh
//! cargo bench -p language-model-solution --bench language_model
//! ```
//!
//! Measured side by side (`benches/peers/side_by_side.py`, rounds interleaved with the peer,
//! machine at load 3.5–4): one step, reference against numpy a median ratio of 0.81 (7 rounds;
//! about 0.14–0.21 ms against 0.19–0.26 ms: a tanh of its own that vectorises), against PyTorch
//! 0.37; counting, reference against numpy `bincount` 1.47 (about 0.9 ms against 0.65 ms, the
//! reference counting from the names' text, `bincount` from encoded tokens) and against
//! `np.add.at` 0.24.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use language_model as learner;
use language_model_solution as reference;
use ndarray::{Array2, ArrayView2};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const NAMES_TXT: &str = include_str!("../../../data/names/names.txt");
const BATCH: usize = 32;
const BLOCK: usize = 3;
const EMBED: usize = 10;
const HIDDEN: usize = 200;
const LR: f64 = 0.1;

fn names() -> Vec<&'static str> {
    NAMES_TXT.lines().filter(|l| !l.is_empty()).collect()
}

/// One batch of 32 contexts of names.txt, drawn as training draws them.
fn batch() -> (Array2<usize>, Vec<usize>) {
    let data = reference::contexts(&names(), BLOCK).expect("names.txt is valid");
    let mut rng = StdRng::seed_from_u64(1);
    let rows: Vec<usize> = (0..BATCH)
        .map(|_| rng.random_range(0..data.y.len()))
        .collect();
    let x = data.x.select(ndarray::Axis(0), &rows);
    let y = rows.iter().map(|&i| data.y[i]).collect();
    (x, y)
}

/// The step a learner writes first: every product as three nested loops.
fn naive_step(m: &mut reference::Mlp, x: ArrayView2<'_, usize>, y: &[usize]) -> f64 {
    let (b, d, h) = (x.nrows(), m.c.ncols(), m.w1.ncols());
    let k = BLOCK * d;
    let mut emb = Array2::<f64>::zeros((b, k));
    for i in 0..b {
        for t in 0..BLOCK {
            for j in 0..d {
                emb[[i, t * d + j]] = m.c[[x[[i, t]], j]];
            }
        }
    }
    let mut hid = Array2::<f64>::zeros((b, h));
    for i in 0..b {
        for u in 0..h {
            let mut z = m.b1[u];
            for j in 0..k {
                z += emb[[i, j]] * m.w1[[j, u]];
            }
            hid[[i, u]] = z.tanh();
        }
    }
    let mut dlogits = Array2::<f64>::zeros((b, 27));
    let mut loss = 0.0;
    for i in 0..b {
        let mut logits = [0.0; 27];
        for (o, l) in logits.iter_mut().enumerate() {
            *l = m.b2[o];
            for u in 0..h {
                *l += hid[[i, u]] * m.w2[[u, o]];
            }
        }
        let max = logits.iter().fold(f64::NEG_INFINITY, |a, &v| a.max(v));
        let total: f64 = logits.iter().map(|v| (v - max).exp()).sum();
        for o in 0..27 {
            let p = (logits[o] - max).exp() / total;
            dlogits[[i, o]] = (p - f64::from(u8::from(o == y[i]))) / b as f64;
        }
        loss -= ((logits[y[i]] - max).exp() / total).ln() / b as f64;
    }
    let mut dpre = Array2::<f64>::zeros((b, h));
    for i in 0..b {
        for u in 0..h {
            let mut g = 0.0;
            for o in 0..27 {
                g += dlogits[[i, o]] * m.w2[[u, o]];
            }
            dpre[[i, u]] = g * (1.0 - hid[[i, u]] * hid[[i, u]]);
        }
    }
    let mut demb = Array2::<f64>::zeros((b, k));
    for i in 0..b {
        for j in 0..k {
            for u in 0..h {
                demb[[i, j]] += dpre[[i, u]] * m.w1[[j, u]];
            }
        }
    }
    for i in 0..b {
        for u in 0..h {
            for o in 0..27 {
                m.w2[[u, o]] -= LR * hid[[i, u]] * dlogits[[i, o]];
            }
            for j in 0..k {
                m.w1[[j, u]] -= LR * emb[[i, j]] * dpre[[i, u]];
            }
            m.b1[u] -= LR * dpre[[i, u]];
        }
        for o in 0..27 {
            m.b2[o] -= LR * dlogits[[i, o]];
        }
        for t in 0..BLOCK {
            for j in 0..d {
                m.c[[x[[i, t]], j]] -= LR * demb[[i, t * d + j]];
            }
        }
    }
    loss
}

/// Bigram counts through a hash map of character pairs: the first version of many.
fn naive_counts(names: &[&str]) -> Array2<u64> {
    let mut map: HashMap<(char, char), u64> = HashMap::new();
    for name in names {
        let framed: Vec<char> = format!(".{name}.").chars().collect();
        for pair in framed.windows(2) {
            *map.entry((pair[0], pair[1])).or_default() += 1;
        }
    }
    let index = |c: char| {
        if c == '.' {
            0
        } else {
            c as usize - 'a' as usize + 1
        }
    };
    let mut counts = Array2::zeros((27, 27));
    for ((a, b), n) in map {
        counts[[index(a), index(b)]] = n;
    }
    counts
}

fn to_learner(m: &reference::Mlp) -> learner::Mlp {
    learner::Mlp {
        c: m.c.clone(),
        w1: m.w1.clone(),
        b1: m.b1.clone(),
        w2: m.w2.clone(),
        b2: m.b2.clone(),
    }
}

fn lm_step(c: &mut Criterion) {
    let (x, y) = batch();
    let init = reference::Mlp::init(BLOCK, EMBED, HIDDEN, 1).expect("valid sizes");
    let ready = mlings_benches::learner_ready("lm_step", || {
        let mut mine = to_learner(&init);
        let mut theirs = init.clone();
        let (Ok((a, ga)), Ok((b, gb))) =
            (mine.gradients(x.view(), &y), theirs.gradients(x.view(), &y))
        else {
            return false;
        };
        mine.update(&ga, LR);
        theirs.update(&gb, LR);
        (a - b).abs() < 1e-9 && (&mine.w1 - &theirs.w1).iter().all(|v| v.abs() < 1e-9)
    });
    let mut group = c.benchmark_group("lm_step");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function(BenchmarkId::new("reference", BATCH), |b| {
        let mut m = init.clone();
        b.iter(|| {
            let (loss, g) = m.gradients(black_box(x.view()), &y).expect("valid batch");
            m.update(&g, LR);
            loss
        })
    });
    if ready {
        group.bench_function(BenchmarkId::new("learner", BATCH), |b| {
            let mut m = to_learner(&init);
            b.iter(|| {
                let (loss, g) = m.gradients(black_box(x.view()), &y).expect("valid batch");
                m.update(&g, LR);
                loss
            })
        });
    }
    group.bench_function(BenchmarkId::new("naive", BATCH), |b| {
        let mut m = init.clone();
        b.iter(|| naive_step(&mut m, black_box(x.view()), &y))
    });
    group.finish();
}

fn count(c: &mut Criterion) {
    let names = names();
    let bigrams = reference::bigrams(&names).expect("valid names").len();
    let ready = mlings_benches::learner_ready("count", || {
        learner::bigram_counts(&names[..100]).ok() == reference::bigram_counts(&names[..100]).ok()
    });
    let mut group = c.benchmark_group("count");
    group.throughput(Throughput::Elements(bigrams as u64));
    group.bench_function(BenchmarkId::new("reference", bigrams), |b| {
        b.iter(|| reference::bigram_counts(black_box(&names)))
    });
    if ready {
        group.bench_function(BenchmarkId::new("learner", bigrams), |b| {
            b.iter(|| learner::bigram_counts(black_box(&names)))
        });
    }
    group.bench_function(BenchmarkId::new("naive", bigrams), |b| {
        b.iter(|| naive_counts(black_box(&names)))
    });
    group.finish();
    // The naive versions compute what the reference does.
    assert_eq!(
        naive_counts(&names),
        reference::bigram_counts(&names).expect("valid names")
    );
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = lm_step, count
}
criterion_main!(benches);
