//! Given: the baseline of step 6, exercise 02's multi-layer perceptron on the flattened image
//! (64 pixels – 64 ReLU units – 10 scores). Nothing to write here.

use ndarray::{Array1, Array2, ArrayView4, ArrayViewD, ArrayViewMutD, Axis};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

use crate::error::{CnnError, ensure_dim, ensure_nonempty};
use crate::loss::softmax_cross_entropy;
use crate::train::{Model, flatten};

/// A two-layer perceptron on the flattened image:
///
/// ```text
/// x: (N, C, H, W) → flat (N, D),  D = C·H·W
/// h = max(0, flat · W₁ + b₁)      (N, M)
/// scores = h · W₂ + b₂            (N, K)
/// ```
///
/// It sees an image as a list of pixels: the pixel at (2, 3) and the one at (2, 4) are as unrelated
/// to it as any other two, so a digit moved by one pixel is, for it, a new input.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// `(D, M)`.
    pub w1: Array2<f64>,
    /// `(M)`.
    pub b1: Array1<f64>,
    /// `(M, K)`.
    pub w2: Array2<f64>,
    /// `(K)`.
    pub b2: Array1<f64>,
}

impl Mlp {
    /// A network of `inputs` → `hidden` → `classes` with He-normal weights drawn from `seed`
    /// (`W₁` then `W₂`, row-major) and zero biases.
    ///
    /// # Errors
    /// [`CnnError::InvalidSetting`] for a size of 0.
    pub fn new(inputs: usize, hidden: usize, classes: usize, seed: u64) -> Result<Mlp, CnnError> {
        if inputs == 0 || hidden == 0 || classes == 0 {
            return Err(CnnError::InvalidSetting(format!(
                "sizes {inputs}, {hidden}, {classes}: none may be 0"
            )));
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let mut he = |rows: usize, cols: usize| {
            let normal = Normal::new(0.0, (2.0 / rows as f64).sqrt()).expect("a positive std");
            Array2::from_shape_simple_fn((rows, cols), || normal.sample(&mut rng))
        };
        Ok(Mlp {
            w1: he(inputs, hidden),
            b1: Array1::zeros(hidden),
            w2: he(hidden, classes),
            b2: Array1::zeros(classes),
        })
    }
}

impl Model for Mlp {
    fn scores(&self, x: ArrayView4<'_, f64>) -> Result<Array2<f64>, CnnError> {
        ensure_nonempty("x", x.len_of(Axis(0)))?;
        let flat = flatten(x);
        ensure_dim("pixels per image vs inputs", flat.ncols(), self.w1.nrows())?;
        let h = (flat.dot(&self.w1) + &self.b1).mapv_into(|v| v.max(0.0));
        Ok(h.dot(&self.w2) + &self.b2)
    }

    fn loss_and_gradients(
        &self,
        x: ArrayView4<'_, f64>,
        labels: &[usize],
    ) -> Result<(f64, Mlp), CnnError> {
        ensure_nonempty("x", x.len_of(Axis(0)))?;
        let flat = flatten(x);
        ensure_dim("pixels per image vs inputs", flat.ncols(), self.w1.nrows())?;
        let z = flat.dot(&self.w1) + &self.b1;
        let h = z.mapv(|v| v.max(0.0));
        let scores = h.dot(&self.w2) + &self.b2;
        let (loss, dscores) = softmax_cross_entropy(scores.view(), labels)?;
        let mut dh = dscores.dot(&self.w2.t());
        dh.zip_mut_with(&z, |d, &z| {
            if z <= 0.0 {
                *d = 0.0;
            }
        });
        let gradient = Mlp {
            w1: flat.t().dot(&dh),
            b1: dh.sum_axis(Axis(0)),
            w2: h.t().dot(&dscores),
            b2: dscores.sum_axis(Axis(0)),
        };
        Ok((loss, gradient))
    }

    fn parameters(&self) -> Vec<ArrayViewD<'_, f64>> {
        vec![
            self.w1.view().into_dyn(),
            self.b1.view().into_dyn(),
            self.w2.view().into_dyn(),
            self.b2.view().into_dyn(),
        ]
    }

    fn parameters_mut(&mut self) -> Vec<ArrayViewMutD<'_, f64>> {
        vec![
            self.w1.view_mut().into_dyn(),
            self.b1.view_mut().into_dyn(),
            self.w2.view_mut().into_dyn(),
            self.b2.view_mut().into_dyn(),
        ]
    }
}
