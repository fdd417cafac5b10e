//! Step 4: convolution as one matrix product, by `im2col` and its adjoint `col2im`.

use ndarray::{Array2, Array4, ArrayView1, ArrayView2, ArrayView4};

use crate::conv::{Conv, ConvGradient};
use crate::error::CnnError;

/// Step 4: every window of the zero-padded input as one column of a matrix.
///
/// ```text
/// x: (N, C, H, W), windows kh × kw   →   cols: (C·kh·kw, N·H'·W')
/// cols[(c·kh + p)·kw + q, (n·H' + i)·W' + j] = xₚₐ𝒹[n, c, i·S + p, j·S + q]
/// ```
///
/// The rows run over `(c, p, q)` in the order of `w.into_shape((F, C·kh·kw))`, the weights'
/// row-major reshape, so that `w₂ · cols` is the convolution; the columns run over `(n, i, j)`.
///
/// # Errors
/// [`CnnError::EmptyBatch`] when `x` has no samples; the errors of
/// [`output_size`](crate::output_size).
///
/// # Examples
/// ```
/// # use cnn::{im2col, Conv};
/// use ndarray::{array, Array4};
/// let x = Array4::from_shape_vec((1, 1, 2, 3), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
/// let cols = im2col(x.view(), 2, 2, Conv { stride: 1, pad: 0 })?;
/// assert_eq!(cols, array![[1.0, 2.0], [2.0, 3.0], [4.0, 5.0], [5.0, 6.0]]);
/// # Ok::<(), cnn::CnnError>(())
/// ```
pub fn im2col(
    x: ArrayView4<'_, f64>,
    kh: usize,
    kw: usize,
    conv: Conv,
) -> Result<Array2<f64>, CnnError> {
    // TODO: Validate (ensure_nonempty, output_size), then copy every window of the padded input
    // into its column, rows in (c, p, q) order. (1, 1, 2, 3) of 1…6, 2×2 windows -> [[1, 2], [2, 3], [4, 5], [5, 6]]
    todo!(
        "im2col of x {:?} with {kh}×{kw} windows and {conv:?}",
        x.shape()
    )
}

/// Step 4: the adjoint of [`im2col`]: every column's entries added back to the input pixel they
/// were copied from. Entries that came from the padding are dropped.
///
/// ```text
/// cols: (C·kh·kw, N·H'·W')   →   dx: x_shape = (N, C, H, W)
/// dx[n, c, i·S + p − pad, j·S + q − pad] += cols[(c·kh + p)·kw + q, (n·H' + i)·W' + j]
/// ```
///
/// A pixel read by several windows gets the sum of their entries: `col2im(im2col(x))` is `x`
/// times how many windows read each pixel, not `x`.
///
/// # Errors
/// [`CnnError::EmptyBatch`] when `x_shape` has no samples; [`CnnError::ShapeMismatch`] when
/// `cols` is not `(C·kh·kw, N·H'·W')`; the errors of [`output_size`](crate::output_size).
pub fn col2im(
    cols: ArrayView2<'_, f64>,
    x_shape: (usize, usize, usize, usize),
    kh: usize,
    kw: usize,
    conv: Conv,
) -> Result<Array4<f64>, CnnError> {
    // TODO: Validate (ensure_shape for cols), then add every entry of cols to the pixel im2col
    // copied it from; drop the padding's.
    todo!(
        "col2im of cols {:?} into {x_shape:?} with {kh}×{kw} windows and {conv:?}",
        cols.shape()
    )
}

/// Step 4: [`conv_forward`](crate::conv_forward) as one matrix product; the same result to
/// rounding (1e-12).
///
/// ```text
/// w₂ = w reshaped to (F, C·HH·WW)                         row-major
/// out₂ = w₂ · im2col(x) + b (added to every column)       (F, N·H'·W')
/// out[n, f, i, j] = out₂[f, (n·H' + i)·W' + j]
/// ```
///
/// # Errors
/// The errors of [`conv_forward`](crate::conv_forward).
pub fn conv_forward_im2col(
    x: ArrayView4<'_, f64>,
    w: ArrayView4<'_, f64>,
    b: ArrayView1<'_, f64>,
    conv: Conv,
) -> Result<Array4<f64>, CnnError> {
    // TODO: Validate as conv_forward does, then multiply w reshaped to (F, C·HH·WW) by
    // im2col(x), add b to every column, and reorder (F, N, H', W') to (N, F, H', W').
    todo!(
        "x {:?} ⋆ w {:?} + b {:?} with {conv:?}, as one matrix product",
        x.shape(),
        w.shape(),
        b.shape()
    )
}

/// Step 4: [`conv_backward`](crate::conv_backward) by matrix products; the same result to
/// rounding (1e-12).
///
/// ```text
/// dout₂ = dout reordered to (F, N·H'·W')           dout₂[f, (n·H' + i)·W' + j] = dout[n, f, i, j]
/// db = dout₂ summed over its columns               (F)
/// dw = dout₂ · im2col(x)ᵀ, reshaped to w's shape
/// dx = col2im(w₂ᵀ · dout₂)
/// ```
///
/// # Errors
/// The errors of [`conv_backward`](crate::conv_backward).
pub fn conv_backward_im2col(
    dout: ArrayView4<'_, f64>,
    x: ArrayView4<'_, f64>,
    w: ArrayView4<'_, f64>,
    conv: Conv,
) -> Result<ConvGradient, CnnError> {
    // TODO: Validate as conv_backward does, reorder dout to (F, N·H'·W'), then db, dw and
    // dx = col2im(w₂ᵀ · dout₂) by matrix products.
    todo!(
        "dx, dw, db from dout {:?}, x {:?}, w {:?} with {conv:?}, by matrix products",
        dout.shape(),
        x.shape(),
        w.shape()
    )
}
