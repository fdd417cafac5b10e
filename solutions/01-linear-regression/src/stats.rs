//! Step 6: how sure are the estimates? The residual standard deviation and the standard
//! errors of the coefficients, the figures NIST certifies besides the estimates.

use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::error::FitError;
// BEGIN SOLUTION
use crate::error::{ensure_dim, ensure_nonempty};
use crate::normal::back_substitution;
// END SOLUTION

/// The residual standard deviation of the fit `β` of the design `x` to `y`: the residual sum of
/// squares divided by the degrees of freedom left, n − p, not by n.
///
/// ```text
/// x: (n, p) the design (intercept column included)   y: (n)   β: (p)
/// s = √( ∑ᵢ (yᵢ − xᵢ·β)² / (n − p) )
/// ```
///
/// Fitting p parameters uses up p degrees of freedom: dividing by n underestimates σ (NIST
/// Norris: 0.8598675 instead of the certified 0.8847964).
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ShapeMismatch`] when `y` or `β`
/// does not fit `x`; [`FitError::TooFewSamples`] when n ≤ p.
///
/// # Examples
/// ```
/// # use linear_regression_solution::residual_std;
/// use ndarray::array;
/// // Residuals 1, −1, 1 with p = 1: s = √(3 / 2).
/// let s = residual_std(array![[1.0], [1.0], [1.0]].view(), array![2.0, 0.0, 2.0].view(), array![1.0].view())?;
/// assert!((s - 1.5f64.sqrt()).abs() < 1e-15);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn residual_std(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of y vs rows of x", y.len(), x.nrows())?;
    ensure_dim("length of β vs columns of x", beta.len(), x.ncols())?;
    let (n, p) = x.dim();
    if n <= p {
        return Err(FitError::TooFewSamples {
            samples: n,
            parameters: p,
        });
    }
    let sse: f64 = x
        .rows()
        .into_iter()
        .zip(y.iter())
        .map(|(row, &yi)| {
            let r = yi - row.dot(&beta);
            r * r
        })
        .sum();
    Ok((sse / (n - p) as f64).sqrt())
    // STUB
    // // TODO: Check the shapes (FitError::TooFewSamples when n ≤ p), then return √(SSE / (n − p)). x [[1], [1], [1]], y [2, 0, 2], β [1] -> √1.5
    // todo!("residual SD of x {:?}, y {:?}, β {:?}", x.shape(), y.shape(), beta.shape())
    // END SOLUTION
}

/// The standard errors of the estimates, from an upper-triangular `R` with `RᵀR = XᵀX` (the `R`
/// of QR, or `Lᵀ` of Cholesky) and the residual standard deviation `s`.
///
/// ```text
/// r: (p, p) upper triangular   s: scalar   →   SE: (p)
/// Cov(β) = s² (XᵀX)⁻¹ = s² R⁻¹ R⁻ᵀ
/// SEⱼ = s √((XᵀX)⁻¹)ⱼⱼ = s ‖row j of R⁻¹‖
/// ```
///
/// Column k of `R⁻¹` solves `R c = eₖ` (back substitution); never form `(XᵀX)⁻¹` itself.
///
/// # Errors
/// [`FitError::ShapeMismatch`] when `r` is not square; [`FitError::Singular`] when a diagonal
/// entry of `r` is 0.
///
/// # Examples
/// ```
/// # use linear_regression_solution::standard_errors;
/// use ndarray::array;
/// // R = [[2, 0], [0, 4]]: (XᵀX)⁻¹ = diag(1/4, 1/16), so SE = s · [1/2, 1/4].
/// let se = standard_errors(array![[2.0, 0.0], [0.0, 4.0]].view(), 2.0)?;
/// assert_eq!(se, array![1.0, 0.5]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn standard_errors(r: ArrayView2<'_, f64>, s: f64) -> Result<Array1<f64>, FitError> {
    // BEGIN SOLUTION
    ensure_dim("columns vs rows of R", r.ncols(), r.nrows())?;
    let p = r.nrows();
    let mut row_norms2 = Array1::<f64>::zeros(p);
    let mut e = Array1::<f64>::zeros(p);
    for k in 0..p {
        e[k] = 1.0;
        let column = back_substitution(r, e.view())?;
        e[k] = 0.0;
        row_norms2 += &column.mapv(|c| c * c);
    }
    Ok(row_norms2.mapv(|v| s * v.sqrt()))
    // STUB
    // // TODO: Check r is square, find each column of R⁻¹ with back_substitution, then SEⱼ = s · ‖row j of R⁻¹‖. R [[2, 0], [0, 4]], s 2 -> [1, 0.5]
    // todo!("standard errors from R {:?} and s = {s}", r.shape())
    // END SOLUTION
}
