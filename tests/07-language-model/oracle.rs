//! The kit's own slow, obviously correct versions of the exercise's functions: loops written
//! straight from the formulas of the crate docs, each in one place.

use ndarray::{Array1, Array2, ArrayView2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

use crate::sut;

/// The token of a character: '.' → 0, 'a'…'z' → 1…26.
pub fn token(ch: char) -> usize {
    if ch == '.' {
        0
    } else {
        ch as usize - 'a' as usize + 1
    }
}

/// The bigrams of names framed by '.'.
pub fn bigrams(names: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for name in names {
        let framed: Vec<usize> = format!(".{name}.").chars().map(token).collect();
        out.extend(framed.windows(2).map(|w| (w[0], w[1])));
    }
    out
}

/// The 27 × 27 bigram counts.
pub fn counts(names: &[&str]) -> Array2<u64> {
    let mut n = Array2::zeros((27, 27));
    for (a, b) in bigrams(names) {
        n[[a, b]] += 1;
    }
    n
}

/// `(N + k) / row sums`.
pub fn probabilities(counts: &Array2<u64>, k: f64) -> Array2<f64> {
    let mut p = counts.mapv(|c| c as f64 + k);
    for mut row in p.rows_mut() {
        let total: f64 = row.sum();
        row.mapv_inplace(|v| v / total);
    }
    p
}

/// The mean −ln P over the bigrams of `names`.
pub fn nll(p: &Array2<f64>, names: &[&str]) -> f64 {
    let pairs = bigrams(names);
    pairs.iter().map(|&(a, b)| -p[[a, b]].ln()).sum::<f64>() / pairs.len() as f64
}

/// The softmax of a vector, shifted by its max.
pub fn softmax(v: &[f64]) -> Vec<f64> {
    let max = v.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x));
    let e: Vec<f64> = v.iter().map(|x| (x - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|x| x / total).collect()
}

/// The mean cross-entropy of each row's softmax against its target.
pub fn cross_entropy(logits: ArrayView2<'_, f64>, targets: &[usize]) -> f64 {
    logits
        .rows()
        .into_iter()
        .zip(targets)
        .map(|(row, &y)| -softmax(&row.to_vec())[y].ln())
        .sum::<f64>()
        / targets.len() as f64
}

/// The contexts of `block` tokens before each next token.
pub fn contexts(names: &[&str], block: usize) -> (Array2<usize>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut ys = Vec::new();
    for name in names {
        let mut context = vec![0; block];
        for ch in format!("{name}.").chars() {
            rows.extend_from_slice(&context);
            ys.push(token(ch));
            context.remove(0);
            context.push(token(ch));
        }
    }
    let x = Array2::from_shape_vec((ys.len(), block), rows).expect("block columns");
    (x, ys)
}

/// The MLP's embeddings, hidden layer and logits, by loops over examples.
pub fn forward(
    mlp: &sut::Mlp,
    x: ArrayView2<'_, usize>,
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let d = mlp.c.ncols();
    let (b, block) = x.dim();
    let hidden = mlp.w1.ncols();
    let mut emb = Array2::zeros((b, block * d));
    let mut h = Array2::zeros((b, hidden));
    let mut logits = Array2::zeros((b, 27));
    for i in 0..b {
        for t in 0..block {
            for j in 0..d {
                emb[[i, t * d + j]] = mlp.c[[x[[i, t]], j]];
            }
        }
        for k in 0..hidden {
            let mut z = mlp.b1[k];
            for m in 0..block * d {
                z += emb[[i, m]] * mlp.w1[[m, k]];
            }
            h[[i, k]] = z.tanh();
        }
        for o in 0..27 {
            let mut z = mlp.b2[o];
            for k in 0..hidden {
                z += h[[i, k]] * mlp.w2[[k, o]];
            }
            logits[[i, o]] = z;
        }
    }
    (emb, h, logits)
}

/// The MLP's loss on `(x, y)`.
pub fn loss(mlp: &sut::Mlp, x: ArrayView2<'_, usize>, y: &[usize]) -> f64 {
    let (_, _, logits) = forward(mlp, x);
    cross_entropy(logits.view(), y)
}

/// The loss of the MLP on `(x, y)` through matrix products: the oracle's fast path, for the
/// dev losses of whole splits (the same formulas as [`forward`]).
pub fn fast_loss(mlp: &sut::Mlp, x: ArrayView2<'_, usize>, y: &[usize]) -> f64 {
    let d = mlp.c.ncols();
    let mut emb = Array2::zeros((x.nrows(), x.ncols() * d));
    for ((i, t), &tok) in x.indexed_iter() {
        emb.slice_mut(ndarray::s![i, t * d..(t + 1) * d])
            .assign(&mlp.c.row(tok));
    }
    let h = (emb.dot(&mlp.w1) + &mlp.b1).mapv(f64::tanh);
    let logits = h.dot(&mlp.w2) + &mlp.b2;
    cross_entropy(logits.view(), y)
}

/// Every parameter's gradient by centred finite differences of [`loss`], in the order
/// C, W₁, b₁, W₂, b₂.
pub fn numeric_gradients(mlp: &sut::Mlp, x: ArrayView2<'_, usize>, y: &[usize]) -> sut::Gradients {
    let eps = 1e-5;
    let mut probe = mlp.clone();
    let mut grad = |get: &dyn Fn(&mut sut::Mlp) -> &mut [f64], n: usize| -> Vec<f64> {
        (0..n)
            .map(|i| {
                let old = get(&mut probe)[i];
                get(&mut probe)[i] = old + eps;
                let up = loss(&probe, x, y);
                get(&mut probe)[i] = old - eps;
                let down = loss(&probe, x, y);
                get(&mut probe)[i] = old;
                (up - down) / (2.0 * eps)
            })
            .collect()
    };
    let c = grad(
        &|m| m.c.as_slice_mut().expect("standard layout"),
        mlp.c.len(),
    );
    let w1 = grad(
        &|m| m.w1.as_slice_mut().expect("standard layout"),
        mlp.w1.len(),
    );
    let b1 = grad(
        &|m| m.b1.as_slice_mut().expect("standard layout"),
        mlp.b1.len(),
    );
    let w2 = grad(
        &|m| m.w2.as_slice_mut().expect("standard layout"),
        mlp.w2.len(),
    );
    let b2 = grad(
        &|m| m.b2.as_slice_mut().expect("standard layout"),
        mlp.b2.len(),
    );
    sut::Gradients {
        c: Array2::from_shape_vec(mlp.c.raw_dim(), c).expect("C's shape"),
        w1: Array2::from_shape_vec(mlp.w1.raw_dim(), w1).expect("W₁'s shape"),
        b1: Array1::from(b1),
        w2: Array2::from_shape_vec(mlp.w2.raw_dim(), w2).expect("W₂'s shape"),
        b2: Array1::from(b2),
    }
}

/// An MLP with every parameter drawn from N(0, 1) times `scale`, the output layer's times
/// `out_scale`: the suite's trusted starting point, independent of the learner's `init`.
pub fn random_mlp(block: usize, d: usize, hidden: usize, out_scale: f64, seed: u64) -> sut::Mlp {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut normal = |shape: (usize, usize), scale: f64| {
        Array2::from_shape_simple_fn(shape, || {
            let z: f64 = StandardNormal.sample(&mut rng);
            scale * z
        })
    };
    let c = normal((27, d), 1.0);
    let w1 = normal(
        (block * d, hidden),
        (5.0 / 3.0) / ((block * d) as f64).sqrt(),
    );
    let b1 = normal((1, hidden), 0.1).row(0).to_owned();
    let w2 = normal((hidden, 27), out_scale);
    let b2 = normal((1, 27), 0.1).row(0).to_owned();
    sut::Mlp { c, w1, b1, w2, b2 }
}

/// The name an MLP writes by taking the likeliest next token at every step (what sampling tends
/// to as T → 0), and the largest logit at its first step.
pub fn greedy_name(mlp: &sut::Mlp) -> (String, f64) {
    let block = mlp.w1.nrows() / mlp.c.ncols();
    let mut context = Array2::zeros((1, block));
    let mut name = String::new();
    let mut first_max = f64::NAN;
    while name.len() < sut::MAX_NAME_LEN {
        let (_, _, logits) = forward(mlp, context.view());
        let row = logits.row(0);
        let best = (0..row.len()).fold(0, |b, j| if row[j] > row[b] { j } else { b });
        if name.is_empty() {
            first_max = row[best];
        }
        if best == 0 {
            break;
        }
        name.push((b'a' + best as u8 - 1) as char);
        for t in 1..block {
            context[[0, t - 1]] = context[[0, t]];
        }
        context[[0, block - 1]] = best;
    }
    (name, first_max)
}

/// The total-variation distance between two distributions over the same tokens.
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>() / 2.0
}

/// The frequencies of the first letters of `names` (token 0 for an empty name).
pub fn first_letters(names: &[String]) -> Vec<f64> {
    let mut freq = vec![0.0; 27];
    for name in names {
        freq[name.chars().next().map_or(0, token)] += 1.0;
    }
    freq.iter().map(|f| f / names.len().max(1) as f64).collect()
}

/// The backward pass down to the embeddings, by the formulas of `Mlp::gradients`:
/// `(h, dh, demb)` with `dh = dlogits · W₂ᵀ` and `demb = (dh ⊙ (1 − h²)) · W₁ᵀ`, for the
/// signatures of known mistakes.
pub fn backward_pieces(
    mlp: &sut::Mlp,
    x: ArrayView2<'_, usize>,
    y: &[usize],
) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
    let (_, h, logits) = forward(mlp, x);
    let mut dlogits = Array2::zeros(logits.raw_dim());
    for (i, &target) in y.iter().enumerate() {
        let p = softmax(&logits.row(i).to_vec());
        for (j, pj) in p.iter().enumerate() {
            dlogits[[i, j]] = (pj - f64::from(u8::from(j == target))) / y.len() as f64;
        }
    }
    let dh = dlogits.dot(&mlp.w2.t());
    let dpre = &dh * &h.mapv(|v| 1.0 - v * v);
    let demb = dpre.dot(&mlp.w1.t());
    (h, dh, demb)
}
