//! Step 6: other links — probit and complementary log-log — fitted by Fisher scoring.
//!
//! A link `g` ties the mean to the linear predictor, `g(μ) = η`; you write its inverse
//! `μ = h(η)` and the derivative `h′(η)`. Only the logit is canonical: for the others Newton's
//! observed information and Fisher's expected information differ, and IRLS (Fisher scoring)
//! uses the expected one, as R's `glm` does, so its standard errors are what R prints.
//! Bliss's beetles give three different exact answers for the three links.

use ndarray::{ArrayView1, ArrayView2};

use crate::error::FitError;
use crate::newton::{GlmFit, NewtonConfig};

/// The link between the mean of a binomial response and the linear predictor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// `η = ln(μ / (1 − μ))`, `μ = σ(η)`: the canonical link, log-odds.
    Logit,
    /// `η = Φ⁻¹(μ)`, `μ = Φ(η)`: a normal latent variable crossing 0.
    Probit,
    /// `η = ln(−ln(1 − μ))`, `μ = 1 − e^{−e^η}`: complementary log-log, asymmetric.
    CLogLog,
}

impl Link {
    /// The mean `μ = h(η)`, in (0, 1) for moderate η.
    ///
    /// ```text
    /// logit: σ(η)     probit: Φ(η)     cloglog: 1 − e^{−e^η}  (= −expm1(−e^η))
    /// ```
    ///
    /// # Examples
    /// ```
    /// # use logistic_regression::Link;
    /// assert_eq!(Link::Logit.mean(0.0), 0.5);
    /// assert_eq!(Link::Probit.mean(0.0), 0.5);
    /// assert!((Link::CLogLog.mean(0.0) - (1.0 - (-1f64).exp())).abs() < 1e-15);
    /// ```
    pub fn mean(self, eta: f64) -> f64 {
        // TODO: Match on the link: sigmoid, crate::normal_cdf, and −expm1(−e^η). Probit at 0 -> 0.5
        todo!("mean of the {self:?} link at η = {eta}")
    }

    /// The derivative `dμ/dη = h′(η)`.
    ///
    /// ```text
    /// logit: σ(η)(1 − σ(η))     probit: φ(η)     cloglog: e^{η − e^η}
    /// ```
    ///
    /// # Examples
    /// ```
    /// # use logistic_regression::Link;
    /// assert_eq!(Link::Logit.mean_derivative(0.0), 0.25);
    /// assert!((Link::CLogLog.mean_derivative(0.0) - (-1f64).exp()).abs() < 1e-15);
    /// ```
    pub fn mean_derivative(self, eta: f64) -> f64 {
        // TODO: Match on the link: σ(1 − σ), crate::normal_pdf, and e^{η − e^η}. Logit at 0 -> 0.25
        todo!("derivative of the mean of the {self:?} link at η = {eta}")
    }
}

/// The maximum-likelihood binomial fit under `link`, by Fisher scoring (IRLS), from β = 0:
///
/// ```text
/// x: (n, p)   y: (n)   trials: (n)   →   GlmFit
/// repeat for t = 1, 2, …, max_iter:
///     η = Xβ,  μᵢ = h(ηᵢ),  dᵢ = h′(ηᵢ)
///     wᵢ = mᵢ dᵢ² / (μᵢ (1 − μᵢ))                        Fisher weights
///     sᵢ = (yᵢ − mᵢ μᵢ) dᵢ / (μᵢ (1 − μᵢ))              score contributions
///     solve (XᵀWX) Δ = Xᵀs by cholesky and cholesky_solve;   β ← β + Δ
///     η = Xβ;  check_separation(η, t)
///     Dₜ = deviance(y, trials, h(η));   stop when |Dₜ − Dₜ₋₁| / (|Dₜ| + 0.1) < tol
/// ```
///
/// For the logit, `dᵢ = μᵢ(1 − μᵢ)`, the weights are `mᵢ μᵢ (1 − μᵢ)` and this is exactly
/// [`newton`](crate::newton). The standard errors are `√diag((XᵀWX)⁻¹)` with these weights at
/// the fitted β.
///
/// # Errors
/// As [`newton`](crate::newton).
///
/// # Examples
/// ```
/// # use logistic_regression::{irls, Link, NewtonConfig};
/// use ndarray::array;
/// // Intercept only, 3 of 4: Φ(β₀) = ¾ whatever the link's shape.
/// let fit = irls(array![[1.0]].view(), array![3.0].view(), array![4.0].view(), Link::Probit, &NewtonConfig::default())?;
/// assert!((logistic_regression::normal_cdf(fit.beta[0]) - 0.75).abs() < 1e-9);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn irls(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    link: Link,
    config: &NewtonConfig,
) -> Result<GlmFit, FitError> {
    // TODO: Check the input and the config, start from β = 0 with D₀ at μ = h(0), then iterate as above. Probit, intercept only, 3 of 4 -> Φ(β₀) = ¾
    todo!(
        "IRLS with the {link:?} link for x {:?}, y {:?}, trials {:?} with {config:?}",
        x.shape(),
        y.shape(),
        trials.shape()
    )
}
