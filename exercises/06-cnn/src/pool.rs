//! Step 3: max pooling, forward and backward.

use ndarray::{Array4, ArrayView4};

use crate::error::CnnError;

/// A pooling window: `size × size` pixels, moving `stride` pixels per step, with no padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    /// The window's height and width, ≥ 1.
    pub size: usize,
    /// Pixels the window moves per step, ≥ 1.
    pub stride: usize,
}

/// Step 3: max pooling, the largest value of every window of every channel.
///
/// ```text
/// x: (N, C, H, W)   →   out: (N, C, H', W'),   H' = output_size(H, size, stride, 0)
/// out[n, c, i, j] = max_{p, q < size} x[n, c, i·S + p, j·S + q]
/// ```
///
/// # Errors
/// [`CnnError::EmptyBatch`] when `x` has no samples; the errors of
/// [`output_size`](crate::output_size) with no padding.
///
/// # Examples
/// ```
/// # use cnn::{max_pool_forward, Pool};
/// use ndarray::Array4;
/// let x = Array4::from_shape_vec((1, 1, 2, 2), vec![1.0, 4.0, 3.0, 2.0]).unwrap();
/// let out = max_pool_forward(x.view(), Pool { size: 2, stride: 2 })?;
/// assert_eq!(out[[0, 0, 0, 0]], 4.0);
/// # Ok::<(), cnn::CnnError>(())
/// ```
pub fn max_pool_forward(x: ArrayView4<'_, f64>, pool: Pool) -> Result<Array4<f64>, CnnError> {
    // TODO: Validate (crate::error::ensure_nonempty, output_size with pad 0), then take the
    // maximum of every window. [[1, 4], [3, 2]] -> [[4]]
    todo!("max-pool x {:?} with {pool:?}", x.shape())
}

/// Step 3: the backward pass of [`max_pool_forward`]: each window's gradient goes to the one
/// input that was its maximum, and nowhere else.
///
/// ```text
/// dout: (N, C, H', W')   x: (N, C, H, W)   →   dx: (N, C, H, W)
/// dx[n, c, i·S + p*, j·S + q*] += dout[n, c, i, j]    (p*, q*) = the window's arg-max
/// ```
///
/// **Ties**: when several inputs of a window share its maximum, the gradient goes to the first of
/// them in row-major order (smallest row, then smallest column), as the forward pass would report
/// it. With overlapping windows (stride < size) an input can be the arg-max of several windows:
/// it gets the sum of their gradients.
///
/// # Errors
/// The errors of [`max_pool_forward`]; [`CnnError::ShapeMismatch`] when `dout` is not
/// `(N, C, H', W')`.
pub fn max_pool_backward(
    dout: ArrayView4<'_, f64>,
    x: ArrayView4<'_, f64>,
    pool: Pool,
) -> Result<Array4<f64>, CnnError> {
    // TODO: Validate (ensure_shape for dout), then add each window's gradient to its arg-max
    // only, the first maximum in row-major order on ties. x [[1, 4], [3, 2]], dout [[5]] -> [[0, 5], [0, 0]]
    todo!(
        "max-pool backward of dout {:?} over x {:?} with {pool:?}",
        dout.shape(),
        x.shape()
    )
}
