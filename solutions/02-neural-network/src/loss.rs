//! Step 3: the softmax cross-entropy loss, averaged over the batch, and L2 regularisation.

use ndarray::{Array2, ArrayView2};

use crate::error::NnError;
// BEGIN SOLUTION
use crate::error::{ensure_labels, ensure_nonempty};
use ndarray::Axis;
// END SOLUTION

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
/// # use neural_network_solution::softmax;
/// use ndarray::array;
/// let p = softmax(array![[0.0, 0.0]].view());
/// assert_eq!(p, array![[0.5, 0.5]]);
/// ```
pub fn softmax(logits: ArrayView2<'_, f64>) -> Array2<f64> {
    // BEGIN SOLUTION
    let mut p = logits.to_owned();
    for mut row in p.rows_mut() {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row /= sum;
    }
    p
    // STUB
    // // TODO: Exponentiate each row minus its maximum, then divide by the row's sum. [[0, 0]] -> [[0.5, 0.5]]
    // todo!("row-wise softmax of logits {:?}", logits.shape())
    // END SOLUTION
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
/// # use neural_network_solution::softmax_cross_entropy;
/// use ndarray::array;
/// let (loss, dlogits) = softmax_cross_entropy(array![[0.0, 0.0]].view(), &[1])?;
/// assert!((loss - 2f64.ln()).abs() < 1e-12);
/// assert_eq!(dlogits, array![[0.5, -0.5]]);
/// # Ok::<(), neural_network_solution::NnError>(())
/// ```
pub fn softmax_cross_entropy(
    logits: ArrayView2<'_, f64>,
    labels: &[usize],
) -> Result<(f64, Array2<f64>), NnError> {
    // BEGIN SOLUTION
    ensure_nonempty("logits", logits)?;
    ensure_labels(labels, logits.nrows(), logits.ncols())?;
    let n = logits.nrows() as f64;
    let mut dlogits = logits.to_owned();
    let mut loss = 0.0;
    for (mut row, &label) in dlogits.axis_iter_mut(Axis(0)).zip(labels) {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        // Taken before exponentiating: ln(exp(s_y − max)) is −∞ once exp underflows to 0.
        let shifted_label = row[label] - max;
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        // log p_y = (s_y − max) − log ∑ exp(s − max), finite however far s_y is below the max.
        loss -= shifted_label - sum.ln();
        row.mapv_inplace(|e| e / (sum * n));
        row[label] -= 1.0 / n;
    }
    Ok((loss / n, dlogits))
    // STUB
    // // TODO: Validate with crate::error::{ensure_nonempty, ensure_labels}, then return the mean loss and (p − onehot(y)) / N.
    // // [[0, 0]] with label [1] -> (ln 2, [[0.5, -0.5]])
    // todo!(
    //     "mean cross-entropy of logits {:?} with {} labels, and dlogits",
    //     logits.shape(),
    //     labels.len()
    // )
    // END SOLUTION
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
/// # use neural_network_solution::l2_penalty;
/// use ndarray::array;
/// assert_eq!(l2_penalty(0.1, array![[1.0, -2.0]].view()), 0.5);
/// ```
pub fn l2_penalty(reg: f64, w: ArrayView2<'_, f64>) -> f64 {
    // BEGIN SOLUTION
    // ∑ W² as the dot product of the flattened weights with themselves: ndarray's `dot` sums in
    // several lanes at once, where a sequential `.iter().sum()` waits on every addition.
    let w = w.flatten();
    reg * w.dot(&w)
    // STUB
    // // TODO: Return reg · ∑ W². reg 0.1, [[1, -2]] -> 0.5
    // todo!("L2 penalty of w {:?} at reg {reg}", w.shape())
    // END SOLUTION
}

/// The gradient of [`l2_penalty`] with respect to `w: (D, H)`, shape `(D, H)`: `∂R/∂W = 2 λ W`.
///
/// # Examples
/// ```
/// # use neural_network_solution::l2_gradient;
/// use ndarray::array;
/// assert_eq!(l2_gradient(0.1, array![[1.0, -2.0]].view()), array![[0.2, -0.4]]);
/// ```
pub fn l2_gradient(reg: f64, w: ArrayView2<'_, f64>) -> Array2<f64> {
    // BEGIN SOLUTION
    w.mapv(|v| 2.0 * reg * v)
    // STUB
    // // TODO: Return 2 · reg · W. reg 0.1, [[1, -2]] -> [[0.2, -0.4]]
    // todo!("gradient of the L2 penalty of w {:?} at reg {reg}", w.shape())
    // END SOLUTION
}
