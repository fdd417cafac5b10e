//! Step 4: convolution as one matrix product, by `im2col` and its adjoint `col2im`.

use ndarray::{Array2, Array4, ArrayView1, ArrayView2, ArrayView4};

use crate::conv::{Conv, ConvGradient};
use crate::error::CnnError;
// BEGIN SOLUTION
use crate::conv::output_size;
use crate::error::{ensure_dim, ensure_nonempty, ensure_shape};
use ndarray::Axis;
// END SOLUTION

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
/// # use cnn_solution::{im2col, Conv};
/// use ndarray::{array, Array4};
/// let x = Array4::from_shape_vec((1, 1, 2, 3), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
/// let cols = im2col(x.view(), 2, 2, Conv { stride: 1, pad: 0 })?;
/// assert_eq!(cols, array![[1.0, 2.0], [2.0, 3.0], [4.0, 5.0], [5.0, 6.0]]);
/// # Ok::<(), cnn_solution::CnnError>(())
/// ```
pub fn im2col(
    x: ArrayView4<'_, f64>,
    kh: usize,
    kw: usize,
    conv: Conv,
) -> Result<Array2<f64>, CnnError> {
    // BEGIN SOLUTION
    let (n, c, h, w) = x.dim();
    ensure_nonempty("x", n)?;
    let out_h = output_size(h, kh, conv.stride, conv.pad)?;
    let out_w = output_size(w, kw, conv.stride, conv.pad)?;
    let x = x.as_standard_layout();
    let pixels = x.as_slice().expect("a standard-layout array is one slice");
    let mut cols = Array2::zeros((c * kh * kw, n * out_h * out_w));
    // Row by row, each window row's valid columns copied as one run: no bounds check or padding
    // test per element, and for stride 1 a straight copy of a stretch of the image row.
    for ch in 0..c {
        for p in 0..kh {
            for q in 0..kw {
                let mut row = cols.row_mut((ch * kh + p) * kw + q);
                let row = row
                    .as_slice_mut()
                    .expect("a row of a new array is contiguous");
                let (first, last) = valid_outputs(q, conv, w, out_w);
                for i in 0..n {
                    for oy in 0..out_h {
                        let Some(y) = source(oy, p, conv, h) else {
                            continue;
                        };
                        let image_row = &pixels[((i * c + ch) * h + y) * w..][..w];
                        let window_row = &mut row[(i * out_h + oy) * out_w..][..out_w];
                        for ox in first..last {
                            window_row[ox] = image_row[ox * conv.stride + q - conv.pad];
                        }
                    }
                }
            }
        }
    }
    Ok(cols)
    // STUB
    // // TODO: Validate (ensure_nonempty, output_size), then copy every window of the padded input
    // // into its column, rows in (c, p, q) order. (1, 1, 2, 3) of 1…6, 2×2 windows -> [[1, 2], [2, 3], [4, 5], [5, 6]]
    // todo!("im2col of x {:?} with {kh}×{kw} windows and {conv:?}", x.shape())
    // END SOLUTION
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
    // BEGIN SOLUTION
    let (n, c, h, w) = x_shape;
    ensure_nonempty("x", n)?;
    let out_h = output_size(h, kh, conv.stride, conv.pad)?;
    let out_w = output_size(w, kw, conv.stride, conv.pad)?;
    ensure_shape("cols", cols.shape(), &[c * kh * kw, n * out_h * out_w])?;
    let mut dx = Array4::zeros(x_shape);
    let pixels = dx.as_slice_mut().expect("a new array is one slice");
    for ch in 0..c {
        for p in 0..kh {
            for q in 0..kw {
                let row = cols.row((ch * kh + p) * kw + q);
                let (first, last) = valid_outputs(q, conv, w, out_w);
                for i in 0..n {
                    for oy in 0..out_h {
                        let Some(y) = source(oy, p, conv, h) else {
                            continue;
                        };
                        let image_row = &mut pixels[((i * c + ch) * h + y) * w..][..w];
                        let start = (i * out_h + oy) * out_w;
                        for ox in first..last {
                            image_row[ox * conv.stride + q - conv.pad] += row[start + ox];
                        }
                    }
                }
            }
        }
    }
    Ok(dx)
    // STUB
    // // TODO: Validate (ensure_shape for cols), then add every entry of cols to the pixel im2col
    // // copied it from; drop the padding's.
    // todo!(
    //     "col2im of cols {:?} into {x_shape:?} with {kh}×{kw} windows and {conv:?}",
    //     cols.shape()
    // )
    // END SOLUTION
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
    // BEGIN SOLUTION
    let (n, c, h, wd) = x.dim();
    let (f, wc, hh, ww) = w.dim();
    ensure_nonempty("x", n)?;
    ensure_dim("channels of x vs channels of w", c, wc)?;
    ensure_dim("length of b vs filters of w", b.len(), f)?;
    let out_h = output_size(h, hh, conv.stride, conv.pad)?;
    let out_w = output_size(wd, ww, conv.stride, conv.pad)?;
    let cols = im2col(x, hh, ww, conv)?;
    let w2 = w.to_shape((f, c * hh * ww)).expect("F·C·HH·WW elements");
    let mut out2 = w2.dot(&cols);
    out2 += &b.insert_axis(Axis(1));
    let out = out2
        .into_shape_with_order((f, n, out_h, out_w))
        .expect("F·N·H'·W' elements")
        .permuted_axes([1, 0, 2, 3]);
    Ok(out.as_standard_layout().into_owned())
    // STUB
    // // TODO: Validate as conv_forward does, then multiply w reshaped to (F, C·HH·WW) by
    // // im2col(x), add b to every column, and reorder (F, N, H', W') to (N, F, H', W').
    // todo!(
    //     "x {:?} ⋆ w {:?} + b {:?} with {conv:?}, as one matrix product",
    //     x.shape(),
    //     w.shape(),
    //     b.shape()
    // )
    // END SOLUTION
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
    // BEGIN SOLUTION
    let (n, c, h, wd) = x.dim();
    let (f, wc, hh, ww) = w.dim();
    ensure_nonempty("x", n)?;
    ensure_dim("channels of x vs channels of w", c, wc)?;
    let out_h = output_size(h, hh, conv.stride, conv.pad)?;
    let out_w = output_size(wd, ww, conv.stride, conv.pad)?;
    ensure_shape("dout", dout.shape(), &[n, f, out_h, out_w])?;
    let cols = im2col(x, hh, ww, conv)?;
    let dout2 = dout.permuted_axes([1, 0, 2, 3]);
    let dout2 = dout2
        .to_shape((f, n * out_h * out_w))
        .expect("F·N·H'·W' elements");
    let db = dout2.sum_axis(Axis(1));
    let dw = dout2
        .dot(&cols.t())
        .into_shape_with_order(w.raw_dim())
        .expect("F·C·HH·WW elements");
    let w2 = w.to_shape((f, c * hh * ww)).expect("F·C·HH·WW elements");
    let dcols = w2.t().dot(&dout2);
    let dx = col2im(dcols.view(), x.dim(), hh, ww, conv)?;
    Ok(ConvGradient { dx, dw, db })
    // STUB
    // // TODO: Validate as conv_backward does, reorder dout to (F, N·H'·W'), then db, dw and
    // // dx = col2im(w₂ᵀ · dout₂) by matrix products.
    // todo!(
    //     "dx, dw, db from dout {:?}, x {:?}, w {:?} with {conv:?}, by matrix products",
    //     dout.shape(),
    //     x.shape(),
    //     w.shape()
    // )
    // END SOLUTION
}
// BEGIN SOLUTION

/// The output columns `first..last` whose window column `q` reads a pixel of the image (not the
/// padding): `0 ≤ ox·S + q − P < w`.
fn valid_outputs(q: usize, conv: Conv, w: usize, out_w: usize) -> (usize, usize) {
    let first = conv.pad.saturating_sub(q).div_ceil(conv.stride);
    let last = (w + conv.pad).saturating_sub(q).div_ceil(conv.stride);
    (first.min(out_w), last.min(out_w))
}

/// The input row (or column) that offset `k` of the window at output position `o` reads, or
/// `None` in the zero padding.
fn source(o: usize, k: usize, conv: Conv, size: usize) -> Option<usize> {
    (o * conv.stride + k)
        .checked_sub(conv.pad)
        .filter(|&v| v < size)
}
// END SOLUTION
