//! Step 1: the dense (affine) layer, forward and backward.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::NnError;

/// The parameters of one dense layer: weights `w: (D, H)` and biases `b: (H)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// Weights, `(D, H)`: one column per output unit.
    pub w: Array2<f64>,
    /// Biases, `(H)`.
    pub b: Array1<f64>,
}

/// The gradient of the loss with respect to one dense layer's parameters, shaped like them.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradient {
    /// `∂L/∂W`, `(D, H)`.
    pub dw: Array2<f64>,
    /// `∂L/∂b`, `(H)`.
    pub db: Array1<f64>,
}

/// The affine map `out = x · W + b` of a batch, with `b` added to every row.
///
/// ```text
/// x: (N, D)   w: (D, H)   b: (H)   →   out: (N, H)
/// outᵢⱼ = ∑ₖ xᵢₖ Wₖⱼ + bⱼ
/// ```
///
/// # Errors
/// [`NnError::EmptyBatch`] when `x` has no rows; [`NnError::ShapeMismatch`] when the columns of
/// `x` are not the rows of `w`, or `b` does not have one entry per column of `w`.
///
/// # Examples
/// ```
/// # use neural_network::dense_forward;
/// use ndarray::array;
/// let out = dense_forward(array![[1.0, 2.0]].view(), array![[1.0], [1.0]].view(), array![0.5].view())?;
/// assert_eq!(out, array![[3.5]]);
/// # Ok::<(), neural_network::NnError>(())
/// ```
pub fn dense_forward(
    x: ArrayView2<'_, f64>,
    w: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Result<Array2<f64>, NnError> {
    // TODO: Validate with crate::error::{ensure_nonempty, ensure_dim}, then return x·W + b. [[1, 2]]·[[1], [1]] + [0.5] -> [[3.5]]
    todo!("x {:?} · w {:?} + b {:?}", x.shape(), w.shape(), b.shape())
}

/// The backward pass of [`dense_forward`]: from the upstream gradient `dout = ∂L/∂out`, the
/// gradients with respect to the input and the parameters.
///
/// ```text
/// dout: (N, H)   x: (N, D)   w: (D, H)
/// dx = dout · Wᵀ        (N, D)
/// dW = xᵀ · dout        (D, H)
/// db = ∑ᵢ doutᵢ         (H)      summed over the batch (axis 0)
/// ```
///
/// # Errors
/// [`NnError::EmptyBatch`] when `x` has no rows; [`NnError::ShapeMismatch`] when `dout` is not
/// `(N, H)` for `x: (N, D)` and `w: (D, H)`.
///
/// # Examples
/// ```
/// # use neural_network::dense_backward;
/// use ndarray::array;
/// let (dx, grad) = dense_backward(array![[1.0]].view(), array![[1.0, 2.0]].view(), array![[3.0], [4.0]].view())?;
/// assert_eq!(dx, array![[3.0, 4.0]]);
/// assert_eq!(grad.dw, array![[1.0], [2.0]]);
/// assert_eq!(grad.db, array![1.0]);
/// # Ok::<(), neural_network::NnError>(())
/// ```
pub fn dense_backward(
    dout: ArrayView2<'_, f64>,
    x: ArrayView2<'_, f64>,
    w: ArrayView2<'_, f64>,
) -> Result<(Array2<f64>, Gradient), NnError> {
    // TODO: Validate (crate::error::ensure_shape for dout), then return dx = dout·Wᵀ, dW = xᵀ·dout, db = dout summed over the batch.
    todo!(
        "dx, dW, db from dout {:?}, x {:?}, w {:?}",
        dout.shape(),
        x.shape(),
        w.shape()
    )
}
