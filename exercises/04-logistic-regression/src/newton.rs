//! Step 4: Newton's method, which for the logit link is iteratively reweighted least squares.
//!
//! Each step solves the Newton system `H Δ = ∇ℓ` with your own Cholesky factorisation:
//! `H = XᵀWX` is exercise 01's weighted normal equations, so IRLS is weighted least squares on a
//! working response, repeated until the deviance stops moving.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;

/// The settings of the Newton iterations. Defaults: `max_iter = 50`, `tol = 1e-12`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonConfig {
    /// The most iterations before [`FitError::NotConverged`]; at least 1.
    pub max_iter: usize,
    /// The stopping rule's tolerance on the relative change in deviance; > 0.
    pub tol: f64,
}

impl Default for NewtonConfig {
    fn default() -> Self {
        NewtonConfig {
            max_iter: 50,
            tol: 1e-12,
        }
    }
}

impl NewtonConfig {
    /// Fails with [`FitError::InvalidSetting`] when `max_iter` is 0 or `tol` is not a positive
    /// finite number.
    ///
    /// # Errors
    /// [`FitError::InvalidSetting`] naming the setting.
    pub fn validate(&self) -> Result<(), FitError> {
        if self.max_iter == 0 {
            return Err(FitError::InvalidSetting(
                "max_iter is 0, expected ≥ 1".into(),
            ));
        }
        if !(self.tol > 0.0 && self.tol.is_finite()) {
            return Err(FitError::InvalidSetting(format!(
                "tol is {}, expected a positive number",
                self.tol
            )));
        }
        Ok(())
    }

    /// The stopping rule: converged when `|D − D_prev| / (|D| + 0.1) < tol` (R's `glm` rule).
    pub fn converged(&self, previous: f64, current: f64) -> bool {
        relative_change(previous, current) < self.tol
    }
}

/// The relative change in deviance of the stopping rule, `|D − D_prev| / (|D| + 0.1)`.
pub fn relative_change(previous: f64, current: f64) -> f64 {
    (current - previous).abs() / (current.abs() + 0.1)
}

/// A fitted binomial model.
#[derive(Debug, Clone, PartialEq)]
pub struct GlmFit {
    /// The coefficients β, `(p)`.
    pub beta: Array1<f64>,
    /// The deviance at the start (β = 0) and after every iteration: `iterations + 1` values.
    pub deviances: Vec<f64>,
    /// The iterations run.
    pub iterations: usize,
}

impl GlmFit {
    /// The deviance of the fitted model: the last of [`GlmFit::deviances`].
    pub fn deviance(&self) -> f64 {
        self.deviances.last().copied().unwrap_or(f64::NAN)
    }
}

/// The Cholesky factor of a symmetric positive definite matrix: the lower-triangular `L` with
/// positive diagonal such that `A = L Lᵀ`. Only the lower triangle of `a` is read.
///
/// ```text
/// a: (p, p)   →   L: (p, p), zero above the diagonal
/// Lⱼⱼ = √(Aⱼⱼ − ∑ₖ<ⱼ Lⱼₖ²),   Lᵢⱼ = (Aᵢⱼ − ∑ₖ<ⱼ Lᵢₖ Lⱼₖ) / Lⱼⱼ   for i > j
/// ```
///
/// # Errors
/// [`FitError::ShapeMismatch`] when `a` is not square; [`FitError::NotPositiveDefinite`] when a
/// pivot is not > 0 (or not finite).
///
/// # Examples
/// ```
/// # use logistic_regression::cholesky;
/// use ndarray::array;
/// assert_eq!(cholesky(array![[4.0, 2.0], [2.0, 2.0]].view())?, array![[2.0, 0.0], [1.0, 1.0]]);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn cholesky(a: ArrayView2<'_, f64>) -> Result<Array2<f64>, FitError> {
    // TODO: Check that a is square (crate::error::ensure_dim), then build L column by column; return FitError::NotPositiveDefinite when a pivot is not > 0. [[4, 2], [2, 2]] -> [[2, 0], [1, 1]]
    todo!("Cholesky factor of a {:?}", a.shape())
}

/// Solves `A x = b` given the Cholesky factor `L` of `A`: `L z = b` forward, then `Lᵀ x = z`
/// backward. Only the lower triangle of `l` is read.
///
/// ```text
/// l: (p, p) lower triangular, positive diagonal   b: (p)   →   x: (p)
/// ```
///
/// # Errors
/// [`FitError::ShapeMismatch`] when `l` is not square or `b` has the wrong length.
///
/// # Examples
/// ```
/// # use logistic_regression::cholesky_solve;
/// use ndarray::array;
/// // A = [[4, 2], [2, 2]], A x = [2, 0] -> x = [1, −1].
/// let x = cholesky_solve(array![[2.0, 0.0], [1.0, 1.0]].view(), array![2.0, 0.0].view())?;
/// assert_eq!(x, array![1.0, -1.0]);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn cholesky_solve(
    l: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // TODO: Check the shapes, solve L z = b from the top row down, then Lᵀ x = z from the bottom row up (Lᵀ[i][k] = L[k][i]). L = [[2, 0], [1, 1]], b = [2, 0] -> [1, −1]
    todo!(
        "solve L Lᵀ x = b for l {:?} and b {:?}",
        l.shape(),
        b.shape()
    )
}

/// The maximum-likelihood logit fit by Newton's method, from β = 0:
///
/// ```text
/// x: (n, p) (include a column of ones for an intercept)   y: (n)   trials: (n)   →   GlmFit
/// repeat for t = 1, 2, …, max_iter:
///     solve H Δ = ∇ℓ with H = hessian(β), by cholesky and cholesky_solve;   β ← β − Δ
///     η = Xβ;  check_separation(η, t)
///     Dₜ = deviance(y, trials, σ(η));   stop when |Dₜ − Dₜ₋₁| / (|Dₜ| + 0.1) < tol
/// ```
///
/// `deviances` starts with `D₀` at β = 0 and holds one more value per iteration.
///
/// # Errors
/// Those of [`ensure_binomial`](crate::error::ensure_binomial) and
/// [`NewtonConfig::validate`]; [`FitError::Separation`] as soon as an iteration leaves an
/// observation with `|ηᵢ| > 30`; [`FitError::NotPositiveDefinite`] when the design's columns
/// are dependent; [`FitError::NotConverged`] after `max_iter` iterations.
///
/// # Examples
/// ```
/// # use logistic_regression::{newton, NewtonConfig};
/// use ndarray::array;
/// // Intercept only: 3 successes in 4 trials, so σ(β₀) = ¾ and β₀ = ln 3.
/// let fit = newton(array![[1.0]].view(), array![3.0].view(), array![4.0].view(), &NewtonConfig::default())?;
/// assert!((fit.beta[0] - 3f64.ln()).abs() < 1e-10);
/// # Ok::<(), logistic_regression::FitError>(())
/// ```
pub fn newton(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    config: &NewtonConfig,
) -> Result<GlmFit, FitError> {
    // TODO: Check the input and the config, start from β = 0 with D₀, then iterate as above. Intercept only, 3 of 4 -> β = [ln 3]
    todo!(
        "Newton's method for x {:?}, y {:?}, trials {:?} with {config:?}",
        x.shape(),
        y.shape(),
        trials.shape()
    )
}
