//! The typed errors of the exercise, and the kit's input checks that produce them.
//!
//! The checks are given: call them at the top of your functions, where the `TODO` says so.

use ndarray::ArrayView2;

/// Why a layer, a loss, a network or the training loop refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NnError {
    /// A batch with no samples: there is nothing to average over.
    #[error("empty batch: {what} has no samples")]
    EmptyBatch {
        /// The array that is empty.
        what: String,
    },
    /// Two arrays whose shapes do not fit together.
    #[error("shape mismatch: {0}")]
    ShapeMismatch(String),
    /// A class label that is not in `0..classes`.
    #[error("label {label} of sample {index} is out of range: expected a class in 0..{classes}")]
    LabelOutOfRange {
        /// The sample with the bad label.
        index: usize,
        /// Its label.
        label: usize,
        /// The number of classes (columns of the scores).
        classes: usize,
    },
    /// A setting that cannot work, such as a batch size of 0 or a negative learning rate.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
}

/// Fails with [`NnError::EmptyBatch`] when `x` has no rows (samples).
///
/// # Errors
/// [`NnError::EmptyBatch`] naming `what`.
pub fn ensure_nonempty(what: &str, x: ArrayView2<'_, f64>) -> Result<(), NnError> {
    if x.nrows() == 0 {
        return Err(NnError::EmptyBatch {
            what: what.to_owned(),
        });
    }
    Ok(())
}

/// Fails with [`NnError::ShapeMismatch`] unless `got` equals `expected`; `what` says which sizes
/// are compared, for example `"columns of x vs rows of w"`.
///
/// # Errors
/// [`NnError::ShapeMismatch`]: "columns of x vs rows of w: got 3, expected 4".
pub fn ensure_dim(what: &str, got: usize, expected: usize) -> Result<(), NnError> {
    if got != expected {
        return Err(NnError::ShapeMismatch(format!(
            "{what}: got {got}, expected {expected}"
        )));
    }
    Ok(())
}

/// Fails unless `shape` equals `expected`; `what` names the array, for example `"dout"`.
///
/// # Errors
/// [`NnError::ShapeMismatch`]: "dout has shape [2, 3], expected [2, 4]".
pub fn ensure_shape(what: &str, shape: &[usize], expected: &[usize]) -> Result<(), NnError> {
    if shape != expected {
        return Err(NnError::ShapeMismatch(format!(
            "{what} has shape {shape:?}, expected {expected:?}"
        )));
    }
    Ok(())
}

/// Fails unless there is one label per sample and every label is a class in `0..classes`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] when `labels.len() != samples`; [`NnError::LabelOutOfRange`] naming
/// the first bad label.
pub fn ensure_labels(labels: &[usize], samples: usize, classes: usize) -> Result<(), NnError> {
    ensure_dim("number of labels vs samples", labels.len(), samples)?;
    if let Some((index, &label)) = labels.iter().enumerate().find(|&(_, &l)| l >= classes) {
        return Err(NnError::LabelOutOfRange {
            index,
            label,
            classes,
        });
    }
    Ok(())
}
