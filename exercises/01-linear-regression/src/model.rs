//! Step 7: a small model type that ties the steps together: settings, `fit`, and a fitted type
//! that predicts and reports the statistics NIST certifies.

use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::error::FitError;
use crate::gd::GdConfig;

/// How [`LinearRegression::fit`] solves the least-squares problem.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Solver {
    /// Householder QR (step 4): accurate even on NIST Filip. The default.
    #[default]
    Qr,
    /// The normal equations with Cholesky (step 3): fast, but loses twice as many digits as QR.
    NormalEquations,
    /// Batch gradient descent on standardised features (step 5). Needs an intercept.
    GradientDescent(GdConfig),
}

/// Ordinary least squares, `y ≈ Xβ + b`: the settings, before fitting.
///
/// ```text
/// x: (n_samples, n_features)   y: (n_samples)
/// ```
///
/// # Examples
/// ```
/// # use linear_regression::{LinearRegression, Solver};
/// use ndarray::array;
/// let x = array![[0.0], [1.0], [2.0], [3.0]];
/// let y = array![1.0, 3.1, 4.9, 7.0];
/// let model = LinearRegression::new().solver(Solver::Qr).fit(x.view(), y.view())?;
/// assert!((model.coefficients()[0] - 1.98).abs() < 1e-12);
/// assert!((model.intercept() - 1.03).abs() < 1e-12);
/// let y_hat = model.predict(array![[10.0]].view())?;
/// assert!((y_hat[0] - 20.83).abs() < 1e-12);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearRegression {
    fit_intercept: bool,
    solver: Solver,
}

impl Default for LinearRegression {
    fn default() -> Self {
        LinearRegression::new()
    }
}

impl LinearRegression {
    /// With an intercept, solved by [`Solver::Qr`].
    pub fn new() -> Self {
        LinearRegression {
            fit_intercept: true,
            solver: Solver::Qr,
        }
    }

    /// Whether to fit an intercept (default `true`). Without one the model goes through the
    /// origin and its R² is the uncentred one (as NIST certifies NoInt1 and NoInt2).
    pub fn fit_intercept(mut self, fit_intercept: bool) -> Self {
        self.fit_intercept = fit_intercept;
        self
    }

    /// The solver (default [`Solver::Qr`]).
    pub fn solver(mut self, solver: Solver) -> Self {
        self.solver = solver;
        self
    }

    /// Fits the model: validates the data, builds the design (`[1, X]` with an intercept),
    /// solves for β with the chosen solver, and computes the statistics.
    ///
    /// ```text
    /// x: (n, d)   y: (n)   p = d + 1 with an intercept, d without
    /// β = argmin ‖design · β − y‖²,   s = residual_std,   SE = standard_errors(R, s)
    /// R² centred with an intercept, uncentred without
    /// ```
    ///
    /// The `R` of the standard errors is QR's `R`, or `Lᵀ` of the Cholesky factor of XᵀX for
    /// the two other solvers.
    ///
    /// # Errors
    /// [`FitError::EmptyInput`] for no samples; [`FitError::ShapeMismatch`] when `y` does not
    /// have one entry per row of `x`; [`FitError::NonFinite`] for a NaN or an infinity in `x`
    /// or `y`; [`FitError::TooFewSamples`] when n ≤ p; [`FitError::InvalidSetting`] for
    /// gradient descent without an intercept; and the solver's own errors.
    pub fn fit(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<FittedLinearRegression, FitError> {
        // TODO: Validate x and y (crate::error::{ensure_nonempty, ensure_dim, ensure_finite}), build the design, solve with self.solver, then compute the statistics and build a FittedLinearRegression.
        todo!("fit {self:?} to x {:?} and y {:?}", x.shape(), y.shape())
    }
}

/// A fitted linear model: what [`LinearRegression::fit`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedLinearRegression {
    intercept: f64,
    coefficients: Array1<f64>,
    standard_errors: Array1<f64>,
    residual_std: f64,
    r_squared: f64,
}

impl FittedLinearRegression {
    /// One coefficient per feature, `(n_features)`, the intercept excluded.
    pub fn coefficients(&self) -> ArrayView1<'_, f64> {
        self.coefficients.view()
    }

    /// The intercept b (0 for a model fitted without one).
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The standard errors of the estimates, one per parameter in the order of the design:
    /// the intercept's first (when fitted), then one per feature — NIST's B0, B1, ….
    pub fn standard_errors(&self) -> ArrayView1<'_, f64> {
        self.standard_errors.view()
    }

    /// The residual standard deviation s = √(SSE / (n − p)).
    pub fn residual_std(&self) -> f64 {
        self.residual_std
    }

    /// R² on the training data: centred with an intercept, uncentred without.
    pub fn r_squared(&self) -> f64 {
        self.r_squared
    }

    /// Predictions `ŷ = x · coefficients + intercept`.
    ///
    /// ```text
    /// x: (n_samples, n_features)   →   ŷ: (n_samples)
    /// ```
    ///
    /// # Errors
    /// [`FitError::ShapeMismatch`] when `x` does not have one column per coefficient.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>, FitError> {
        // TODO: Check x has one column per coefficient (crate::error::ensure_dim), then return x·coefficients + intercept.
        todo!(
            "predict for x {:?} with {} coefficients",
            x.shape(),
            self.coefficients.len()
        )
    }
}
