//! Steps 1 and 2: the convolution layer (a cross-correlation, as in every framework), forward and
//! backward, with direct loops.

use ndarray::{Array1, Array4, ArrayView1, ArrayView4};

use crate::error::CnnError;

/// How a window moves over the input: `stride` pixels per step, after `pad` rows and columns of
/// zeros are added on **each** side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conv {
    /// Pixels the window moves per step, ≥ 1.
    pub stride: usize,
    /// Zero rows and columns added on each side (top and bottom, left and right).
    pub pad: usize,
}

/// The gradient of the loss with respect to a convolution's input and parameters, each shaped
/// like its array.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvGradient {
    /// `∂L/∂x`, `(N, C, H, W)`.
    pub dx: Array4<f64>,
    /// `∂L/∂w`, `(F, C, HH, WW)`.
    pub dw: Array4<f64>,
    /// `∂L/∂b`, `(F)`.
    pub db: Array1<f64>,
}

/// Step 1: the number of window positions along one axis.
///
/// ```text
/// out = (input + 2·pad − kernel) / stride + 1
/// input 4, kernel 4, stride 2, pad 1   →   (4 + 2 − 4) / 2 + 1 = 2
/// input 4, kernel 3, stride 2, pad 0   →   (4 − 3) / 2 = ½: an error, not 1
/// ```
///
/// # Errors
/// [`CnnError::InvalidSetting`] when `stride` or `kernel` is 0, or the kernel is larger than the
/// padded input; [`CnnError::OutputSize`] when `input + 2·pad − kernel` is not a multiple of
/// `stride` (rounding down would silently drop the input's last rows or columns).
///
/// # Examples
/// ```
/// # use cnn::output_size;
/// assert_eq!(output_size(4, 4, 2, 1)?, 2);
/// assert!(output_size(4, 3, 2, 0).is_err());
/// # Ok::<(), cnn::CnnError>(())
/// ```
pub fn output_size(
    input: usize,
    kernel: usize,
    stride: usize,
    pad: usize,
) -> Result<usize, CnnError> {
    // TODO: Refuse a stride or kernel of 0 and a kernel larger than the padded input, then
    // return (input + 2·pad − kernel) / stride + 1, or CnnError::OutputSize when it is not whole.
    // input 4, kernel 4, stride 2, pad 1 -> 2
    todo!("output size of input {input}, kernel {kernel}, stride {stride}, pad {pad}")
}

/// Step 1: the convolution layer's forward pass, a cross-correlation of the zero-padded input
/// with every filter, plus the filter's bias.
///
/// ```text
/// x: (N, C, H, W)   w: (F, C, HH, WW)   b: (F)   →   out: (N, F, H', W')
/// H' = output_size(H, HH, stride, pad),  W' = output_size(W, WW, stride, pad)
/// out[n, f, i, j] = b[f] + ∑_c ∑_{p<HH} ∑_{q<WW} w[f, c, p, q] · xₚₐ𝒹[n, c, i·S + p, j·S + q]
/// xₚₐ𝒹[n, c, y, x] = x[n, c, y − pad, x − pad] inside the input, 0 in the padding
/// ```
///
/// The kernel is **not** flipped: `w[f, c, 0, 0]` multiplies the window's top-left pixel.
///
/// # Errors
/// [`CnnError::EmptyBatch`] when `x` has no samples; [`CnnError::ShapeMismatch`] when the
/// channels of `x` and `w` differ or `b` has not one entry per filter; the errors of
/// [`output_size`].
///
/// # Examples
/// ```
/// # use cnn::{conv_forward, Conv};
/// use ndarray::{Array1, Array4};
/// // A 1×1×3×3 image of ones, one 2×2 filter of ones, bias 0.5: every window sums 4 ones.
/// let x = Array4::ones((1, 1, 3, 3));
/// let w = Array4::ones((1, 1, 2, 2));
/// let out = conv_forward(x.view(), w.view(), Array1::from(vec![0.5]).view(), Conv { stride: 1, pad: 0 })?;
/// assert_eq!(out, Array4::from_elem((1, 1, 2, 2), 4.5));
/// # Ok::<(), cnn::CnnError>(())
/// ```
pub fn conv_forward(
    x: ArrayView4<'_, f64>,
    w: ArrayView4<'_, f64>,
    b: ArrayView1<'_, f64>,
    conv: Conv,
) -> Result<Array4<f64>, CnnError> {
    // TODO: Validate (crate::error::{ensure_nonempty, ensure_dim}, output_size), then slide every
    // filter over the zero-padded input. Ones (1, 1, 3, 3) ⋆ ones (1, 1, 2, 2) + 0.5 -> 4.5 everywhere.
    todo!(
        "x {:?} ⋆ w {:?} + b {:?} with {conv:?}",
        x.shape(),
        w.shape(),
        b.shape()
    )
}

/// Step 2: the backward pass of [`conv_forward`]: from `dout = ∂L/∂out`, the gradients with
/// respect to the input, the filters and the biases.
///
/// ```text
/// dout: (N, F, H', W')   x: (N, C, H, W)   w: (F, C, HH, WW)
/// db[f]          = ∑_{n,i,j} dout[n, f, i, j]
/// dw[f, c, p, q] = ∑_{n,i,j} dout[n, f, i, j] · xₚₐ𝒹[n, c, i·S + p, j·S + q]
/// dxₚₐ𝒹[n, c, i·S + p, j·S + q] += dout[n, f, i, j] · w[f, c, p, q]   for every n, f, i, j, p, q
/// dx = dxₚₐ𝒹 without its padding
/// ```
///
/// Every output reads `HH·WW·C` inputs; each of them gets that output's gradient times the weight
/// that multiplied it, added to what the other windows over it give.
///
/// # Errors
/// The errors of [`conv_forward`]; [`CnnError::ShapeMismatch`] when `dout` is not
/// `(N, F, H', W')`.
pub fn conv_backward(
    dout: ArrayView4<'_, f64>,
    x: ArrayView4<'_, f64>,
    w: ArrayView4<'_, f64>,
    conv: Conv,
) -> Result<ConvGradient, CnnError> {
    // TODO: Validate (crate::error::ensure_shape for dout), then send every output's gradient
    // back to the weights and the inputs its window read, and sum it per filter for db.
    todo!(
        "dx, dw, db from dout {:?}, x {:?}, w {:?} with {conv:?}",
        dout.shape(),
        x.shape(),
        w.shape()
    )
}
