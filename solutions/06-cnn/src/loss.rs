//! Given: softmax cross-entropy, the loss both networks are trained with.

use ndarray::{Array2, ArrayView2, Axis};

use crate::error::{CnnError, ensure_labels, ensure_nonempty};

/// The mean softmax cross-entropy of `scores: (N, K)` with `labels: (N)`, and its gradient
/// `∂L/∂scores: (N, K)`.
///
/// ```text
/// pᵢ = softmax(scoresᵢ),   L = −(1/N) ∑ᵢ log pᵢ,yᵢ,   ∂L/∂scores = (p − onehot(y)) / N
/// ```
///
/// # Errors
/// [`CnnError::EmptyBatch`] with no rows; [`CnnError::ShapeMismatch`] or
/// [`CnnError::LabelOutOfRange`] for bad labels.
pub fn softmax_cross_entropy(
    scores: ArrayView2<'_, f64>,
    labels: &[usize],
) -> Result<(f64, Array2<f64>), CnnError> {
    let (n, k) = scores.dim();
    ensure_nonempty("scores", n)?;
    ensure_labels(labels, n, k)?;
    let mut grad = scores.to_owned();
    let mut loss = 0.0;
    for (mut row, &label) in grad.axis_iter_mut(Axis(0)).zip(labels) {
        // Shifting by the row's maximum keeps exp from overflowing; softmax does not change.
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        loss += sum.ln() - row[label].ln();
        row /= sum;
        row[label] -= 1.0;
    }
    grad /= n as f64;
    Ok((loss / n as f64, grad))
}
