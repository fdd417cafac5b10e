//! Step 5: how sure the fit is — standard errors, z-values, and the deviances that compare
//! models.
//!
//! At the maximum-likelihood estimate, the inverse of the Fisher information `H = XᵀWX` is the
//! (asymptotic) covariance of β. A binomial response has its variance fixed by its mean, so
//! there is no residual variance to estimate: no `s²` as in least squares.

use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::error::FitError;
use crate::newton::NewtonConfig;

/// The diagonal of `H⁻¹` for a symmetric positive definite `H`, from its Cholesky factor:
/// `H⁻¹ = L⁻ᵀ L⁻¹`, so `(H⁻¹)ⱼⱼ` is the squared norm of column `j` of `L⁻¹`.
///
/// ```text
/// h: (q, q)   →   (q),   every entry > 0
/// ```
///
/// # Errors
/// [`FitError::ShapeMismatch`] when `h` is not square; [`FitError::NotPositiveDefinite`] from
/// the factorisation.
///
/// # Examples
/// ```
/// # use logistic_regression::inverse_diagonal;
/// use ndarray::array;
/// // [[4, 2], [2, 2]]⁻¹ = [[½, −½], [−½, 1]].
/// let d = inverse_diagonal(array![[4.0, 2.0], [2.0, 2.0]].view())?;
/// assert!((d[0] - 0.5).abs() < 1e-15 && (d[1] - 1.0).abs() < 1e-15);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn inverse_diagonal(h: ArrayView2<'_, f64>) -> Result<Array1<f64>, FitError> {
    // TODO: Factor h with cholesky, solve L c = eⱼ for every j (forward substitution), and return ‖c‖² for each. [[4, 2], [2, 2]] -> [0.5, 1]
    todo!("diagonal of the inverse of h {:?}", h.shape())
}

/// The standard errors of a logit fit at `beta`: `SEⱼ = √((H⁻¹)ⱼⱼ)`, `H` the [`hessian`]
/// there (the observed and expected information coincide for the logit link).
///
/// ```text
/// x: (n, p)   y: (n)   trials: (n)   beta: (p)   →   SE: (p)
/// ```
///
/// # Errors
/// Those of [`ensure_binomial`](crate::error::ensure_binomial), [`FitError::ShapeMismatch`] for
/// `beta`, and [`FitError::NotPositiveDefinite`].
///
/// # Examples
/// ```
/// # use logistic_regression::standard_errors;
/// use ndarray::array;
/// // Intercept only, 3 of 4 at β₀ = ln 3: H = 4 · ¾ · ¼ = ¾, SE = √(4/3).
/// let se = standard_errors(array![[1.0]].view(), array![3.0].view(), array![4.0].view(), array![3f64.ln()].view())?;
/// assert!((se[0] - (4.0f64 / 3.0).sqrt()).abs() < 1e-12);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn standard_errors(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // TODO: Check the input, then take √ of inverse_diagonal(hessian(x, trials, beta)). Intercept only, 3 of 4 at ln 3 -> [√(4/3)]
    todo!(
        "standard errors for x {:?}, y {:?}, trials {:?} at beta {:?}",
        x.shape(),
        y.shape(),
        trials.shape(),
        beta.shape()
    )
}

/// The Wald z-values `zⱼ = βⱼ / SEⱼ`.
///
/// # Errors
/// [`FitError::ShapeMismatch`] when the lengths differ.
///
/// # Examples
/// ```
/// # use logistic_regression::z_values;
/// use ndarray::array;
/// assert_eq!(z_values(array![2.0, -3.0].view(), array![1.0, 2.0].view())?, array![2.0, -1.5]);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn z_values(
    beta: ArrayView1<'_, f64>,
    se: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // TODO: Check the lengths, then divide element by element. [2, −3] / [1, 2] -> [2, −1.5]
    todo!(
        "z-values of beta {:?} and se {:?}",
        beta.shape(),
        se.shape()
    )
}

/// The null deviance: the [`deviance`] of the intercept-only model, whose fitted probability is
/// the overall proportion `μ̄ = ∑ yᵢ / ∑ mᵢ` for every observation.
///
/// # Errors
/// As [`deviance`].
///
/// # Examples
/// ```
/// # use logistic_regression::null_deviance;
/// use ndarray::array;
/// // μ̄ = ½: D = 2 (1 ln(1/½) + 1 ln(1/½)) = 4 ln 2.
/// let d = null_deviance(array![1.0, 0.0].view(), array![1.0, 1.0].view())?;
/// assert!((d - 4.0 * 2f64.ln()).abs() < 1e-12);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn null_deviance(y: ArrayView1<'_, f64>, trials: ArrayView1<'_, f64>) -> Result<f64, FitError> {
    // TODO: Compute μ̄ = ∑y / ∑m and return deviance(y, trials, [μ̄, …, μ̄]). y = [1, 0], m = [1, 1] -> 4 ln 2
    todo!(
        "null deviance of y {:?} and trials {:?}",
        y.shape(),
        trials.shape()
    )
}

/// A logistic regression with an intercept, fitted and summarised as R's `summary(glm(…))`.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticSummary {
    /// The coefficients `[β₀, β₁, …, β_d]`, the intercept first, `(d + 1)`.
    pub beta: Array1<f64>,
    /// Their standard errors, `(d + 1)`.
    pub se: Array1<f64>,
    /// Their z-values `β / SE`, `(d + 1)`.
    pub z: Array1<f64>,
    /// The residual deviance.
    pub deviance: f64,
    /// The null deviance (intercept only).
    pub null_deviance: f64,
    /// The deviance at the start and after every Newton iteration.
    pub deviances: Vec<f64>,
}

/// Fits `y` successes out of `trials` on the features `x` with an intercept: the design is
/// `[1, x]`, `(n, d + 1)`, fitted by [`newton`](crate::newton), then summarised with
/// [`standard_errors`], [`z_values`] and [`null_deviance`].
///
/// ```text
/// x: (n, d) features, no column of ones   y: (n)   trials: (n)   →   LogisticSummary
/// ```
///
/// # Errors
/// Those of [`newton`](crate::newton) and [`standard_errors`].
///
/// # Examples
/// ```
/// # use logistic_regression::{fit_logistic, NewtonConfig};
/// use ndarray::array;
/// let x = array![[0.0], [1.0], [2.0], [3.0]];
/// let fit = fit_logistic(x.view(), array![0.0, 1.0, 0.0, 1.0].view(), array![1.0, 1.0, 1.0, 1.0].view(), &NewtonConfig::default())?;
/// assert_eq!(fit.beta.len(), 2);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn fit_logistic(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    config: &NewtonConfig,
) -> Result<LogisticSummary, FitError> {
    // TODO: Build [1, x], fit it with newton, then fill the summary with standard_errors, z_values and null_deviance.
    todo!(
        "logistic fit with an intercept of x {:?}, y {:?}, trials {:?} with {config:?}",
        x.shape(),
        y.shape(),
        trials.shape()
    )
}
