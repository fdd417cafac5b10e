//! Step 5 (second half): mini-batch gradient descent with a learning-rate schedule.

use crate::error::LanguageModelError;
use crate::mlp::{Dataset, Mlp};

/// The settings of [`train`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Gradient steps. Default 200,000.
    pub steps: usize,
    /// Examples per mini-batch, drawn with replacement. Default 32.
    pub batch_size: usize,
    /// The learning rate of the first `decay_at` steps. Default 0.1.
    pub lr: f64,
    /// The learning rate from step `decay_at` on. Default 0.01.
    pub decayed_lr: f64,
    /// The step (from 0) at which the rate drops to `decayed_lr`. Default 100,000.
    pub decay_at: usize,
    /// The dev loss is measured every `eval_every` steps, and after the last. Default 10,000.
    pub eval_every: usize,
    /// The seed of the mini-batch draws. Default 42.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> TrainConfig {
        TrainConfig {
            steps: 200_000,
            batch_size: 32,
            lr: 0.1,
            decayed_lr: 0.01,
            decay_at: 100_000,
            eval_every: 10_000,
            seed: 42,
        }
    }
}

/// A trained model and how its training went.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    /// The model after the last step.
    pub mlp: Mlp,
    /// The mini-batch loss of every step, before its update.
    pub train_losses: Vec<f64>,
    /// `(steps taken, loss on the whole dev set)` every `eval_every` steps and after the last.
    pub dev_losses: Vec<(usize, f64)>,
}

impl Trained {
    /// The dev loss after the last step.
    pub fn dev_loss(&self) -> f64 {
        self.dev_losses.last().map_or(f64::NAN, |&(_, loss)| loss)
    }
}

/// The learning rate of step `step` (from 0): `lr` before `decay_at`, `decayed_lr` from then on.
///
/// ```text
/// defaults: step 0 → 0.1,  step 99,999 → 0.1,  step 100,000 → 0.01
/// ```
pub fn learning_rate(config: &TrainConfig, step: usize) -> f64 {
    // TODO: Return lr before decay_at and decayed_lr from then on. step 100,000 (defaults) -> 0.01
    todo!("learning rate at step {step} of {config:?}")
}

/// Trains `mlp` by mini-batch gradient descent on `train`, measuring the loss on `dev`.
///
/// ```text
/// rng = StdRng::seed_from_u64(config.seed)
/// for step in 0..steps:
///     batch = batch_size indices, each rng.random_range(0..M)
///     (L, g) = mlp.gradients(X[batch], y[batch]);  mlp.update(g, learning_rate(step))
///     record L;  after every eval_every steps and the last: record (step + 1, mlp.loss(dev))
/// ```
///
/// The dev loss is the loss of the whole **dev** set, never of the training set: it is what
/// tells you the model generalises.
///
/// # Errors
///
/// [`LanguageModelError::InvalidSetting`] for zero steps, batch size or `eval_every`, or a
/// learning rate that is not positive and finite; [`LanguageModelError::Empty`] for an empty
/// set; and the errors of [`Mlp::gradients`].
pub fn train(
    mlp: Mlp,
    train: &Dataset,
    dev: &Dataset,
    config: &TrainConfig,
) -> Result<Trained, LanguageModelError> {
    for (name, value) in [
        ("steps", config.steps),
        ("batch_size", config.batch_size),
        ("eval_every", config.eval_every),
    ] {
        if value == 0 {
            return Err(LanguageModelError::InvalidSetting {
                name,
                value: 0.0,
                expected: "at least 1",
            });
        }
    }
    for (name, value) in [("lr", config.lr), ("decayed_lr", config.decayed_lr)] {
        if !(value.is_finite() && value > 0.0) {
            return Err(LanguageModelError::InvalidSetting {
                name,
                value,
                expected: "a finite number > 0",
            });
        }
    }
    if train.y.is_empty() {
        return Err(LanguageModelError::Empty { what: "train" });
    }
    if dev.y.is_empty() {
        return Err(LanguageModelError::Empty { what: "dev" });
    }
    // TODO: Loop: draw a mini-batch, take the gradients, update with the step's learning rate; record the losses. defaults -> dev loss ≤ 2.20
    todo!(
        "train an MLP with C {:?} on {} examples, dev {}, with {config:?}",
        mlp.c.shape(),
        train.y.len(),
        dev.y.len()
    )
}
