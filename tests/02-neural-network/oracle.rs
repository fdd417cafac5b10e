//! The suite's own slow, obviously correct implementations (plain loops), to grade against.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

use crate::sut;

/// `(dW, db)` of one layer.
pub type LayerGrads = (Array2<f64>, Array1<f64>);

/// An `(r, c)` array of standard normal numbers drawn from `rng`, times `scale`.
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

/// A seeded generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// `a · b` by three loops.
pub fn matmul(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Array2<f64> {
    let (n, k) = a.dim();
    let m = b.ncols();
    let mut out = Array2::zeros((n, m));
    for i in 0..n {
        for j in 0..m {
            let mut s = 0.0;
            for p in 0..k {
                s += a[[i, p]] * b[[p, j]];
            }
            out[[i, j]] = s;
        }
    }
    out
}

/// `x · W + b`.
pub fn dense(
    x: ArrayView2<'_, f64>,
    w: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Array2<f64> {
    let mut out = matmul(x, w);
    for mut row in out.rows_mut() {
        for (o, &bj) in row.iter_mut().zip(b.iter()) {
            *o += bj;
        }
    }
    out
}

/// `(dx, dW, db)` of the dense layer.
pub fn dense_back(
    dout: ArrayView2<'_, f64>,
    x: ArrayView2<'_, f64>,
    w: ArrayView2<'_, f64>,
) -> (Array2<f64>, Array2<f64>, Array1<f64>) {
    let dx = matmul(dout, w.t());
    let dw = matmul(x.t(), dout);
    let mut db = Array1::zeros(dout.ncols());
    for row in dout.rows() {
        for (d, &v) in db.iter_mut().zip(row.iter()) {
            *d += v;
        }
    }
    (dx, dw, db)
}

/// The activation of one number.
pub fn act(a: sut::Activation, z: f64) -> f64 {
    match a {
        sut::Activation::Relu => {
            if z > 0.0 {
                z
            } else {
                0.0
            }
        }
        sut::Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        sut::Activation::Tanh => z.tanh(),
    }
}

/// The derivative of the activation at `z`.
pub fn act_prime(a: sut::Activation, z: f64) -> f64 {
    match a {
        sut::Activation::Relu => {
            if z > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        sut::Activation::Sigmoid => {
            let s = act(a, z);
            s * (1.0 - s)
        }
        sut::Activation::Tanh => 1.0 - z.tanh().powi(2),
    }
}

/// Mean softmax cross-entropy (log-sum-exp) and its gradient; `summed` skips the 1/N.
pub fn cross_entropy(s: ArrayView2<'_, f64>, y: &[usize], summed: bool) -> (f64, Array2<f64>) {
    let n = s.nrows() as f64;
    let scale = if summed { 1.0 } else { 1.0 / n };
    let mut loss = 0.0;
    let mut ds = Array2::zeros(s.raw_dim());
    for (i, row) in s.rows().into_iter().enumerate() {
        let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let lse = m + row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
        loss -= row[y[i]] - lse;
        for j in 0..row.len() {
            let p = (row[j] - lse).exp();
            ds[[i, j]] = scale * (p - if j == y[i] { 1.0 } else { 0.0 });
        }
    }
    (loss * scale, ds)
}

/// How the oracle network may go wrong, to recognise a learner's mistake.
#[derive(Clone, Copy, PartialEq)]
pub enum Variant {
    /// The correct network.
    Correct,
    /// The loss and its gradient summed over the batch instead of averaged.
    Summed,
    /// The regularisation gradient `λW` instead of `2λW`.
    HalfRegGradient,
}

/// Loss and `(dW, db)` per layer of a network, by the oracle.
pub fn mlp_loss_grads(
    net: &sut::Mlp,
    x: ArrayView2<'_, f64>,
    y: &[usize],
    reg: f64,
    variant: Variant,
) -> (f64, Vec<LayerGrads>) {
    let mut hs = vec![x.to_owned()];
    let mut zs = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        let z = dense(hs[l].view(), layer.w.view(), layer.b.view());
        if l + 1 < net.layers.len() {
            hs.push(z.mapv(|v| act(net.activation, v)));
        } else {
            hs.push(z.clone());
        }
        zs.push(z);
    }
    let scores = hs.pop().unwrap();
    let (data, mut delta) = cross_entropy(scores.view(), y, variant == Variant::Summed);
    let reg_loss: f64 = net
        .layers
        .iter()
        .map(|l| reg * l.w.iter().map(|v| v * v).sum::<f64>())
        .sum();
    let reg_factor = if variant == Variant::HalfRegGradient {
        1.0
    } else {
        2.0
    };
    let mut grads = Vec::new();
    for l in (0..net.layers.len()).rev() {
        let w = &net.layers[l].w;
        let (dh, mut dw, db) = dense_back(delta.view(), hs[l].view(), w.view());
        dw.zip_mut_with(w, |d, &wv| *d += reg_factor * reg * wv);
        grads.push((dw, db));
        if l > 0 {
            delta = dh;
            delta.zip_mut_with(&zs[l - 1], |d, &z| *d *= act_prime(net.activation, z));
        }
    }
    grads.reverse();
    (data + reg_loss, grads)
}

/// The oracle's loss alone.
pub fn mlp_loss(net: &sut::Mlp, x: ArrayView2<'_, f64>, y: &[usize], reg: f64) -> f64 {
    mlp_loss_grads(net, x, y, reg, Variant::Correct).0
}

/// The reference gradient checker: centred differences of `f` at `x`, step 1e-5.
pub fn numerical_gradient(mut f: impl FnMut(&Array2<f64>) -> f64, x: &Array2<f64>) -> Array2<f64> {
    let h = 1e-5;
    let mut x = x.clone();
    let mut g = Array2::zeros(x.raw_dim());
    for i in 0..x.nrows() {
        for j in 0..x.ncols() {
            let old = x[[i, j]];
            x[[i, j]] = old + h;
            let plus = f(&x);
            x[[i, j]] = old - h;
            let minus = f(&x);
            x[[i, j]] = old;
            g[[i, j]] = (plus - minus) / (2.0 * h);
        }
    }
    g
}

/// Numerical gradients of the oracle's loss with respect to every parameter of `net`.
pub fn mlp_numerical_grads(
    net: &sut::Mlp,
    x: ArrayView2<'_, f64>,
    y: &[usize],
    reg: f64,
) -> Vec<LayerGrads> {
    let mut out = Vec::new();
    for l in 0..net.layers.len() {
        let mut probe = net.clone();
        let dw = numerical_gradient(
            |w| {
                probe.layers[l].w = w.clone();
                mlp_loss(&probe, x, y, reg)
            },
            &net.layers[l].w,
        );
        let mut probe = net.clone();
        let b2 = net.layers[l].b.clone().insert_axis(ndarray::Axis(0));
        let db = numerical_gradient(
            |b| {
                probe.layers[l].b = b.row(0).to_owned();
                mlp_loss(&probe, x, y, reg)
            },
            &b2,
        );
        out.push((dw, db.row(0).to_owned()));
    }
    out
}

/// A random network with layer `sizes`, weights scaled so the activations stay in their curved
/// range, and non-zero biases (zeros hide a wrong backward pass).
pub fn random_net(rng: &mut StdRng, sizes: &[usize], activation: sut::Activation) -> sut::Mlp {
    let layers = sizes
        .windows(2)
        .map(|p| sut::Dense {
            w: randn(rng, p[0], p[1], 1.0 / (p[0] as f64).sqrt()),
            b: randn1(rng, p[1], 0.1),
        })
        .collect();
    sut::Mlp { layers, activation }
}

/// Random labels in `0..classes`.
pub fn labels(rng: &mut StdRng, n: usize, classes: usize) -> Vec<usize> {
    use rand::RngExt;
    (0..n).map(|_| rng.random_range(0..classes)).collect()
}

/// One SGD step applied layer by layer *during* backprop, last layer first: the mistake of
/// updating parameters before all gradients are computed (the lower layers then see the new W).
pub fn sgd_step_updating_during_backprop(
    net: &mut sut::Mlp,
    x: ArrayView2<'_, f64>,
    y: &[usize],
    reg: f64,
    lr: f64,
) {
    let mut hs = vec![x.to_owned()];
    let mut zs = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        let z = dense(hs[l].view(), layer.w.view(), layer.b.view());
        hs.push(if l + 1 < net.layers.len() {
            z.mapv(|v| act(net.activation, v))
        } else {
            z.clone()
        });
        zs.push(z);
    }
    let scores = hs.pop().unwrap();
    let (_, mut delta) = cross_entropy(scores.view(), y, false);
    for l in (0..net.layers.len()).rev() {
        let w = net.layers[l].w.clone();
        let (_, mut dw, db) = dense_back(delta.view(), hs[l].view(), w.view());
        dw.zip_mut_with(&w, |d, &wv| *d += 2.0 * reg * wv);
        net.layers[l].w.scaled_add(-lr, &dw);
        net.layers[l].b.scaled_add(-lr, &db);
        if l > 0 {
            let (dh, _, _) = dense_back(delta.view(), hs[l].view(), net.layers[l].w.view());
            delta = dh;
            delta.zip_mut_with(&zs[l - 1], |d, &z| *d *= act_prime(net.activation, z));
        }
    }
}

/// One epoch of SGD by the oracle, with the kit's seeded batch order.
pub fn sgd_epoch(
    net: &mut sut::Mlp,
    x: ArrayView2<'_, f64>,
    y: &[usize],
    batch: usize,
    reg: f64,
    lr: f64,
    seed: u64,
) -> f64 {
    let order = sut::epoch_order(&mut rng(seed), x.nrows());
    let mut total = 0.0;
    for chunk in order.chunks(batch) {
        let xb = x.select(ndarray::Axis(0), chunk);
        let yb: Vec<usize> = chunk.iter().map(|&i| y[i]).collect();
        let (loss, grads) = mlp_loss_grads(net, xb.view(), &yb, reg, Variant::Correct);
        for (layer, (dw, db)) in net.layers.iter_mut().zip(&grads) {
            layer.w.scaled_add(-lr, dw);
            layer.b.scaled_add(-lr, db);
        }
        total += loss * chunk.len() as f64;
    }
    total / x.nrows() as f64
}
