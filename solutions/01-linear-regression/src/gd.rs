//! Step 5: batch gradient descent on the mean squared error, on standardised features.
//!
//! On raw features the loss surface is a long thin valley: NIST Norris has κ(XᵀX) ≈ 7·10⁵, so a
//! learning rate small enough not to diverge along the steep direction crawls along the flat
//! one. Standardising every feature to mean 0 and standard deviation 1 makes the valley round.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;
// BEGIN SOLUTION
use ndarray::Axis;

use crate::error::{ensure_dim, ensure_nonempty};
// END SOLUTION

/// Features standardised column by column, with what it takes to map coefficients back.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardized {
    /// `(x − μ) / σ`, `(n, d)`: every column has mean 0 and standard deviation 1.
    pub x: Array2<f64>,
    /// The column means μ, `(d)`.
    pub mean: Array1<f64>,
    /// The column standard deviations σ (population: divided by n), `(d)`.
    pub std: Array1<f64>,
}

/// Standardises every column of `x` to mean 0 and (population) standard deviation 1.
///
/// ```text
/// x: (n, d)   →   x′: (n, d),  μ: (d),  σ: (d)
/// μⱼ = (1/n) ∑ᵢ xᵢⱼ,   σⱼ = √((1/n) ∑ᵢ (xᵢⱼ − μⱼ)²),   x′ᵢⱼ = (xᵢⱼ − μⱼ) / σⱼ
/// ```
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ConstantFeature`] for a column
/// with σ = 0.
///
/// # Examples
/// ```
/// # use linear_regression_solution::standardize;
/// use ndarray::array;
/// let s = standardize(array![[1.0], [3.0]].view())?;
/// assert_eq!((s.mean[0], s.std[0]), (2.0, 1.0));
/// assert_eq!(s.x, array![[-1.0], [1.0]]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn standardize(x: ArrayView2<'_, f64>) -> Result<Standardized, FitError> {
    // BEGIN SOLUTION
    ensure_nonempty("x", x.nrows())?;
    let mean = x.mean_axis(Axis(0)).expect("x has rows");
    let std = x.std_axis(Axis(0), 0.0);
    if let Some(column) = std.iter().position(|&s| s.is_nan() || s <= 0.0) {
        return Err(FitError::ConstantFeature { column });
    }
    let xs = (&x - &mean) / &std;
    Ok(Standardized { x: xs, mean, std })
    // STUB
    // // TODO: Check x is not empty, compute each column's mean and standard deviation (divide by n), refuse a constant column, then scale. [[1], [3]] -> [[-1], [1]], μ [2], σ [1]
    // todo!("standardise the columns of x {:?}", x.shape())
    // END SOLUTION
}

/// The loss of a linear model and its gradient with respect to the weights and the bias.
#[derive(Debug, Clone, PartialEq)]
pub struct LossGradient {
    /// The mean squared error `(1/n) ‖Xw + b − y‖²`.
    pub loss: f64,
    /// `∂loss/∂w`, `(d)`.
    pub dw: Array1<f64>,
    /// `∂loss/∂b`.
    pub db: f64,
}

/// The mean squared error of the model `ŷ = Xw + b` and its analytic gradient.
///
/// ```text
/// x: (n, d)   y: (n)   w: (d)   b: scalar
/// r = Xw + b − y                      residuals, (n)
/// L = (1/n) ∑ᵢ rᵢ²
/// ∂L/∂w = (2/n) Xᵀr     (d)           ∂L/∂b = (2/n) ∑ᵢ rᵢ
/// ```
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ShapeMismatch`] when `y` or `w`
/// does not fit `x`.
///
/// # Examples
/// ```
/// # use linear_regression_solution::mse_gradient;
/// use ndarray::array;
/// // One sample x = [1, 2], y = 3, at w = 0, b = 0: r = −3.
/// let g = mse_gradient(array![[1.0, 2.0]].view(), array![3.0].view(), array![0.0, 0.0].view(), 0.0)?;
/// assert_eq!((g.loss, g.db), (9.0, -6.0));
/// assert_eq!(g.dw, array![-6.0, -12.0]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn mse_gradient(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    w: ArrayView1<'_, f64>,
    b: f64,
) -> Result<LossGradient, FitError> {
    // BEGIN SOLUTION
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of y vs rows of x", y.len(), x.nrows())?;
    ensure_dim("length of w vs columns of x", w.len(), x.ncols())?;
    // One pass over the rows: each row's residual, then its share of Xᵀr while the row is
    // still in the cache (x.t().dot(&r) would walk x column by column, ~10× slower).
    let mut sum_r2 = 0.0;
    let mut sum_r = 0.0;
    let mut xtr = Array1::<f64>::zeros(x.ncols());
    for (row, &yi) in x.rows().into_iter().zip(y.iter()) {
        let r = row.dot(&w) + b - yi;
        sum_r2 += r * r;
        sum_r += r;
        xtr.scaled_add(r, &row);
    }
    let n = x.nrows() as f64;
    Ok(LossGradient {
        loss: sum_r2 / n,
        dw: xtr * (2.0 / n),
        db: 2.0 * sum_r / n,
    })
    // STUB
    // // TODO: Check the shapes, compute the residuals r = Xw + b − y, then the loss (1/n)∑r² and the gradients (2/n)Xᵀr and (2/n)∑r. x [[1, 2]], y [3], w 0, b 0 -> loss 9, dw [-6, -12], db -6
    // todo!("MSE and gradient for x {:?}, y {:?}, w {:?}, b {b}", x.shape(), y.shape(), w.shape())
    // END SOLUTION
}

/// The settings of [`gradient_descent`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GdConfig {
    /// The step size η, > 0. On standardised features η = 0.1 is safe for any number of
    /// uncorrelated features; the largest stable η is 2 / L, L the largest eigenvalue of the
    /// Hessian (2/n) X′ᵀX′ (2 for one standardised feature with an intercept).
    pub learning_rate: f64,
    /// The number of full-batch steps, ≥ 1.
    pub iterations: usize,
}

impl Default for GdConfig {
    /// η = 0.1, 1,000 iterations.
    fn default() -> Self {
        GdConfig {
            learning_rate: 0.1,
            iterations: 1000,
        }
    }
}

/// What [`gradient_descent`] found, in the units of the original features.
#[derive(Debug, Clone, PartialEq)]
pub struct GdFit {
    /// The intercept b.
    pub intercept: f64,
    /// One coefficient per feature, `(d)`.
    pub coefficients: Array1<f64>,
    /// The MSE before each step, one entry per iteration (entry 0 is the loss at w = 0, b = 0).
    pub loss_history: Vec<f64>,
}

/// Fits `y ≈ Xβ + b` by batch gradient descent on the standardised features, starting from
/// w = 0, b = 0, and maps the result back to the original units.
///
/// ```text
/// x: (n, d) without an intercept column   y: (n)
/// x′ = (x − μ) / σ                         (standardize)
/// repeat: record L(w, b); w ← w − η ∂L/∂w; b ← b − η ∂L/∂b      (mse_gradient on x′)
/// βⱼ = wⱼ / σⱼ,   intercept = b − ∑ⱼ wⱼ μⱼ / σⱼ
/// ```
///
/// # Errors
/// [`FitError::InvalidSetting`] for η ≤ 0 (or not finite) or 0 iterations; those of
/// [`standardize`] and [`mse_gradient`]; [`FitError::Diverged`] as soon as the loss is not
/// finite, rather than returning NaN coefficients.
///
/// # Examples
/// ```
/// # use linear_regression_solution::{gradient_descent, GdConfig};
/// use ndarray::array;
/// // y = 1 + 2x exactly.
/// let fit = gradient_descent(array![[0.0], [1.0], [2.0]].view(), array![1.0, 3.0, 5.0].view(), &GdConfig::default())?;
/// assert!((fit.intercept - 1.0).abs() < 1e-9 && (fit.coefficients[0] - 2.0).abs() < 1e-9);
/// assert_eq!(fit.loss_history.len(), 1000);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn gradient_descent(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    config: &GdConfig,
) -> Result<GdFit, FitError> {
    // BEGIN SOLUTION
    let eta = config.learning_rate;
    if !(eta > 0.0 && eta.is_finite()) {
        return Err(FitError::InvalidSetting(format!(
            "learning rate {eta}: expected a finite number > 0"
        )));
    }
    if config.iterations == 0 {
        return Err(FitError::InvalidSetting(
            "0 iterations: expected at least 1".to_owned(),
        ));
    }
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of y vs rows of x", y.len(), x.nrows())?;
    let s = standardize(x)?;
    let mut w = Array1::<f64>::zeros(x.ncols());
    let mut b = 0.0;
    let mut loss_history = Vec::with_capacity(config.iterations);
    for iteration in 0..config.iterations {
        let g = mse_gradient(s.x.view(), y, w.view(), b)?;
        if !g.loss.is_finite() {
            return Err(FitError::Diverged { iteration });
        }
        loss_history.push(g.loss);
        w.scaled_add(-eta, &g.dw);
        b -= eta * g.db;
    }
    let coefficients = &w / &s.std;
    let intercept = b - coefficients.dot(&s.mean);
    Ok(GdFit {
        intercept,
        coefficients,
        loss_history,
    })
    // STUB
    // // TODO: Check the settings (FitError::InvalidSetting) and shapes, standardize x, take `iterations` steps recording the loss before each (FitError::Diverged when it is not finite), then map w and b back to the original units.
    // todo!("gradient descent on x {:?} and y {:?} with {config:?}", x.shape(), y.shape())
    // END SOLUTION
}
