//! Step 5: a small convolutional network, conv 3×3 – ReLU – max-pool 2 – dense.

use ndarray::{Array1, Array2, Array4, ArrayView4, ArrayViewD, ArrayViewMutD};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

use crate::conv::Conv;
use crate::error::CnnError;
use crate::pool::Pool;
use crate::train::Model;
// BEGIN SOLUTION
use crate::error::{ensure_dim, ensure_nonempty};
use crate::im2col::{conv_backward_im2col, conv_forward_im2col};
use crate::loss::softmax_cross_entropy;
use crate::pool::{max_pool_backward, max_pool_forward};
use ndarray::{Axis, Zip};
// END SOLUTION

/// A convolutional network for `C × H × W` images (`H`, `W` even) and `K` classes:
///
/// ```text
/// x: (N, C, H, W)
/// a = conv(x, conv_w, conv_b), stride 1, pad 1       (N, F, H, W)       Cnn::CONV
/// r = max(0, a)                                      (N, F, H, W)
/// p = max_pool(r), 2 × 2, stride 2                   (N, F, H/2, W/2)   Cnn::POOL
/// flat = p reshaped row-major to (N, F·H/2·W/2)      flat[n, (f·H/2 + i)·W/2 + j] = p[n, f, i, j]
/// scores = flat · dense_w + dense_b                  (N, K)
/// L = mean softmax cross-entropy(scores, y)          (no regularisation)
/// ```
///
/// The same type holds the gradient: [`Cnn::loss_and_gradients`] returns `∂L/∂θ` for every
/// parameter `θ`, in the field of the same name.
#[derive(Debug, Clone, PartialEq)]
pub struct Cnn {
    /// The filters, `(F, C, 3, 3)`.
    pub conv_w: Array4<f64>,
    /// The filters' biases, `(F)`.
    pub conv_b: Array1<f64>,
    /// The dense layer's weights, `(F·H/2·W/2, K)`.
    pub dense_w: Array2<f64>,
    /// The dense layer's biases, `(K)`.
    pub dense_b: Array1<f64>,
}

impl Cnn {
    /// The convolution's settings: 3 × 3 filters keep the image's size with stride 1, pad 1.
    pub const CONV: Conv = Conv { stride: 1, pad: 1 };
    /// The pooling: 2 × 2 windows, stride 2, halving each side.
    pub const POOL: Pool = Pool { size: 2, stride: 2 };

    /// A network for `(channels, height, width)` images with `filters` 3 × 3 filters and
    /// `classes` scores: He-normal weights drawn from `seed` (the filters with fan-in `C·9`, then
    /// the dense weights with fan-in `F·H/2·W/2`, row-major), zero biases.
    ///
    /// # Errors
    /// [`CnnError::InvalidSetting`] for a size of 0 or an odd height or width.
    pub fn new(
        (channels, height, width): (usize, usize, usize),
        filters: usize,
        classes: usize,
        seed: u64,
    ) -> Result<Cnn, CnnError> {
        if [channels, height, width, filters, classes].contains(&0)
            || height % 2 != 0
            || width % 2 != 0
        {
            return Err(CnnError::InvalidSetting(format!(
                "images {channels}×{height}×{width}, {filters} filters, {classes} classes: no \
                 size may be 0 and the height and width must be even"
            )));
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let he =
            |fan_in: usize| Normal::new(0.0, (2.0 / fan_in as f64).sqrt()).expect("a positive std");
        let conv = he(channels * 9);
        let conv_w =
            Array4::from_shape_simple_fn((filters, channels, 3, 3), || conv.sample(&mut rng));
        let flat = filters * (height / 2) * (width / 2);
        let dense = he(flat);
        let dense_w = Array2::from_shape_simple_fn((flat, classes), || dense.sample(&mut rng));
        Ok(Cnn {
            conv_w,
            conv_b: Array1::zeros(filters),
            dense_w,
            dense_b: Array1::zeros(classes),
        })
    }

    /// The number of filters `F`.
    pub fn filters(&self) -> usize {
        self.conv_w.dim().0
    }

    /// Step 5: the class scores of a batch, by the forward pass above.
    ///
    /// ```text
    /// x: (N, C, H, W)   →   scores: (N, K)
    /// ```
    ///
    /// # Errors
    /// The errors of the layers: [`CnnError::EmptyBatch`] with no images,
    /// [`CnnError::ShapeMismatch`] when `x`'s channels or size do not fit the weights.
    pub fn scores(&self, x: ArrayView4<'_, f64>) -> Result<Array2<f64>, CnnError> {
        // BEGIN SOLUTION
        let a = conv_forward_im2col(x, self.conv_w.view(), self.conv_b.view(), Cnn::CONV)?;
        let p = max_pool_forward(a.mapv(|v| v.max(0.0)).view(), Cnn::POOL)?;
        let flat = flatten(p, &self.dense_w)?;
        Ok(flat.dot(&self.dense_w) + &self.dense_b)
        // STUB
        // // TODO: conv (Cnn::CONV) with your step 1 or 4, ReLU, max-pool (Cnn::POOL), flatten
        // // row-major per image, then the dense layer.
        // todo!("scores of x {:?} through {} filters", x.shape(), self.filters())
        // END SOLUTION
    }

    /// Step 5: the mean softmax cross-entropy of the batch and its gradient with respect to every
    /// parameter, by backpropagation through the four layers, last first:
    ///
    /// ```text
    /// dscores = ∂L/∂scores                              softmax_cross_entropy
    /// d dense_w = flatᵀ · dscores,  d dense_b = ∑ₙ dscoresₙ,  dflat = dscores · dense_wᵀ
    /// dp = dflat reshaped to (N, F, H/2, W/2)
    /// dr = max_pool_backward(dp, r)
    /// da = dr ⊙ [a > 0]
    /// d conv_w, d conv_b = conv_backward(da, x, conv_w)   (dx is not needed)
    /// ```
    ///
    /// # Errors
    /// The errors of [`Cnn::scores`]; [`CnnError::ShapeMismatch`] or
    /// [`CnnError::LabelOutOfRange`] for bad labels.
    pub fn loss_and_gradients(
        &self,
        x: ArrayView4<'_, f64>,
        labels: &[usize],
    ) -> Result<(f64, Cnn), CnnError> {
        // BEGIN SOLUTION
        let a = conv_forward_im2col(x, self.conv_w.view(), self.conv_b.view(), Cnn::CONV)?;
        let r = a.mapv(|v| v.max(0.0));
        let p = max_pool_forward(r.view(), Cnn::POOL)?;
        let pooled = p.raw_dim();
        let flat = flatten(p, &self.dense_w)?;
        let scores = flat.dot(&self.dense_w) + &self.dense_b;
        let (loss, dscores) = softmax_cross_entropy(scores.view(), labels)?;
        let dense_w = flat.t().dot(&dscores);
        let dense_b = dscores.sum_axis(Axis(0));
        let dp = dscores
            .dot(&self.dense_w.t())
            .into_shape_with_order(pooled)
            .expect("N·F·H/2·W/2 elements");
        let mut da = max_pool_backward(dp.view(), r.view(), Cnn::POOL)?;
        Zip::from(&mut da).and(&a).for_each(|d, &a| {
            if a <= 0.0 {
                *d = 0.0;
            }
        });
        let conv = conv_backward_im2col(da.view(), x, self.conv_w.view(), Cnn::CONV)?;
        let gradient = Cnn {
            conv_w: conv.dw,
            conv_b: conv.db,
            dense_w,
            dense_b,
        };
        Ok((loss, gradient))
        // STUB
        // // TODO: Run the forward pass keeping a (before ReLU), r (after) and flat, take
        // // softmax_cross_entropy, then go back through dense, pool, ReLU and conv.
        // todo!(
        //     "loss and gradients of x {:?} with {} labels through {} filters",
        //     x.shape(),
        //     labels.len(),
        //     self.filters()
        // )
        // END SOLUTION
    }
}

impl Model for Cnn {
    fn scores(&self, x: ArrayView4<'_, f64>) -> Result<Array2<f64>, CnnError> {
        Cnn::scores(self, x)
    }

    fn loss_and_gradients(
        &self,
        x: ArrayView4<'_, f64>,
        labels: &[usize],
    ) -> Result<(f64, Cnn), CnnError> {
        Cnn::loss_and_gradients(self, x, labels)
    }

    fn parameters(&self) -> Vec<ArrayViewD<'_, f64>> {
        vec![
            self.conv_w.view().into_dyn(),
            self.conv_b.view().into_dyn(),
            self.dense_w.view().into_dyn(),
            self.dense_b.view().into_dyn(),
        ]
    }

    fn parameters_mut(&mut self) -> Vec<ArrayViewMutD<'_, f64>> {
        vec![
            self.conv_w.view_mut().into_dyn(),
            self.conv_b.view_mut().into_dyn(),
            self.dense_w.view_mut().into_dyn(),
            self.dense_b.view_mut().into_dyn(),
        ]
    }
}
// BEGIN SOLUTION

/// The pooled maps `p: (N, F, H/2, W/2)` as `(N, F·H/2·W/2)`, checked against `dense_w`.
fn flatten(p: Array4<f64>, dense_w: &Array2<f64>) -> Result<Array2<f64>, CnnError> {
    let (n, f, h, w) = p.dim();
    ensure_nonempty("x", n)?;
    ensure_dim(
        "pooled features per image vs rows of dense_w",
        f * h * w,
        dense_w.nrows(),
    )?;
    Ok(p.into_shape_with_order((n, f * h * w))
        .expect("N·F·H/2·W/2 elements"))
}
// END SOLUTION
