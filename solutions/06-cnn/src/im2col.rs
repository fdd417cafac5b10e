//! Step 4: convolution as one matrix product, by `im2col` and its adjoint `col2im`.

use ndarray::{Array2, Array4, ArrayView1, ArrayView2, ArrayView4};

use crate::conv::{Conv, ConvGradient};
use crate::error::CnnError;
// BEGIN SOLUTION
use crate::conv::output_size;
use crate::error::{ensure_dim, ensure_nonempty, ensure_shape};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, ArrayView3, ArrayViewMut2, Axis, s};
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
    let windows = Windows::new((c, h, w), (kh, kw), conv)?;
    let positions = windows.positions();
    let mut cols = Array2::zeros((windows.rows(), n * positions));
    // Image n's windows are the block of columns n·H'·W' .. (n + 1)·H'·W'.
    for (i, image) in x.outer_iter().enumerate() {
        windows.image_to_columns(
            image,
            cols.slice_mut(s![.., i * positions..(i + 1) * positions]),
        );
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
    let windows = Windows::new((c, h, w), (kh, kw), conv)?;
    let positions = windows.positions();
    ensure_shape("cols", cols.shape(), &[windows.rows(), n * positions])?;
    // Rows of a standard-layout matrix are contiguous, which columns_to_image's runs rely on.
    let cols = cols.as_standard_layout();
    let mut dx = Array4::zeros(x_shape);
    for (i, mut image) in dx.outer_iter_mut().enumerate() {
        windows.columns_to_image(
            cols.slice(s![.., i * positions..(i + 1) * positions]),
            image
                .as_slice_mut()
                .expect("an image of a new array is one slice"),
        );
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
    let windows = Windows::new((c, h, wd), (hh, ww), conv)?;
    let w2 = w.to_shape((f, windows.rows())).expect("F·C·HH·WW elements");
    // One image at a time, through one column buffer reused for every image: its C·HH·WW × H'·W'
    // entries stay in cache, and image n's product w₂ · cols is (F, H'·W'), already the layout of
    // out[n]. It is written in place: no (F, N, H', W') → (N, F, H', W') copy afterwards.
    let mut cols = Array2::zeros((windows.rows(), windows.positions()));
    let mut out = Array4::zeros((n, f, windows.out_h, windows.out_w));
    for (image, out_n) in x.outer_iter().zip(out.outer_iter_mut()) {
        windows.image_to_columns(image, cols.view_mut());
        let mut out_n = out_n
            .into_shape_with_order((f, windows.positions()))
            .expect("out[n] is one (F, H'·W') slice");
        // The bias first, then the product added onto it (β = 1): no second pass over out[n].
        out_n.assign(&b.insert_axis(Axis(1)));
        general_mat_mul(1.0, &w2, &cols, 1.0, &mut out_n);
    }
    Ok(out)
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
    let windows = Windows::new((c, h, wd), (hh, ww), conv)?;
    ensure_shape("dout", dout.shape(), &[n, f, windows.out_h, windows.out_w])?;
    let w2 = w.to_shape((f, windows.rows())).expect("F·C·HH·WW elements");
    let dout = dout.as_standard_layout();
    // Image by image, as in the forward pass: dout[n] is already (F, H'·W') (dout is never
    // reordered), the two column buffers are reused, and dw and db add up over the images.
    let mut cols = Array2::zeros((windows.rows(), windows.positions()));
    let mut dcols = Array2::zeros((windows.rows(), windows.positions()));
    let mut dw2 = Array2::zeros((f, windows.rows()));
    let mut db = Array1::zeros(f);
    let mut dx = Array4::zeros(x.raw_dim());
    for ((image, g), mut dx_n) in x
        .outer_iter()
        .zip(dout.outer_iter())
        .zip(dx.outer_iter_mut())
    {
        let g = g
            .into_shape_with_order((f, windows.positions()))
            .expect("dout[n] is one (F, H'·W') slice");
        windows.image_to_columns(image, cols.view_mut());
        for (d, row) in db.iter_mut().zip(g.rows()) {
            *d += row.sum();
        }
        general_mat_mul(1.0, &g, &cols.t(), 1.0, &mut dw2);
        general_mat_mul(1.0, &w2.t(), &g, 0.0, &mut dcols);
        windows.columns_to_image(
            dcols.view(),
            dx_n.as_slice_mut()
                .expect("an image of a new array is one slice"),
        );
    }
    let dw = dw2
        .into_shape_with_order(w.raw_dim())
        .expect("F·C·HH·WW elements");
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

/// The geometry of one convolution: images of `C × H × W`, windows of `kh × kw` moved by `conv`,
/// `out_h × out_w` window positions.
#[derive(Debug, Clone, Copy)]
struct Windows {
    c: usize,
    h: usize,
    w: usize,
    kh: usize,
    kw: usize,
    out_h: usize,
    out_w: usize,
    conv: Conv,
}

impl Windows {
    /// The geometry of `kh × kw` windows over `C × H × W` images; the errors of `output_size`.
    fn new(
        (c, h, w): (usize, usize, usize),
        (kh, kw): (usize, usize),
        conv: Conv,
    ) -> Result<Self, CnnError> {
        Ok(Self {
            c,
            h,
            w,
            kh,
            kw,
            out_h: output_size(h, kh, conv.stride, conv.pad)?,
            out_w: output_size(w, kw, conv.stride, conv.pad)?,
            conv,
        })
    }

    /// Rows of the column matrix, `C·kh·kw`.
    fn rows(&self) -> usize {
        self.c * self.kh * self.kw
    }

    /// Window positions of one image, `H'·W'`: its columns in the column matrix.
    fn positions(&self) -> usize {
        self.out_h * self.out_w
    }

    /// im2col of one image `(C, H, W)` into `cols: (C·kh·kw, H'·W')`, whose rows must be
    /// contiguous. Every entry is written, the padding's as 0, so `cols` may be a buffer still
    /// holding the previous image's windows.
    ///
    /// Row by row: a row of `cols` is one offset `(c, p, q)` of the window at every position, so
    /// each window row's valid columns are one run of an image row, a straight copy for stride 1,
    /// with no bounds check or padding test per element.
    fn image_to_columns(&self, image: ArrayView3<'_, f64>, mut cols: ArrayViewMut2<'_, f64>) {
        let Self { h, w, .. } = *self;
        let Conv { stride, pad } = self.conv;
        let image = image.as_standard_layout();
        let pixels = image
            .as_slice()
            .expect("a standard-layout image is one slice");
        for ((ch, p, q), mut row) in self.offsets().zip(cols.rows_mut()) {
            let row = row.as_slice_mut().expect("im2col's rows are contiguous");
            let (first, last) = valid_outputs(q, self.conv, w, self.out_w);
            for (oy, window_row) in row.chunks_exact_mut(self.out_w).enumerate() {
                let Some(y) = source(oy, p, self.conv, h) else {
                    window_row.fill(0.0);
                    continue;
                };
                window_row[..first].fill(0.0);
                window_row[last..].fill(0.0);
                if first < last {
                    let from = &pixels[(ch * h + y) * w + first * stride + q - pad..];
                    let to = &mut window_row[first..last];
                    if stride == 1 {
                        to.copy_from_slice(&from[..to.len()]);
                    } else {
                        for (t, &v) in to.iter_mut().zip(from.iter().step_by(stride)) {
                            *t = v;
                        }
                    }
                }
            }
        }
    }

    /// col2im of one image: every entry of `cols: (C·kh·kw, H'·W')` (rows contiguous) added to
    /// the pixel of `image` (`C·H·W`, row-major) it was copied from; the padding's are dropped.
    /// The same runs as [`Windows::image_to_columns`], added instead of copied.
    fn columns_to_image(&self, cols: ArrayView2<'_, f64>, image: &mut [f64]) {
        let Self { h, w, .. } = *self;
        let Conv { stride, pad } = self.conv;
        for ((ch, p, q), row) in self.offsets().zip(cols.rows()) {
            let row = row.to_slice().expect("col2im's rows are contiguous");
            let (first, last) = valid_outputs(q, self.conv, w, self.out_w);
            if first >= last {
                continue;
            }
            for (oy, window_row) in row.chunks_exact(self.out_w).enumerate() {
                let Some(y) = source(oy, p, self.conv, h) else {
                    continue;
                };
                let to = &mut image[(ch * h + y) * w + first * stride + q - pad..];
                let from = &window_row[first..last];
                if stride == 1 {
                    for (t, &v) in to.iter_mut().zip(from) {
                        *t += v;
                    }
                } else {
                    for (t, &v) in to.iter_mut().step_by(stride).zip(from) {
                        *t += v;
                    }
                }
            }
        }
    }

    /// The window offsets `(c, p, q)` in the order of the column matrix's rows.
    fn offsets(&self) -> impl Iterator<Item = (usize, usize, usize)> + use<> {
        let Self { c, kh, kw, .. } = *self;
        (0..c).flat_map(move |ch| (0..kh).flat_map(move |p| (0..kw).map(move |q| (ch, p, q))))
    }
}

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
