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
// BEGIN SOLUTION
use ndarray::Array1;

use crate::error::ensure_binomial;
use crate::likelihood::{deviance, weighted_gram};
use crate::newton::{cholesky, cholesky_solve, relative_change};
use crate::normal::{normal_cdf, normal_pdf};
use crate::separation::check_separation;
use crate::stable::sigmoid;
// END SOLUTION

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
    /// # use logistic_regression_solution::Link;
    /// assert_eq!(Link::Logit.mean(0.0), 0.5);
    /// assert_eq!(Link::Probit.mean(0.0), 0.5);
    /// assert!((Link::CLogLog.mean(0.0) - (1.0 - (-1f64).exp())).abs() < 1e-15);
    /// ```
    pub fn mean(self, eta: f64) -> f64 {
        // BEGIN SOLUTION
        match self {
            Link::Logit => sigmoid(eta),
            Link::Probit => normal_cdf(eta),
            Link::CLogLog => -(-eta.exp()).exp_m1(),
        }
        // STUB
        // // TODO: Match on the link: sigmoid, crate::normal_cdf, and −expm1(−e^η). Probit at 0 -> 0.5
        // todo!("mean of the {self:?} link at η = {eta}")
        // END SOLUTION
    }

    /// The derivative `dμ/dη = h′(η)`.
    ///
    /// ```text
    /// logit: σ(η)(1 − σ(η))     probit: φ(η)     cloglog: e^{η − e^η}
    /// ```
    ///
    /// # Examples
    /// ```
    /// # use logistic_regression_solution::Link;
    /// assert_eq!(Link::Logit.mean_derivative(0.0), 0.25);
    /// assert!((Link::CLogLog.mean_derivative(0.0) - (-1f64).exp()).abs() < 1e-15);
    /// ```
    pub fn mean_derivative(self, eta: f64) -> f64 {
        // BEGIN SOLUTION
        match self {
            Link::Logit => {
                let mu = sigmoid(eta);
                mu * (1.0 - mu)
            }
            Link::Probit => normal_pdf(eta),
            Link::CLogLog => (eta - eta.exp()).exp(),
        }
        // STUB
        // // TODO: Match on the link: σ(1 − σ), crate::normal_pdf, and e^{η − e^η}. Logit at 0 -> 0.25
        // todo!("derivative of the mean of the {self:?} link at η = {eta}")
        // END SOLUTION
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
/// # use logistic_regression_solution::{irls, Link, NewtonConfig};
/// use ndarray::array;
/// // Intercept only, 3 of 4: Φ(β₀) = ¾ whatever the link's shape.
/// let fit = irls(array![[1.0]].view(), array![3.0].view(), array![4.0].view(), Link::Probit, &NewtonConfig::default())?;
/// assert!((logistic_regression_solution::normal_cdf(fit.beta[0]) - 0.75).abs() < 1e-9);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn irls(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    link: Link,
    config: &NewtonConfig,
) -> Result<GlmFit, FitError> {
    // BEGIN SOLUTION
    ensure_binomial(x, y, trials)?;
    config.validate()?;
    let n = y.len();
    let mut beta = Array1::<f64>::zeros(x.ncols());
    let mu0 = Array1::from_elem(n, link.mean(0.0));
    let mut deviances = vec![deviance(y, trials, mu0.view())?];
    for iteration in 1..=config.max_iter {
        let eta = x.dot(&beta);
        let mut w = Array1::<f64>::zeros(n);
        let mut s = Array1::<f64>::zeros(n);
        for i in 0..n {
            let mu = link.mean(eta[i]);
            let d = link.mean_derivative(eta[i]);
            let v = mu * (1.0 - mu);
            w[i] = trials[i] * d * d / v;
            s[i] = (y[i] - trials[i] * mu) * d / v;
        }
        let l = cholesky(weighted_gram(x, w.view())?.view())?;
        beta += &cholesky_solve(l.view(), x.t().dot(&s).view())?;
        let eta = x.dot(&beta);
        check_separation(eta.view(), iteration)?;
        let d = deviance(y, trials, eta.mapv(|e| link.mean(e)).view())?;
        let previous = deviances[deviances.len() - 1];
        deviances.push(d);
        if config.converged(previous, d) {
            return Ok(GlmFit {
                beta,
                deviances,
                iterations: iteration,
            });
        }
    }
    let k = deviances.len();
    Err(FitError::NotConverged {
        iterations: config.max_iter,
        change: relative_change(deviances[k - 2], deviances[k - 1]),
    })
    // STUB
    // // TODO: Check the input and the config, start from β = 0 with D₀ at μ = h(0), then iterate as above. Probit, intercept only, 3 of 4 -> Φ(β₀) = ¾
    // todo!("IRLS with the {link:?} link for x {:?}, y {:?}, trials {:?} with {config:?}", x.shape(), y.shape(), trials.shape())
    // END SOLUTION
}
