//! The typed errors of the exercise, and the kit's input checks that produce them.
//!
//! The checks are given: call them at the top of your functions, where the `TODO` says so.

/// Why a layer, a network or the training loop refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CnnError {
    /// A batch with no samples: there is nothing to compute.
    #[error("empty batch: {what} has no samples")]
    EmptyBatch {
        /// The array that is empty.
        what: String,
    },
    /// Two arrays whose shapes do not fit together.
    #[error("shape mismatch: {0}")]
    ShapeMismatch(String),
    /// A window that does not tile the padded input: `(input + 2·pad − kernel) / stride` is not a
    /// whole number, so the last window would hang over the edge.
    #[error(
        "(input {input} + 2·pad {pad} − kernel {kernel}) is not a multiple of stride \
         {stride}, so the windows do not tile the input; choose another stride or padding"
    )]
    OutputSize {
        /// The input's size along that axis.
        input: usize,
        /// The window's size along it.
        kernel: usize,
        /// The stride.
        stride: usize,
        /// The zero padding on each side.
        pad: usize,
    },
    /// A window larger than the padded input, or a stride or window size of 0.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
    /// A class label that is not in `0..classes`.
    #[error("label {label} of sample {index} is out of range: expected a class in 0..{classes}")]
    LabelOutOfRange {
        /// The sample with the bad label.
        index: usize,
        /// Its label.
        label: usize,
        /// The number of classes.
        classes: usize,
    },
}

/// Fails with [`CnnError::EmptyBatch`] when `n`, the batch size of `what`, is 0.
///
/// # Errors
/// [`CnnError::EmptyBatch`] naming `what`.
pub fn ensure_nonempty(what: &str, n: usize) -> Result<(), CnnError> {
    if n == 0 {
        return Err(CnnError::EmptyBatch {
            what: what.to_owned(),
        });
    }
    Ok(())
}

/// Fails unless `got` equals `expected`; `what` says which sizes are compared, for example
/// `"channels of x vs channels of w"`.
///
/// # Errors
/// [`CnnError::ShapeMismatch`]: "channels of x vs channels of w: got 3, expected 1".
pub fn ensure_dim(what: &str, got: usize, expected: usize) -> Result<(), CnnError> {
    if got != expected {
        return Err(CnnError::ShapeMismatch(format!(
            "{what}: got {got}, expected {expected}"
        )));
    }
    Ok(())
}

/// Fails unless `shape` equals `expected`; `what` names the array, for example `"dout"`.
///
/// # Errors
/// [`CnnError::ShapeMismatch`]: "dout has shape [2, 3, 2, 2], expected [2, 3, 1, 1]".
pub fn ensure_shape(what: &str, shape: &[usize], expected: &[usize]) -> Result<(), CnnError> {
    if shape != expected {
        return Err(CnnError::ShapeMismatch(format!(
            "{what} has shape {shape:?}, expected {expected:?}"
        )));
    }
    Ok(())
}

/// Fails unless there is one label per sample and every label is a class in `0..classes`.
///
/// # Errors
/// [`CnnError::ShapeMismatch`] when `labels.len() != samples`; [`CnnError::LabelOutOfRange`]
/// naming the first bad label.
pub fn ensure_labels(labels: &[usize], samples: usize, classes: usize) -> Result<(), CnnError> {
    ensure_dim("number of labels vs samples", labels.len(), samples)?;
    if let Some((index, &label)) = labels.iter().enumerate().find(|&(_, &l)| l >= classes) {
        return Err(CnnError::LabelOutOfRange {
            index,
            label,
            classes,
        });
    }
    Ok(())
}
