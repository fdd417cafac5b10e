//! Given: what every model trains with — the [`Model`] interface, Adam, the training loop and
//! accuracy. Nothing to write here.

use ndarray::{ArrayD, ArrayView4, ArrayViewD, ArrayViewMutD, Axis, Zip};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::data::Images;
use crate::error::{CnnError, ensure_dim, ensure_labels, ensure_nonempty};

/// A classifier of images that [`train`] can fit: class scores, the loss with its gradient, and
/// its parameters as a list of arrays (the gradient, of the same type, lists them alike).
pub trait Model: Clone {
    /// The class scores (logits) of `x: (N, C, H, W)`, shape `(N, K)`.
    ///
    /// # Errors
    /// [`CnnError`] for inputs the model cannot take.
    fn scores(&self, x: ArrayView4<'_, f64>) -> Result<ndarray::Array2<f64>, CnnError>;

    /// The mean softmax cross-entropy of the batch and its gradient, shaped like the model.
    ///
    /// # Errors
    /// [`CnnError`] for inputs the model cannot take or bad labels.
    fn loss_and_gradients(
        &self,
        x: ArrayView4<'_, f64>,
        labels: &[usize],
    ) -> Result<(f64, Self), CnnError>;

    /// The parameter arrays, in a fixed order.
    fn parameters(&self) -> Vec<ArrayViewD<'_, f64>>;

    /// The parameter arrays, mutable, in the order of [`parameters`](Self::parameters).
    fn parameters_mut(&mut self) -> Vec<ArrayViewMutD<'_, f64>>;
}

/// How to train: epochs, mini-batch size, Adam's learning rate (β₁ 0.9, β₂ 0.999, ε 1e-8) and
/// the seed of the shuffles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Images per mini-batch; the last batch of an epoch holds the remainder.
    pub batch_size: usize,
    /// Adam's learning rate η.
    pub lr: f64,
    /// The seed of the generator that shuffles the images every epoch.
    pub seed: u64,
}

impl TrainConfig {
    /// The budget both networks of step 6 train with: 40 epochs of Adam at 3e-3, batches of 32.
    pub fn digits(seed: u64) -> TrainConfig {
        TrainConfig {
            epochs: 40,
            batch_size: 32,
            lr: 3e-3,
            seed,
        }
    }
}

/// Adam (Kingma & Ba, 2015) on every parameter array of a model:
///
/// ```text
/// m ← β₁ m + (1 − β₁) g;   s ← β₂ s + (1 − β₂) g²;   θ ← θ − η m̂ / (√ŝ + ε)
/// m̂ = m / (1 − β₁ᵗ),   ŝ = s / (1 − β₂ᵗ),   t = 1 on the first step
/// ```
#[derive(Debug, Clone)]
pub struct Adam {
    lr: f64,
    t: i32,
    m: Vec<ArrayD<f64>>,
    s: Vec<ArrayD<f64>>,
}

impl Adam {
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPS: f64 = 1e-8;

    /// A fresh optimiser with learning rate `lr` for the parameters of `model`.
    pub fn new(lr: f64, model: &impl Model) -> Adam {
        let m: Vec<ArrayD<f64>> = model
            .parameters()
            .iter()
            .map(|p| ArrayD::zeros(p.raw_dim()))
            .collect();
        Adam {
            lr,
            t: 0,
            s: m.clone(),
            m,
        }
    }

    /// One step of every parameter of `model` along `gradient`.
    pub fn step<M: Model>(&mut self, model: &mut M, gradient: &M) {
        self.t += 1;
        let step = self.lr / (1.0 - Self::BETA1.powi(self.t));
        let root_correction = (1.0 - Self::BETA2.powi(self.t)).sqrt();
        let grads = gradient.parameters();
        for (((param, grad), m), s) in model
            .parameters_mut()
            .into_iter()
            .zip(grads)
            .zip(&mut self.m)
            .zip(&mut self.s)
        {
            Zip::from(param)
                .and(&grad)
                .and(m)
                .and(s)
                .for_each(|p, &g, m, s| {
                    *m = Self::BETA1 * *m + (1.0 - Self::BETA1) * g;
                    *s = Self::BETA2 * *s + (1.0 - Self::BETA2) * g * g;
                    *p -= step * *m / (s.sqrt() / root_correction + Self::EPS);
                });
        }
    }
}

/// Trains `model` in place on `data` with Adam, mini-batches from one seeded shuffle per epoch,
/// and returns the mean loss of every epoch.
///
/// # Errors
/// [`CnnError::InvalidSetting`] for a batch size of 0 or a learning rate ≤ 0;
/// [`CnnError::EmptyBatch`] with no images; the model's errors.
pub fn train<M: Model>(
    model: &mut M,
    data: &Images,
    config: &TrainConfig,
) -> Result<Vec<f64>, CnnError> {
    if config.batch_size == 0 || !(config.lr > 0.0 && config.lr.is_finite()) {
        return Err(CnnError::InvalidSetting(format!(
            "{config:?}: the batch size must be ≥ 1 and the learning rate positive"
        )));
    }
    ensure_nonempty("the training images", data.len())?;
    ensure_dim(
        "number of labels vs images",
        data.labels.len(),
        data.x.len_of(Axis(0)),
    )?;
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut adam = Adam::new(config.lr, model);
    let mut losses = Vec::with_capacity(config.epochs);
    let mut order: Vec<usize> = (0..data.len()).collect();
    for _ in 0..config.epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0;
        for batch in order.chunks(config.batch_size) {
            let x = data.x.select(Axis(0), batch);
            let labels: Vec<usize> = batch.iter().map(|&i| data.labels[i]).collect();
            let (loss, gradient) = model.loss_and_gradients(x.view(), &labels)?;
            adam.step(model, &gradient);
            total += loss * batch.len() as f64;
        }
        losses.push(total / data.len() as f64);
    }
    Ok(losses)
}

/// The predicted class of every image of `x`: the index of its largest score (the smaller index
/// on ties), in batches of 256 images.
///
/// # Errors
/// The model's errors.
pub fn predict(model: &impl Model, x: ArrayView4<'_, f64>) -> Result<Vec<usize>, CnnError> {
    ensure_nonempty("x", x.len_of(Axis(0)))?;
    let mut predicted = Vec::with_capacity(x.len_of(Axis(0)));
    for chunk in x.axis_chunks_iter(Axis(0), 256) {
        let scores = model.scores(chunk)?;
        predicted.extend(scores.rows().into_iter().map(|row| argmax(row.view())));
    }
    Ok(predicted)
}

/// The fraction of images of `x` whose predicted class is their label.
///
/// # Errors
/// The model's errors; [`CnnError::ShapeMismatch`] when there is not one label per image.
pub fn accuracy(
    model: &impl Model,
    x: ArrayView4<'_, f64>,
    labels: &[usize],
) -> Result<f64, CnnError> {
    ensure_labels(labels, x.len_of(Axis(0)), usize::MAX)?;
    let predicted = predict(model, x)?;
    let correct = predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
    Ok(correct as f64 / labels.len() as f64)
}

fn argmax(row: ndarray::ArrayView1<'_, f64>) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = j;
        }
    }
    best
}

/// Flattens `x: (N, C, H, W)` to `(N, C·H·W)`, row-major per image.
pub fn flatten(x: ArrayView4<'_, f64>) -> ndarray::CowArray<'_, f64, ndarray::Ix2> {
    let (n, c, h, w) = x.dim();
    match x.into_shape_with_order((n, c * h * w)) {
        Ok(flat) => flat.into(),
        Err(_) => x
            .as_standard_layout()
            .into_owned()
            .into_shape_with_order((n, c * h * w))
            .expect("N·C·H·W elements")
            .into(),
    }
}
