//! Step 1: scaling a vector.

use ndarray::{Array1, ArrayView1};

use crate::error::ProductionError;

/// `x` times `factor`, element by element.
///
/// ```text
/// yᵢ = factor · xᵢ        x: (N,), factor finite  →  y: (N,)
/// [1, −2] × 3 = [3, −6]
/// ```
///
/// # Errors
///
/// [`ProductionError::NotFinite`] when `factor` is NaN or infinite.
pub fn scale(x: ArrayView1<'_, f64>, factor: f64) -> Result<Array1<f64>, ProductionError> {
    // TODO: Refuse a factor that is not finite, then multiply every element by it. [1, -2] × 3 -> [3, -6]
    todo!("scale x {:?} by factor {factor}", x.shape())
}
