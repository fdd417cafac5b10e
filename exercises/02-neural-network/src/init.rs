//! Step 6: initialising the weights, He and Xavier, from a seeded random number generator.

use ndarray::Array2;
use rand::rngs::StdRng;

/// How to draw a layer's initial weights. Biases always start at 0.
///
/// ```text
/// He:      Wₖⱼ ~ 𝒩(0, 2 / fan_in)                for ReLU networks
/// Xavier:  Wₖⱼ ~ 𝒩(0, 2 / (fan_in + fan_out))    for tanh and sigmoid networks (Glorot normal)
/// ```
///
/// Both keep the variance of the activations roughly constant from layer to layer, so a deep
/// network neither saturates nor dies at the start of training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    /// He (Kaiming) normal: variance `2 / fan_in`.
    He,
    /// Xavier (Glorot) normal: variance `2 / (fan_in + fan_out)`.
    Xavier,
}

/// A `(fan_in, fan_out)` weight matrix drawn from `init`'s normal distribution with `rng`.
///
/// The same seed gives the same weights: draw them in row-major order from `rng` alone.
///
/// # Examples
/// ```
/// # use neural_network::{init_weights, Init};
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = init_weights(Init::He, 64, 128, &mut StdRng::seed_from_u64(0));
/// assert_eq!(w.dim(), (64, 128));
/// ```
pub fn init_weights(init: Init, fan_in: usize, fan_out: usize, rng: &mut StdRng) -> Array2<f64> {
    // TODO: Draw each weight from N(0, variance) with rand_distr::Normal. He, 64 -> 128: std √(2/64) = 0.177
    let _ = rng;
    todo!("{init:?} weights of shape ({fan_in}, {fan_out}) drawn from rng")
}
