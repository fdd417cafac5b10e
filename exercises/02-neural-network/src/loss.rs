//! Step 3: the softmax cross-entropy loss, averaged over the batch, and L2 regularisation.

use ndarray::{Array2, ArrayView2};

use crate::error::NnError;

/// The softmax of every row of `logits: (N, C)`, shape `(N, C)`: each row becomes a probability
/// distribution over the `C` classes.
///
/// ```text
/// pᵢⱼ = exp(sᵢⱼ − mᵢ) / ∑ₖ exp(sᵢₖ − mᵢ),   mᵢ = maxₖ sᵢₖ
/// ```
///
/// Subtracting the row maximum `mᵢ` changes nothing mathematically and keeps `exp` from
/// overflowing: the softmax of `[1000, 1001, 1002]` is `[0.090031, 0.244728, 0.665241]`, not NaN.
///
/// # Examples
/// ```
/// # use neural_network::softmax;
/// use ndarray::array;
/// let p = softmax(array![[0.0, 0.0]].view());
/// assert_eq!(p, array![[0.5, 0.5]]);
/// ```
pub fn softmax(logits: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: Exponentiate each row minus its maximum, then divide by the row's sum. [[0, 0]] -> [[0.5, 0.5]]
    todo!("row-wise softmax of logits {:?}", logits.shape())
}

/// The mean softmax cross-entropy of a batch and its gradient with respect to the logits.
///
/// ```text
/// logits: (N, C)   labels: (N), each in 0..C   →   (L, dlogits: (N, C))
/// L = −(1/N) ∑ᵢ log pᵢ,yᵢ                       p = softmax(logits)
/// ∂L/∂sᵢⱼ = (pᵢⱼ − [j = yᵢ]) / N
/// ```
///
/// The loss is averaged, not summed, over the batch, so is its gradient: both keep the same scale
/// whatever the batch size. Compute `log pᵢ,yᵢ` as `sᵢ,yᵢ − mᵢ − log ∑ₖ exp(sᵢₖ − mᵢ)` (never as
/// `ln pᵢ,yᵢ` of the softmax, which is `ln 0 = −∞` once `pᵢ,yᵢ` underflows) so that the loss stays
/// finite for any finite logits: `[[1000, 1001, 1002]]` with label 2 gives `L = 0.4076059644`,
/// `[[0, 1000]]` with label 0 gives `L = 1000`.
///
/// # Errors
/// [`NnError::EmptyBatch`] when `logits` has no rows; [`NnError::ShapeMismatch`] when there is
/// not one label per row; [`NnError::LabelOutOfRange`] when a label is not in `0..C`.
///
/// # Examples
/// ```
/// # use neural_network::softmax_cross_entropy;
/// use ndarray::array;
/// let (loss, dlogits) = softmax_cross_entropy(array![[0.0, 0.0]].view(), &[1])?;
/// assert!((loss - 2f64.ln()).abs() < 1e-12);
/// assert_eq!(dlogits, array![[0.5, -0.5]]);
/// # Ok::<(), neural_network::NnError>(())
/// ```
pub fn softmax_cross_entropy(
    logits: ArrayView2<'_, f64>,
    labels: &[usize],
) -> Result<(f64, Array2<f64>), NnError> {
    // TODO: Validate with crate::error::{ensure_nonempty, ensure_labels}, then return the mean loss and (p − onehot(y)) / N.
    // [[0, 0]] with label [1] -> (ln 2, [[0.5, -0.5]])
    todo!(
        "mean cross-entropy of logits {:?} with {} labels, and dlogits",
        logits.shape(),
        labels.len()
    )
}

/// The L2 penalty of one weight matrix, with the convention of this kit: `reg · ∑ W²` (no ½).
///
/// ```text
/// R(W) = λ ∑ₖⱼ Wₖⱼ²        λ = reg
/// ```
///
/// Only weights are penalised, never biases. (CS231n's older convention `½ λ' ∑ W²` gives the same
/// number with `λ' = 2λ`.)
///
/// # Examples
/// ```
/// # use neural_network::l2_penalty;
/// use ndarray::array;
/// assert_eq!(l2_penalty(0.1, array![[1.0, -2.0]].view()), 0.5);
/// ```
pub fn l2_penalty(reg: f64, w: ArrayView2<'_, f64>) -> f64 {
    // TODO: Return reg · ∑ W². reg 0.1, [[1, -2]] -> 0.5
    todo!("L2 penalty of w {:?} at reg {reg}", w.shape())
}

/// The gradient of [`l2_penalty`] with respect to `w: (D, H)`, shape `(D, H)`: `∂R/∂W = 2 λ W`.
///
/// # Examples
/// ```
/// # use neural_network::l2_gradient;
/// use ndarray::array;
/// assert_eq!(l2_gradient(0.1, array![[1.0, -2.0]].view()), array![[0.2, -0.4]]);
/// ```
pub fn l2_gradient(reg: f64, w: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: Return 2 · reg · W. reg 0.1, [[1, -2]] -> [[0.2, -0.4]]
    todo!(
        "gradient of the L2 penalty of w {:?} at reg {reg}",
        w.shape()
    )
}
