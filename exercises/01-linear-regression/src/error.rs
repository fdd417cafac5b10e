//! The typed errors of the exercise, and the kit's input checks that produce them.
//!
//! The checks are given: call them at the top of your functions, where the `TODO` says so.

use ndarray::{ArrayView, Dimension, IntoDimension};

/// Why a fit, a solver or a metric refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// No samples: there is nothing to fit or average.
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
    /// A Cholesky pivot that is not positive: the matrix is not symmetric positive definite
    /// (for XᵀX: the columns of X are linearly dependent, or rounding has made them so).
    #[error("not positive definite: pivot {pivot} is {value:e}, expected > 0")]
    NotPositiveDefinite {
        /// The column whose pivot failed.
        pivot: usize,
        /// The pivot's value before the square root.
        value: f64,
    },
    /// A triangular system with a zero (or non-finite) diagonal entry.
    #[error("singular triangular system: diagonal entry {index} is {value:e}")]
    Singular {
        /// The row of the zero diagonal entry.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// A design whose columns are linearly dependent (numerically): no unique least-squares
    /// solution exists.
    #[error(
        "rank deficient: column {column} is (numerically) a combination of the columns before it"
    )]
    RankDeficient {
        /// The first column found dependent.
        column: usize,
    },
    /// Fewer samples than it takes to estimate the parameters and the residual variance.
    #[error(
        "too few samples: {samples} samples for {parameters} parameters (need more samples than parameters)"
    )]
    TooFewSamples {
        /// Samples n.
        samples: usize,
        /// Parameters p, the intercept included.
        parameters: usize,
    },
    /// A feature with zero variance: it cannot be standardised.
    #[error("feature {column} is constant: it cannot be standardised")]
    ConstantFeature {
        /// The constant column.
        column: usize,
    },
    /// Gradient descent's loss stopped being finite: the learning rate is too large for the design.
    #[error(
        "gradient descent diverged at iteration {iteration}: the loss is no longer finite (learning rate too large, or features not standardised)"
    )]
    Diverged {
        /// The iteration at which the loss overflowed.
        iteration: usize,
    },
    /// A setting that cannot work, such as a learning rate ≤ 0.
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
