//! Step 1: the logistic function and its friends, stable for every finite input.
//!
//! `σ(z) = 1 / (1 + e⁻ᶻ)` overflows `e⁻ᶻ` for z < −709, and `ln(1 − σ(z))` written as it reads
//! is `ln(0) = −∞` as soon as σ(z) rounds to 1 (z ≳ 37). Each function here is rewritten so
//! that nothing overflows and nothing cancels: the same values, a different formula per sign.

use ndarray::{Array2, ArrayView1, ArrayView2};

/// The logistic sigmoid, `σ(z) = 1 / (1 + e⁻ᶻ)`, exact to rounding for every finite `z`.
///
/// ```text
/// z ≥ 0:  σ(z) = 1 / (1 + e⁻ᶻ)          (e⁻ᶻ ≤ 1: no overflow)
/// z < 0:  σ(z) = eᶻ / (1 + eᶻ)          (eᶻ < 1: no overflow, and tiny values keep their digits)
/// ```
///
/// # Examples
/// ```
/// # use logistic_regression::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert!((sigmoid(-800.0)).abs() < 1e-300 && sigmoid(800.0) == 1.0);
/// ```
pub fn sigmoid(z: f64) -> f64 {
    // TODO: Use 1 / (1 + e⁻ᶻ) for z ≥ 0 and eᶻ / (1 + eᶻ) for z < 0. 0 -> 0.5, −800 -> 0 (not NaN)
    todo!("σ({z})")
}

/// `ln σ(z)`, finite for every finite `z`. Note `ln(1 − σ(z)) = ln σ(−z)`: never write the former.
///
/// ```text
/// ln σ(z) = −ln(1 + e⁻ᶻ) = −softplus(−z)
/// z ≥ 0:  −ln_1p(e⁻ᶻ)
/// z < 0:  z − ln_1p(eᶻ)
/// ```
///
/// # Examples
/// ```
/// # use logistic_regression::log_sigmoid;
/// assert!((log_sigmoid(0.0) + std::f64::consts::LN_2).abs() < 1e-15);
/// assert_eq!(log_sigmoid(-800.0), -800.0);
/// ```
pub fn log_sigmoid(z: f64) -> f64 {
    // TODO: Use −ln_1p(e⁻ᶻ) for z ≥ 0 and z − ln_1p(eᶻ) for z < 0. 0 -> −0.693147, −800 -> −800
    todo!("ln σ({z})")
}

/// `ln ∑ₖ e^{aₖ}`, shifted by the maximum so that nothing overflows.
///
/// ```text
/// a: (K), K ≥ 1   →   m + ln ∑ₖ e^{aₖ − m},   m = maxₖ aₖ
/// ```
///
/// # Panics
/// When `a` is empty (the sum of nothing has no logarithm).
///
/// # Examples
/// ```
/// # use logistic_regression::log_sum_exp;
/// use ndarray::array;
/// assert!((log_sum_exp(array![1000.0, 1000.0].view()) - (1000.0 + 2f64.ln())).abs() < 1e-12);
/// ```
#[track_caller]
pub fn log_sum_exp(a: ArrayView1<'_, f64>) -> f64 {
    // TODO: Subtract the maximum m before exponentiating, add it back after the ln. [1000, 1000] -> 1000 + ln 2
    todo!("log-sum-exp of a {:?}", a.shape())
}

/// The softmax of every row of `logits`: `pᵢₖ = e^{zᵢₖ} / ∑ⱼ e^{zᵢⱼ}`, computed as
/// `e^{zᵢₖ − mᵢ} / ∑ⱼ e^{zᵢⱼ − mᵢ}` with `mᵢ` the row's maximum, so logits near ±1000 are finite.
///
/// ```text
/// logits: (n, K)   →   p: (n, K), every row sums to 1
/// ```
///
/// # Examples
/// ```
/// # use logistic_regression::softmax;
/// use ndarray::array;
/// let p = softmax(array![[1000.0, 1000.0], [0.0, 2f64.ln()]].view());
/// assert!((p[[0, 0]] - 0.5).abs() < 1e-15 && (p[[1, 1]] - 2.0 / 3.0).abs() < 1e-15);
/// ```
pub fn softmax(logits: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: For each row, subtract its maximum, exponentiate, divide by the row's sum. [[0, ln 2]] -> [[1/3, 2/3]]
    todo!("softmax of logits {:?} along axis 1", logits.shape())
}
