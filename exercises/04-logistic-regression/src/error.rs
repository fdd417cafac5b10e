//! The typed errors of the exercise, and the kit's input checks that produce them.
//!
//! The checks are given: call them at the top of your functions, where the `TODO` says so.

use ndarray::{ArrayView, ArrayView1, Dimension, IntoDimension};

/// Why a fit, a solver or a likelihood refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// No samples: there is nothing to fit.
    #[error("empty input: {what} has no samples")]
    EmptyInput {
        /// The array that is empty.
        what: String,
    },
    /// Two arrays whose shapes do not fit together.
    #[error("shape mismatch: {0}")]
    ShapeMismatch(String),
    /// A NaN or an infinity in the data.
    #[error("{what} is not finite at {index:?}: {value}")]
    NonFinite {
        /// The array holding the value.
        what: String,
        /// Where it is.
        index: Vec<usize>,
        /// The value (NaN or ±∞).
        value: f64,
    },
    /// A response that is not a count of successes out of its trials (`0 ≤ yᵢ ≤ mᵢ`, `mᵢ > 0`),
    /// or a class label outside `0..K`.
    #[error("invalid response at {index}: {message}")]
    InvalidResponse {
        /// The observation.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A Cholesky pivot that is not positive: the matrix is not symmetric positive definite
    /// (for XᵀWX: the columns of X are linearly dependent, or every weight has vanished).
    #[error("not positive definite: pivot {pivot} is {value:e}, expected > 0")]
    NotPositiveDefinite {
        /// The column whose pivot failed.
        pivot: usize,
        /// The pivot's value before the square root.
        value: f64,
    },
    /// Complete or quasi-complete separation: the iterations drive an observation's fitted
    /// probability to 0 or 1, and the maximum-likelihood estimate does not exist (β runs off to
    /// infinity).
    #[error(
        "separation at iteration {iteration}: observation {observation} has linear predictor {eta:.1}, a fitted probability of 0 or 1 (no maximum-likelihood estimate exists)"
    )]
    Separation {
        /// The iteration after which it was detected (1 for the first Newton step).
        iteration: usize,
        /// The first observation whose |η| passed [`crate::SEPARATION_ETA`].
        observation: usize,
        /// Its linear predictor ηᵢ.
        eta: f64,
    },
    /// The iterations did not meet the stopping rule within the iteration limit.
    #[error("not converged after {iterations} iterations (relative change in deviance {change:e})")]
    NotConverged {
        /// The iterations run.
        iterations: usize,
        /// The last relative change in the deviance.
        change: f64,
    },
    /// Gradient descent's loss stopped being finite.
    #[error(
        "gradient descent diverged at epoch {epoch}: the loss is no longer finite (learning rate too large, or features not standardised)"
    )]
    Diverged {
        /// The epoch at which the loss overflowed.
        epoch: usize,
    },
    /// A setting that cannot work, such as a tolerance ≤ 0.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
}

/// Fails with [`FitError::EmptyInput`] when `len` (a number of samples) is 0.
///
/// # Errors
/// [`FitError::EmptyInput`] naming `what`.
pub fn ensure_nonempty(what: &str, len: usize) -> Result<(), FitError> {
    if len == 0 {
        return Err(FitError::EmptyInput {
            what: what.to_owned(),
        });
    }
    Ok(())
}

/// Fails with [`FitError::ShapeMismatch`] unless `got` equals `expected`; `what` says which sizes
/// are compared, for example `"length of y vs rows of x"`.
///
/// # Errors
/// [`FitError::ShapeMismatch`]: "length of y vs rows of x: got 3, expected 4".
pub fn ensure_dim(what: &str, got: usize, expected: usize) -> Result<(), FitError> {
    if got != expected {
        return Err(FitError::ShapeMismatch(format!(
            "{what}: got {got}, expected {expected}"
        )));
    }
    Ok(())
}

/// Fails with [`FitError::NonFinite`] at the first NaN or infinity of `a`.
///
/// # Errors
/// [`FitError::NonFinite`] naming `what` and the index.
pub fn ensure_finite<D: Dimension>(what: &str, a: ArrayView<'_, f64, D>) -> Result<(), FitError> {
    match a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some((index, &value)) => Err(FitError::NonFinite {
            what: what.to_owned(),
            index: index.into_dimension().slice().to_vec(),
            value,
        }),
        None => Ok(()),
    }
}

/// Checks a binomial problem: `x: (n, p)` finite with `n > 0`, `y: (n)` successes out of
/// `trials: (n)`, with `0 ≤ yᵢ ≤ mᵢ` and `mᵢ > 0` (a 0/1 response has every `mᵢ = 1`).
///
/// # Errors
/// [`FitError::EmptyInput`], [`FitError::ShapeMismatch`], [`FitError::NonFinite`], or
/// [`FitError::InvalidResponse`] naming the first bad observation.
pub fn ensure_binomial(
    x: ArrayView<'_, f64, ndarray::Ix2>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
) -> Result<(), FitError> {
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of y vs rows of x", y.len(), x.nrows())?;
    ensure_dim("length of trials vs rows of x", trials.len(), x.nrows())?;
    ensure_finite("x", x)?;
    ensure_finite("y", y)?;
    ensure_finite("trials", trials)?;
    for (index, (&yi, &mi)) in y.iter().zip(trials.iter()).enumerate() {
        if mi.is_nan() || mi <= 0.0 {
            return Err(FitError::InvalidResponse {
                index,
                message: format!("{mi} trials, expected > 0"),
            });
        }
        if !(0.0..=mi).contains(&yi) {
            return Err(FitError::InvalidResponse {
                index,
                message: format!("{yi} successes out of {mi} trials, expected 0 ≤ y ≤ trials"),
            });
        }
    }
    Ok(())
}

/// Checks a multinomial problem: `x: (n, p)` finite with `n > 0`, and one label in `0..classes`
/// per row, with `classes ≥ 2`.
///
/// # Errors
/// [`FitError::EmptyInput`], [`FitError::ShapeMismatch`], [`FitError::NonFinite`],
/// [`FitError::InvalidSetting`] for fewer than 2 classes, or [`FitError::InvalidResponse`] naming
/// the first label out of range.
pub fn ensure_labels(
    x: ArrayView<'_, f64, ndarray::Ix2>,
    labels: &[usize],
    classes: usize,
) -> Result<(), FitError> {
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("number of labels vs rows of x", labels.len(), x.nrows())?;
    ensure_finite("x", x)?;
    if classes < 2 {
        return Err(FitError::InvalidSetting(format!(
            "{classes} classes, expected at least 2"
        )));
    }
    match labels.iter().position(|&k| k >= classes) {
        Some(index) => Err(FitError::InvalidResponse {
            index,
            message: format!("label {} is not a class 0..{classes}", labels[index]),
        }),
        None => Ok(()),
    }
}
