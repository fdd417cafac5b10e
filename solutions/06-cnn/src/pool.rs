//! Step 3: max pooling, forward and backward.

use ndarray::{Array4, ArrayView4};

use crate::error::CnnError;
// BEGIN SOLUTION
use crate::conv::output_size;
use crate::error::{ensure_nonempty, ensure_shape};
// END SOLUTION

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
/// # use cnn_solution::{max_pool_forward, Pool};
/// use ndarray::Array4;
/// let x = Array4::from_shape_vec((1, 1, 2, 2), vec![1.0, 4.0, 3.0, 2.0]).unwrap();
/// let out = max_pool_forward(x.view(), Pool { size: 2, stride: 2 })?;
/// assert_eq!(out[[0, 0, 0, 0]], 4.0);
/// # Ok::<(), cnn_solution::CnnError>(())
/// ```
pub fn max_pool_forward(x: ArrayView4<'_, f64>, pool: Pool) -> Result<Array4<f64>, CnnError> {
    // BEGIN SOLUTION
    let (n, c, h, w) = x.dim();
    ensure_nonempty("x", n)?;
    let out_h = output_size(h, pool.size, pool.stride, 0)?;
    let out_w = output_size(w, pool.size, pool.stride, 0)?;
    let x = x.as_standard_layout();
    let planes = x.as_slice().expect("a standard-layout array is one slice");
    let mut out = Array4::zeros((n, c, out_h, out_w));
    let maxima = out.as_slice_mut().expect("a new array is one slice");
    // One pass: plane by plane (one image's channel), window by window, each read from its slice.
    for (plane, out_plane) in planes
        .chunks_exact(h * w)
        .zip(maxima.chunks_exact_mut(out_h * out_w))
    {
        for (o, window) in out_plane.iter_mut().zip(pool.windows(w, out_h, out_w)) {
            *o = plane[window_argmax(plane, w, window, pool.size)];
        }
    }
    Ok(out)
    // STUB
    // // TODO: Validate (crate::error::ensure_nonempty, output_size with pad 0), then take the
    // // maximum of every window. [[1, 4], [3, 2]] -> [[4]]
    // todo!("max-pool x {:?} with {pool:?}", x.shape())
    // END SOLUTION
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
    // BEGIN SOLUTION
    let (n, c, h, w) = x.dim();
    ensure_nonempty("x", n)?;
    let out_h = output_size(h, pool.size, pool.stride, 0)?;
    let out_w = output_size(w, pool.size, pool.stride, 0)?;
    ensure_shape("dout", dout.shape(), &[n, c, out_h, out_w])?;
    let x = x.as_standard_layout();
    let dout = dout.as_standard_layout();
    let planes = x.as_slice().expect("a standard-layout array is one slice");
    let grads = dout
        .as_slice()
        .expect("a standard-layout array is one slice");
    let mut dx = Array4::zeros(x.raw_dim());
    let dplanes = dx.as_slice_mut().expect("a new array is one slice");
    for ((plane, dplane), grad_plane) in planes
        .chunks_exact(h * w)
        .zip(dplanes.chunks_exact_mut(h * w))
        .zip(grads.chunks_exact(out_h * out_w))
    {
        for (&g, window) in grad_plane.iter().zip(pool.windows(w, out_h, out_w)) {
            dplane[window_argmax(plane, w, window, pool.size)] += g;
        }
    }
    Ok(dx)
    // STUB
    // // TODO: Validate (ensure_shape for dout), then add each window's gradient to its arg-max
    // // only, the first maximum in row-major order on ties. x [[1, 4], [3, 2]], dout [[5]] -> [[0, 5], [0, 0]]
    // todo!(
    //     "max-pool backward of dout {:?} over x {:?} with {pool:?}",
    //     dout.shape(),
    //     x.shape()
    // )
    // END SOLUTION
}
// BEGIN SOLUTION

impl Pool {
    /// The index `y·w + x` of every window's top-left pixel in a plane `w` pixels wide, in the
    /// row-major order of the `out_h × out_w` outputs.
    fn windows(self, w: usize, out_h: usize, out_w: usize) -> impl Iterator<Item = usize> {
        (0..out_h).flat_map(move |oy| (0..out_w).map(move |ox| (oy * w + ox) * self.stride))
    }
}

/// The index in `plane` (row-major, `w` wide) of the maximum of the `size × size` window whose
/// top-left pixel is `corner`: the first one in row-major order on ties (a later value must be
/// strictly larger to win).
fn window_argmax(plane: &[f64], w: usize, corner: usize, size: usize) -> usize {
    let mut best = corner;
    for row in (corner..).step_by(w).take(size) {
        for (i, &v) in plane[row..row + size].iter().enumerate() {
            if v > plane[best] {
                best = row + i;
            }
        }
    }
    best
}
// END SOLUTION
