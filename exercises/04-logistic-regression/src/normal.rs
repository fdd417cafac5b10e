//! Given: the standard normal density and distribution function, for the probit link (step 6).
//! Nothing to write here.
//!
//! f64 has no `erf`; these are accurate to a few units in the last place for moderate
//! arguments, and keep their relative accuracy far into the tails.

use std::f64::consts::PI;

/// The standard normal density `φ(z) = e^{−z²/2} / √(2π)`.
///
/// # Examples
/// ```
/// # use logistic_regression::normal_pdf;
/// assert!((normal_pdf(0.0) - 0.398_942_280_401_432_7).abs() < 1e-16);
/// ```
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * PI).sqrt()
}

/// The standard normal distribution function `Φ(z) = P(Z ≤ z)`.
///
/// For `|z| < 3`, the series `Φ(z) = ½ + φ(z) ∑ₙ z^{2n+1} / (1·3·5⋯(2n+1))` (terms of one sign:
/// no cancellation inside the sum); beyond, the upper tail `1 − Φ(|z|)` by Laplace's continued
/// fraction `φ(z) / (z + 1/(z + 2/(z + 3/(z + ⋯))))`, evaluated from the back, so `Φ(−30)` keeps
/// its digits instead of rounding to 0 from `1 − 1`.
///
/// # Examples
/// ```
/// # use logistic_regression::normal_cdf;
/// assert_eq!(normal_cdf(0.0), 0.5);
/// assert!((normal_cdf(-3.0) / 1.349_898_031_630_094_5e-3 - 1.0).abs() < 1e-13);
/// ```
pub fn normal_cdf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    if z.abs() < 3.0 {
        let mut term = z;
        let mut sum = z;
        let z2 = z * z;
        let mut n = 0.0;
        while term.abs() > 1e-17 * sum.abs() {
            n += 1.0;
            term *= z2 / (2.0 * n + 1.0);
            sum += term;
        }
        return 0.5 + normal_pdf(z) * sum;
    }
    let tail = upper_tail(z.abs());
    if z > 0.0 { 1.0 - tail } else { tail }
}

/// `1 − Φ(x)` for `x ≥ 3`, by the continued fraction, 200 terms from the back.
fn upper_tail(x: f64) -> f64 {
    if x.is_infinite() {
        return 0.0;
    }
    let mut t = x;
    for k in (1..=200).rev() {
        t = x + k as f64 / t;
    }
    normal_pdf(x) / t
}
