//! Step 6: initialisation, and how saturated the hidden layer is.

use ndarray::ArrayView2;
// BEGIN SOLUTION
use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

use crate::vocab::VOCAB;
// END SOLUTION

use crate::error::LanguageModelError;
use crate::mlp::Mlp;

impl Mlp {
    /// A fresh model whose first predictions are nearly uniform and whose tanh units are not
    /// saturated.
    ///
    /// ```text
    /// fan_in = block · d
    /// C  ~ N(0, 1): (27, d)                  W₁ ~ N(0, 1) · (5/3)/√fan_in: (fan_in, H)
    /// b₁ ~ N(0, 1) · 0.01: (H,)              W₂ ~ N(0, 1) · 0.01: (H, 27)      b₂ = 0: (27,)
    /// ```
    ///
    /// drawn in that order, each row by row, with `StandardNormal` from
    /// `StdRng::seed_from_u64(seed)`. The tiny W₂ makes the logits near 0, so the loss at step
    /// 0 is near ln 27 = 3.2958 (a uniform guess) rather than tens; the gain 5/3 over √fan_in
    /// keeps the pre-activations of order 1, where tanh still has a slope.
    ///
    /// # Errors
    ///
    /// [`LanguageModelError::InvalidSetting`] when a size is 0.
    pub fn init(
        block_size: usize,
        embedding_dim: usize,
        hidden: usize,
        seed: u64,
    ) -> Result<Mlp, LanguageModelError> {
        for (name, value) in [
            ("block_size", block_size),
            ("embedding_dim", embedding_dim),
            ("hidden", hidden),
        ] {
            if value == 0 {
                return Err(LanguageModelError::InvalidSetting {
                    name,
                    value: 0.0,
                    expected: "at least 1",
                });
            }
        }
        // BEGIN SOLUTION
        let mut rng = StdRng::seed_from_u64(seed);
        let mut normal = |shape: (usize, usize), scale: f64| {
            Array2::from_shape_simple_fn(shape, || {
                let z: f64 = StandardNormal.sample(&mut rng);
                scale * z
            })
        };
        let fan_in = block_size * embedding_dim;
        let c = normal((VOCAB, embedding_dim), 1.0);
        let w1 = normal((fan_in, hidden), (5.0 / 3.0) / (fan_in as f64).sqrt());
        let b1 = normal((1, hidden), 0.01)
            .into_shape_with_order(hidden)
            .expect("one row");
        let w2 = normal((hidden, VOCAB), 0.01);
        Ok(Mlp {
            c,
            w1,
            b1,
            w2,
            b2: Array1::zeros(VOCAB),
        })
        // STUB
        // // TODO: Draw C, W₁, b₁, W₂ from N(0, 1) with the scales above, b₂ = 0. block 3, d 10, H 200 -> W₁ std ≈ 0.30
        // todo!("initialise an MLP of context {block_size}, embedding {embedding_dim}, hidden {hidden}, seed {seed}")
        // END SOLUTION
    }
}

/// The fraction of hidden activations with `|h| > threshold`: the units in tanh's flat tails,
/// whose gradient `1 − h²` all but vanishes.
///
/// ```text
/// h: (B, H)        [[0.1, −0.99], [0.995, 0.5]], threshold 0.97 → 2/4 = 0.5
/// ```
pub fn saturation(h: ArrayView2<'_, f64>, threshold: f64) -> f64 {
    // BEGIN SOLUTION
    if h.is_empty() {
        return 0.0;
    }
    h.iter().filter(|v| v.abs() > threshold).count() as f64 / h.len() as f64
    // STUB
    // // TODO: Count the activations beyond ±threshold, divided by their number. [[0.1, −0.99], [0.995, 0.5]], 0.97 -> 0.5
    // todo!("fraction of h {:?} beyond ±{threshold}", h.shape())
    // END SOLUTION
}
