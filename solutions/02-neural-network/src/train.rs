//! Step 8: the training loop, mini-batches from a seeded shuffle, epoch after epoch.

use ndarray::ArrayView2;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
// BEGIN SOLUTION
use ndarray::Axis;
use rand::SeedableRng;

use crate::error::{ensure_labels, ensure_nonempty};
use crate::optim::OptimiserState;
// END SOLUTION

use crate::error::NnError;
use crate::mlp::Mlp;
use crate::optim::Optimiser;

/// How to train: the number of epochs, the mini-batch size, the L2 strength λ, the optimiser and
/// the seed of the shuffles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Samples per mini-batch; the last batch of an epoch holds the remainder.
    pub batch_size: usize,
    /// The L2 strength λ of [`l2_penalty`](crate::l2_penalty).
    pub reg: f64,
    /// The optimiser, fresh at the start of training.
    pub optimiser: Optimiser,
    /// The seed of the generator that shuffles the samples.
    pub seed: u64,
}

impl TrainConfig {
    /// Fails unless `batch_size ≥ 1`, `reg ≥ 0` and the optimiser's settings are valid.
    ///
    /// # Errors
    /// [`NnError::InvalidSetting`] naming the setting.
    pub fn check(&self) -> Result<(), NnError> {
        if self.batch_size == 0 {
            return Err(NnError::InvalidSetting(
                "batch_size is 0: a mini-batch needs at least one sample".to_owned(),
            ));
        }
        if !(self.reg >= 0.0 && self.reg.is_finite()) {
            return Err(NnError::InvalidSetting(format!(
                "reg is {}: the L2 strength must be ≥ 0",
                self.reg
            )));
        }
        self.optimiser.check()
    }
}

/// What training returns, one entry per epoch, for plots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The mean loss (with regularisation) of the epoch's mini-batches, weighted by their size.
    pub loss: Vec<f64>,
    /// The accuracy on the whole training set at the end of the epoch.
    pub accuracy: Vec<f64>,
}

/// The order in which one epoch visits the `n` samples: a permutation of `0..n` shuffled by `rng`.
///
/// Given, so that the same seed gives the same batches in every implementation: draw one order
/// per epoch from one generator seeded once at the start of training.
pub fn epoch_order(rng: &mut StdRng, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

/// Trains `model` in place on `x: (N, D)` with `labels: (N)`, and returns the loss and accuracy
/// of every epoch.
///
/// ```text
/// rng = StdRng::seed_from_u64(seed)                  once, before the first epoch
/// state = OptimiserState::new(optimiser)            once: kept from batch to batch and epoch to epoch
/// for each epoch:
///     order = epoch_order(rng, N)                   a fresh order from the same rng, every epoch
///     for each chunk of batch_size indices in order:   the last chunk holds the remainder
///         (L, ∇) = loss_and_gradients(x[chunk], y[chunk], λ)
///         state.step(model, ∇)
///     loss[epoch] = ∑ L · |chunk| / N;   accuracy[epoch] = model.accuracy(x, y)
/// ```
///
/// The same seed gives the same history and the same weights. The optimiser's velocity, moments
/// and step count carry over the whole training: a fresh state per batch or per epoch is another
/// optimiser.
///
/// # Errors
/// [`NnError::EmptyBatch`] with no samples; [`NnError::ShapeMismatch`] and
/// [`NnError::LabelOutOfRange`] for bad inputs; [`NnError::InvalidSetting`] for a bad config.
pub fn train(
    model: &mut Mlp,
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    config: &TrainConfig,
) -> Result<History, NnError> {
    // BEGIN SOLUTION
    config.check()?;
    model.ensure_layers()?;
    ensure_nonempty("x", x)?;
    ensure_labels(labels, x.nrows(), model.classes())?;
    let n = x.nrows();
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut optimiser = OptimiserState::new(config.optimiser);
    let mut history = History::default();
    for _ in 0..config.epochs {
        let order = epoch_order(&mut rng, n);
        let mut epoch_loss = 0.0;
        for batch in order.chunks(config.batch_size) {
            let xb = x.select(Axis(0), batch);
            let yb: Vec<usize> = batch.iter().map(|&i| labels[i]).collect();
            let (loss, gradients) = model.loss_and_gradients(xb.view(), &yb, config.reg)?;
            optimiser.step(model, &gradients)?;
            epoch_loss += loss * batch.len() as f64;
        }
        history.loss.push(epoch_loss / n as f64);
        history.accuracy.push(model.accuracy(x, labels)?);
    }
    Ok(history)
    // STUB
    // // TODO: Validate, then loop over epochs and shuffled mini-batches: loss_and_gradients, then
    // // OptimiserState::step; record each epoch's weighted mean loss and training accuracy.
    // todo!(
    //     "train {} layers on x {:?} with {} labels, {config:?}",
    //     model.layers.len(),
    //     x.shape(),
    //     labels.len()
    // )
    // END SOLUTION
}
