//! Step 8: softmax regression by mini-batch gradient descent — the path that scales.
//!
//! Newton's Hessian has `((K − 1)·p)²` entries: 576² for the digits, and a solve per step of
//! cubic cost. Gradient descent needs only the gradient, a few passes over the data, and inputs
//! on a common scale: with raw pixels (0–16) one learning rate cannot suit every direction, and
//! the descent crawls or oscillates. So the model standardises its inputs first.
//!
//! Here every class has its own coefficients (no base class): gradient descent from zero does
//! not need the model to be identifiable, and the probabilities are the same.

use ndarray::{Array1, Array2, ArrayView2};

use crate::error::FitError;

/// The settings of mini-batch gradient descent. Defaults: `learning_rate = 0.2`, `epochs = 30`,
/// `batch_size = 32`, `seed = 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SgdConfig {
    /// The step size η; > 0.
    pub learning_rate: f64,
    /// Passes over the training data; ≥ 1.
    pub epochs: usize,
    /// Samples per gradient step (the last batch of an epoch may be smaller); ≥ 1.
    pub batch_size: usize,
    /// The seed of the shuffle of every epoch.
    pub seed: u64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        SgdConfig {
            learning_rate: 0.2,
            epochs: 30,
            batch_size: 32,
            seed: 0,
        }
    }
}

/// A softmax-regression model fitted by [`fit_softmax_sgd`].
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxModel {
    /// The training mean of every feature, `(d)`.
    pub mean: Array1<f64>,
    /// The training standard deviation of every feature, 1 for a constant feature, `(d)`.
    pub scale: Array1<f64>,
    /// The coefficients on the standardised features, `(d + 1, K)`: row 0 the intercepts.
    pub weights: Array2<f64>,
    /// The mean negative log-likelihood over the training set after every epoch.
    pub losses: Vec<f64>,
}

impl SoftmaxModel {
    /// The class probabilities of new samples, `x: (m, d)` → `(m, K)`: standardise with the
    /// training mean and scale, then the softmax of `[1, x̃] W`.
    ///
    /// # Errors
    /// [`FitError::ShapeMismatch`] when `x` does not have `d` columns.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>, FitError> {
        // TODO: Check the columns, standardise x, prepend a column of ones, and return softmax([1, x̃] W).
        todo!("class probabilities of x {:?}", x.shape())
    }

    /// The most probable class of every sample (ties to the smaller class).
    ///
    /// # Errors
    /// As [`SoftmaxModel::predict_proba`].
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Vec<usize>, FitError> {
        // TODO: Take predict_proba and the index of every row's maximum (the first one on a tie).
        todo!("classes of x {:?}", x.shape())
    }
}

/// Softmax regression by mini-batch gradient descent on the standardised features, from W = 0:
///
/// ```text
/// x: (n, d)   labels: (n), each in 0..classes   →   SoftmaxModel
/// standardise:  x̃ = (x − mean) / scale, scale = the population SD (1 where it is 0);  X̃ = [1, x̃]
/// every epoch:  shuffle 0..n (StdRng::seed_from_u64(seed), one shuffle per epoch, in order)
///   for every batch B of batch_size consecutive shuffled indices:
///       G = X̃_Bᵀ (softmax(X̃_B W) − Y_B) / |B|;   W ← W − η G
///   losses.push(mean NLL over the training set);  FitError::Diverged if it is not finite
/// ```
///
/// # Errors
/// Those of [`ensure_labels`](crate::error::ensure_labels); [`FitError::InvalidSetting`] for a
/// learning rate that is not positive, 0 epochs or a batch size of 0; [`FitError::Diverged`].
pub fn fit_softmax_sgd(
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    classes: usize,
    config: &SgdConfig,
) -> Result<SoftmaxModel, FitError> {
    // TODO: Check the labels and the settings, standardise, then run the epochs as above.
    todo!(
        "softmax regression by SGD on x {:?}, {} labels, {classes} classes with {config:?}",
        x.shape(),
        labels.len()
    )
}
