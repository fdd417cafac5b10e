//! The typed errors of the exercise, and the kit's input checks that produce them.
//!
//! The checks are given: call them where a `TODO` says so.

/// Why a graph, a tape, an operation or the training loop refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdError {
    /// A node handle that belongs to another graph or tape: its index means nothing here.
    #[error("node {index} belongs to graph {belongs_to}, not to this graph ({this})")]
    ForeignNode {
        /// The node's index in its own graph.
        index: usize,
        /// The graph or tape the node was made by.
        belongs_to: u64,
        /// The graph or tape it was given to.
        this: u64,
    },
    /// Two arrays whose shapes do not fit together.
    #[error("shape mismatch: {0}")]
    ShapeMismatch(String),
    /// A batch with no samples: there is nothing to average over.
    #[error("empty batch: {what} has no samples")]
    EmptyBatch {
        /// The array that is empty.
        what: String,
    },
    /// A class label that is not in `0..classes`.
    #[error("label {label} of sample {index} is out of range: expected a class in 0..{classes}")]
    LabelOutOfRange {
        /// The sample with the bad label.
        index: usize,
        /// Its label.
        label: usize,
        /// The number of classes (columns of the logits).
        classes: usize,
    },
    /// An input outside an operation's domain, such as the logarithm of a negative number.
    #[error("{op} is not defined at {value}")]
    OutOfDomain {
        /// The operation.
        op: &'static str,
        /// The offending input.
        value: f64,
    },
    /// A setting that cannot work, such as a negative learning rate.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
}

/// Fails with [`AdError::ShapeMismatch`] unless `got` equals `expected`; `what` says which sizes
/// are compared, for example `"columns of a vs rows of b"`.
///
/// # Errors
/// [`AdError::ShapeMismatch`]: "columns of a vs rows of b: got 3, expected 4".
pub fn ensure_dim(what: &str, got: usize, expected: usize) -> Result<(), AdError> {
    if got != expected {
        return Err(AdError::ShapeMismatch(format!(
            "{what}: got {got}, expected {expected}"
        )));
    }
    Ok(())
}

/// The shape of `a ∘ b` under broadcasting: along each axis the sizes are equal, or one of them
/// is 1 and is stretched to the other. `(32, 10)` and `(1, 10)` give `(32, 10)`.
///
/// # Errors
/// [`AdError::ShapeMismatch`] naming both shapes when an axis has two sizes, neither of them 1.
pub fn broadcast_shape(a: (usize, usize), b: (usize, usize)) -> Result<(usize, usize), AdError> {
    let axis = |x: usize, y: usize| match (x, y) {
        _ if x == y => Some(x),
        (1, _) => Some(y),
        (_, 1) => Some(x),
        _ => None,
    };
    match (axis(a.0, b.0), axis(a.1, b.1)) {
        (Some(rows), Some(cols)) => Ok((rows, cols)),
        _ => Err(AdError::ShapeMismatch(format!(
            "shapes {a:?} and {b:?} do not broadcast"
        ))),
    }
}

/// Fails unless `labels` holds one label per row of an `(N, C)` array, each a class in `0..C`,
/// and `N > 0`.
///
/// # Errors
/// [`AdError::EmptyBatch`], [`AdError::ShapeMismatch`] or [`AdError::LabelOutOfRange`] naming
/// the first bad label.
pub fn ensure_labels(labels: &[usize], shape: (usize, usize)) -> Result<(), AdError> {
    if shape.0 == 0 {
        return Err(AdError::EmptyBatch {
            what: "logits".to_owned(),
        });
    }
    ensure_dim(
        "number of labels vs rows of the logits",
        labels.len(),
        shape.0,
    )?;
    if let Some((index, &label)) = labels.iter().enumerate().find(|&(_, &l)| l >= shape.1) {
        return Err(AdError::LabelOutOfRange {
            index,
            label,
            classes: shape.1,
        });
    }
    Ok(())
}
