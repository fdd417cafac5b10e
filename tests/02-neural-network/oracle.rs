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
    /// The regularisation term missing from the gradient (but in the loss).
    NoRegGradient,
    /// The regularisation term missing from the loss (but in the gradient).
    NoRegLoss,
    /// The biases regularised too: `λ ∑ b²` in the loss, `2λb` in their gradient.
    RegularisedBiases,
    /// The activation's derivative taken at its output `h = f(z)` instead of its input `z`.
    DerivativeAtOutput,
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
    let squares = |l: &sut::Dense| {
        let biases = if variant == Variant::RegularisedBiases {
            l.b.iter().map(|v| v * v).sum::<f64>()
        } else {
            0.0
        };
        l.w.iter().map(|v| v * v).sum::<f64>() + biases
    };
    let reg_loss: f64 = if variant == Variant::NoRegLoss {
        0.0
    } else {
        net.layers.iter().map(|l| reg * squares(l)).sum()
    };
    let reg_factor = match variant {
        Variant::HalfRegGradient => 1.0,
        Variant::NoRegGradient => 0.0,
        _ => 2.0,
    };
    let mut grads = Vec::new();
    for l in (0..net.layers.len()).rev() {
        let w = &net.layers[l].w;
        let (dh, mut dw, mut db) = dense_back(delta.view(), hs[l].view(), w.view());
        dw.zip_mut_with(w, |d, &wv| *d += reg_factor * reg * wv);
        if variant == Variant::RegularisedBiases {
            db.zip_mut_with(&net.layers[l].b, |d, &bv| *d += 2.0 * reg * bv);
        }
        grads.push((dw, db));
        if l > 0 {
            delta = dh;
            let at = if variant == Variant::DerivativeAtOutput {
                &hs[l]
            } else {
                &zs[l - 1]
            };
            delta.zip_mut_with(at, |d, &z| *d *= act_prime(net.activation, z));
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

/// Whether `got` has `candidate`'s shape and every element within `tol` (relative) of it, NaN
/// matching NaN: a known mistake's numeric signature.
pub fn matches<S1, S2, D>(
    got: &ndarray::ArrayBase<S1, D>,
    candidate: &ndarray::ArrayBase<S2, D>,
    tol: f64,
) -> bool
where
    S1: ndarray::Data<Elem = f64>,
    S2: ndarray::Data<Elem = f64>,
    D: ndarray::Dimension,
{
    got.shape() == candidate.shape()
        && got
            .iter()
            .zip(candidate.iter())
            .all(|(&g, &c)| (g.is_nan() && c.is_nan()) || mlings_grader::assert::near(g, c, tol))
}

/// How a learner's finite-difference checker may go wrong (the contract: centred, `/ 2h`, each
/// element put back).
#[derive(Clone, Copy, PartialEq)]
pub enum Differences {
    /// `(f(x + h) − f(x)) / h`.
    OneSided,
    /// `(f(x + h) − f(x − h)) / h`: the centred difference without its 2.
    OverH,
    /// Centred, but each element left at `x − h` before the next one is nudged.
    NotRestored,
}

/// Finite differences of `f` at `x` with step `h`, the way `kind` computes them.
pub fn finite_differences(
    f: impl Fn(ArrayView2<'_, f64>) -> f64,
    x: ArrayView2<'_, f64>,
    h: f64,
    kind: Differences,
) -> Array2<f64> {
    let mut x = x.to_owned();
    let mut g = Array2::zeros(x.raw_dim());
    for i in 0..x.nrows() {
        for j in 0..x.ncols() {
            let old = x[[i, j]];
            x[[i, j]] = old + h;
            let plus = f(x.view());
            x[[i, j]] = if kind == Differences::OneSided {
                old
            } else {
                old - h
            };
            let minus = f(x.view());
            if kind != Differences::NotRestored {
                x[[i, j]] = old;
            }
            g[[i, j]] = match kind {
                Differences::NotRestored => (plus - minus) / (2.0 * h),
                Differences::OneSided | Differences::OverH => (plus - minus) / h,
            };
        }
    }
    g
}

/// How a learner's optimiser may go wrong.
#[derive(Clone, Copy, PartialEq)]
pub enum OptimMistake {
    /// The rules of `sut::Optimiser`'s docs.
    None,
    /// Momentum's velocity added with the wrong sign: `θ ← θ − v`, climbing the gradient.
    MomentumAscends,
    /// Adam without the bias correction `1 − βᵗ`.
    AdamWithoutBiasCorrection,
    /// Adam with `ε` inside the square root: `√(ŝ + ε)`.
    AdamEpsInsideSqrt,
    /// Adam's bias correction with `t` counted from 0: `1 − β⁰ = 0` on the first step.
    AdamStepFromZero,
}

/// The optimisers by their formulas, one parameter at a time, with their state kept across steps.
pub struct Optimiser {
    optimiser: sut::Optimiser,
    mistake: OptimMistake,
    t: i32,
    first: Vec<Vec<f64>>,
    second: Vec<Vec<f64>>,
}

impl Optimiser {
    /// A fresh optimiser: no step taken, every moment 0.
    pub fn new(optimiser: sut::Optimiser, mistake: OptimMistake) -> Optimiser {
        Optimiser {
            optimiser,
            mistake,
            t: 0,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// One step on every parameter of `net`; slot `2l` is `Wₗ`, `2l + 1` is `bₗ`.
    pub fn step(&mut self, net: &mut sut::Mlp, grads: &[LayerGrads]) {
        if self.first.is_empty() {
            for layer in &net.layers {
                self.first.push(vec![0.0; layer.w.len()]);
                self.first.push(vec![0.0; layer.b.len()]);
            }
            self.second = self.first.clone();
        }
        self.t += 1;
        for (l, (layer, (dw, db))) in net.layers.iter_mut().zip(grads).enumerate() {
            let tensors = [
                (
                    layer.w.iter_mut().collect::<Vec<_>>(),
                    dw.iter().collect::<Vec<_>>(),
                ),
                (layer.b.iter_mut().collect(), db.iter().collect()),
            ];
            for (k, (params, g)) in tensors.into_iter().enumerate() {
                let slot = 2 * l + k;
                for (i, (p, &g)) in params.into_iter().zip(g).enumerate() {
                    let (m, s) = (&mut self.first[slot][i], &mut self.second[slot][i]);
                    *p = update(self.optimiser, self.mistake, self.t, *p, g, m, s);
                }
            }
        }
    }
}

fn update(
    optimiser: sut::Optimiser,
    mistake: OptimMistake,
    t: i32,
    p: f64,
    g: f64,
    m: &mut f64,
    s: &mut f64,
) -> f64 {
    match optimiser {
        sut::Optimiser::Sgd { lr } => p - lr * g,
        sut::Optimiser::Momentum { lr, beta } => {
            *m = beta * *m - lr * g;
            if mistake == OptimMistake::MomentumAscends {
                p - *m
            } else {
                p + *m
            }
        }
        sut::Optimiser::Adam {
            lr,
            beta1,
            beta2,
            eps,
        } => {
            *m = beta1 * *m + (1.0 - beta1) * g;
            *s = beta2 * *s + (1.0 - beta2) * g * g;
            let t = if mistake == OptimMistake::AdamStepFromZero {
                t - 1
            } else {
                t
            };
            let (mh, sh) = if mistake == OptimMistake::AdamWithoutBiasCorrection {
                (*m, *s)
            } else {
                (*m / (1.0 - beta1.powi(t)), *s / (1.0 - beta2.powi(t)))
            };
            let denominator = if mistake == OptimMistake::AdamEpsInsideSqrt {
                (sh + eps).sqrt()
            } else {
                sh.sqrt() + eps
            };
            p - lr * mh / denominator
        }
    }
}

/// How a learner's training loop may go wrong.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum TrainMistake {
    /// The loop of `sut::train`'s docs.
    None,
    /// A fresh optimiser state (velocity, moments, step count) for every mini-batch.
    StateResetEachBatch,
    /// A fresh optimiser state for every epoch.
    StateResetEachEpoch,
    /// The generator seeded again at every epoch: every epoch visits the samples in one order.
    ReseedEachEpoch,
    /// Each epoch shuffles the previous epoch's order instead of drawing `epoch_order` afresh.
    CumulativeShuffle,
    /// The samples visited in their given order, never shuffled.
    NoShuffle,
    /// The last, partial mini-batch of each epoch dropped.
    LastPartialBatchDropped,
    /// The epoch's loss as the plain mean of its mini-batches' losses, not weighted by their size.
    LossNotWeighted,
}

/// Trains `net` by the oracle, the way `mistake` does, and returns each epoch's loss.
pub fn train(
    net: &mut sut::Mlp,
    x: ArrayView2<'_, f64>,
    y: &[usize],
    config: &sut::TrainConfig,
    mistake: TrainMistake,
) -> Vec<f64> {
    use rand::seq::SliceRandom;
    let n = x.nrows();
    let mut generator = rng(config.seed);
    let mut state = Optimiser::new(config.optimiser, OptimMistake::None);
    let mut order: Vec<usize> = (0..n).collect();
    let mut losses = Vec::new();
    for _ in 0..config.epochs {
        match mistake {
            TrainMistake::ReseedEachEpoch => order = sut::epoch_order(&mut rng(config.seed), n),
            TrainMistake::CumulativeShuffle => order.shuffle(&mut generator),
            TrainMistake::NoShuffle => {}
            _ => order = sut::epoch_order(&mut generator, n),
        }
        if mistake == TrainMistake::StateResetEachEpoch {
            state = Optimiser::new(config.optimiser, OptimMistake::None);
        }
        let (mut total, mut batches) = (0.0, 0);
        for chunk in order.chunks(config.batch_size) {
            if mistake == TrainMistake::LastPartialBatchDropped && chunk.len() < config.batch_size {
                continue;
            }
            if mistake == TrainMistake::StateResetEachBatch {
                state = Optimiser::new(config.optimiser, OptimMistake::None);
            }
            let xb = x.select(ndarray::Axis(0), chunk);
            let yb: Vec<usize> = chunk.iter().map(|&i| y[i]).collect();
            let (loss, grads) = mlp_loss_grads(net, xb.view(), &yb, config.reg, Variant::Correct);
            state.step(net, &grads);
            total += if mistake == TrainMistake::LossNotWeighted {
                loss
            } else {
                loss * chunk.len() as f64
            };
            batches += 1;
        }
        losses.push(if mistake == TrainMistake::LossNotWeighted {
            total / batches as f64
        } else {
            total / n as f64
        });
    }
    losses
}

/// How a learner may compute the mean cross-entropy's loss unstably.
#[derive(Clone, Copy, PartialEq)]
pub enum LossForm {
    /// `−(1/N) ∑ᵢ (sᵢ,yᵢ − ln ∑ₖ exp sᵢₖ)`: no row maximum subtracted, so `exp` overflows.
    NoMax,
    /// `−(1/N) ∑ᵢ ln pᵢ,yᵢ` of the (stable) softmax: `ln 0 = −∞` once `pᵢ,yᵢ` underflows.
    LnSoftmax,
}

/// The mean cross-entropy computed the way `form` does.
pub fn cross_entropy_by(s: ArrayView2<'_, f64>, y: &[usize], form: LossForm) -> f64 {
    let mut loss = 0.0;
    for (row, &label) in s.rows().into_iter().zip(y) {
        loss -= match form {
            LossForm::NoMax => row[label] - row.iter().map(|v| v.exp()).sum::<f64>().ln(),
            LossForm::LnSoftmax => softmax_row(row)[label].ln(),
        };
    }
    loss / s.nrows() as f64
}

/// The softmax of one row, with its maximum subtracted.
pub fn softmax_row(row: ArrayView1<'_, f64>) -> Array1<f64> {
    let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e = row.mapv(|v| (v - m).exp());
    let sum = e.sum();
    e / sum
}

/// The softmax of every row of `s`, or with `along_columns` of every column (the axis-0 mistake);
/// with `subtract_max` false, exponentiated as given (the overflow mistake).
pub fn softmax(s: ArrayView2<'_, f64>, along_columns: bool, subtract_max: bool) -> Array2<f64> {
    let mut p = s.to_owned();
    let lanes = if along_columns {
        p.columns_mut()
    } else {
        p.rows_mut()
    };
    for mut lane in lanes {
        let m = if subtract_max {
            lane.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
        } else {
            0.0
        };
        lane.mapv_inplace(|v| (v - m).exp());
        let sum = lane.sum();
        lane.mapv_inplace(|v| v / sum);
    }
    p
}
