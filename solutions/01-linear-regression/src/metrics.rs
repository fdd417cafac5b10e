//! Step 1: how good is a fit? The mean squared error and R², centred and uncentred.

use ndarray::ArrayView1;

use crate::error::FitError;
// BEGIN SOLUTION
use crate::error::{ensure_dim, ensure_nonempty};

/// The residual sum of squares ∑ (yᵢ − ŷᵢ)², after checking the shapes.
fn sse(y_true: ArrayView1<'_, f64>, y_pred: ArrayView1<'_, f64>) -> Result<f64, FitError> {
    ensure_nonempty("y_true", y_true.len())?;
    ensure_dim("length of y_pred vs y_true", y_pred.len(), y_true.len())?;
    Ok(y_true
        .iter()
        .zip(y_pred.iter())
        .map(|(&y, &p)| (y - p) * (y - p))
        .sum())
}
// END SOLUTION

/// The mean squared error of predictions `y_pred` against targets `y_true`.
///
/// ```text
/// y_true: (n)   y_pred: (n)
/// MSE = (1/n) ∑ᵢ (yᵢ − ŷᵢ)²
/// ```
///
/// # Errors
/// [`FitError::EmptyInput`] when `y_true` is empty; [`FitError::ShapeMismatch`] when the lengths
/// differ.
///
/// # Examples
/// ```
/// # use linear_regression_solution::mse;
/// use ndarray::array;
/// assert_eq!(mse(array![1.0, 2.0].view(), array![1.0, 4.0].view())?, 2.0);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn mse(y_true: ArrayView1<'_, f64>, y_pred: ArrayView1<'_, f64>) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    Ok(sse(y_true, y_pred)? / y_true.len() as f64)
    // STUB
    // // TODO: Check with crate::error::{ensure_nonempty, ensure_dim}, then average the squared differences. [1, 2] vs [1, 4] -> 2.0
    // todo!("mean squared error of y_true {:?} and y_pred {:?}", y_true.shape(), y_pred.shape())
    // END SOLUTION
}

/// The coefficient of determination of a model **with** an intercept: the share of the variance
/// of `y` around its mean that the predictions explain.
///
/// ```text
/// R² = 1 − SSE / SST,   SSE = ∑ᵢ (yᵢ − ŷᵢ)²,   SST = ∑ᵢ (yᵢ − ȳ)²
/// ```
///
/// 1 is a perfect fit; 0 is no better than predicting ȳ. A constant `y_true` (SST = 0) gives
/// 1 when the fit is perfect (SSE = 0, never 0/0 = NaN) and −∞ otherwise.
///
/// # Errors
/// As [`mse`].
///
/// # Examples
/// ```
/// # use linear_regression_solution::r_squared;
/// use ndarray::array;
/// let r2 = r_squared(array![1.0, 2.0, 3.0].view(), array![1.0, 2.0, 4.0].view())?;
/// assert!((r2 - 0.5).abs() < 1e-15); // 1 − 1 / 2
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn r_squared(
    y_true: ArrayView1<'_, f64>,
    y_pred: ArrayView1<'_, f64>,
) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    let sse = sse(y_true, y_pred)?;
    // A perfect fit explains everything, even a constant target's zero variance (0/0 is NaN).
    if sse == 0.0 {
        return Ok(1.0);
    }
    let mean = y_true.sum() / y_true.len() as f64;
    let sst: f64 = y_true.iter().map(|&y| (y - mean) * (y - mean)).sum();
    Ok(1.0 - sse / sst)
    // STUB
    // // TODO: Check the shapes, then return 1 − SSE / ∑ (y − ȳ)². [1, 2, 3] vs [1, 2, 4] -> 0.5
    // todo!("centred R² of y_true {:?} and y_pred {:?}", y_true.shape(), y_pred.shape())
    // END SOLUTION
}

/// The coefficient of determination of a model **without** an intercept, as NIST certifies it:
/// the baseline is predicting 0, not ȳ.
///
/// ```text
/// R²₀ = 1 − SSE / ∑ᵢ yᵢ²
/// ```
///
/// A perfect fit gives 1, even when every yᵢ is 0.
///
/// A model through the origin is not compared with the mean (it cannot reach it): the centred
/// formula can even go negative for a good fit (NIST NoInt1: −0.157 centred, 0.99937 uncentred).
///
/// # Errors
/// As [`mse`].
///
/// # Examples
/// ```
/// # use linear_regression_solution::r_squared_uncentred;
/// use ndarray::array;
/// let r2 = r_squared_uncentred(array![1.0, 2.0].view(), array![1.0, 1.0].view())?;
/// assert!((r2 - 0.8).abs() < 1e-15); // 1 − 1 / 5
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn r_squared_uncentred(
    y_true: ArrayView1<'_, f64>,
    y_pred: ArrayView1<'_, f64>,
) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    let sse = sse(y_true, y_pred)?;
    if sse == 0.0 {
        return Ok(1.0);
    }
    Ok(1.0 - sse / y_true.dot(&y_true))
    // STUB
    // // TODO: Check the shapes, then return 1 − SSE / ∑ y². [1, 2] vs [1, 1] -> 0.8
    // todo!("uncentred R² of y_true {:?} and y_pred {:?}", y_true.shape(), y_pred.shape())
    // END SOLUTION
}
