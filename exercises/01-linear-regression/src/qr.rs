//! Step 4: least squares by Householder QR, which works on X itself and never squares its
//! condition number.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;

/// A diagonal entry `|Rₖₖ|` at most this times the norm of column k of X means column k is
/// (numerically) a combination of the columns before it: X is rank deficient.
///
/// About 100 units of roundoff: NIST Filip, the worst-conditioned full-rank design in this
/// exercise, has `min |Rₖₖ| / ‖xₖ‖ ≈ 5·10⁻⁸`; a repeated column gives 10⁻¹⁶ or less.
pub const RANK_TOL: f64 = 1e-14;

/// The triangular system that least squares reduces to: `R β = Qᵀy`.
#[derive(Debug, Clone, PartialEq)]
pub struct QrFactors {
    /// `R`, `(p, p)`, upper triangular, with `X = Q R` for some `Q: (n, p)` with orthonormal
    /// columns (so `RᵀR = XᵀX`). Row signs may differ between implementations.
    pub r: Array2<f64>,
    /// The first `p` entries of `Qᵀy`, `(p)`, with the signs of the matching rows of `R`.
    pub qty: Array1<f64>,
}

/// Householder QR of `x`, applied to `y` on the way: the `R` and `Qᵀy` of the least-squares
/// problem `min ‖Xβ − y‖`.
///
/// ```text
/// x: (n, p)   y: (n)   →   R: (p, p) upper triangular,   Qᵀy: (p)
/// for k = 0 … p − 1:
///     a = (column k of the working copy, rows k … n − 1)
///     α = −sign(a₀) ‖a‖,   v = a − α e₁,   H = I − 2 v vᵀ / (vᵀv)
///     apply H to columns k … p − 1 and to y (rows k … n − 1): column k becomes (α, 0, …, 0)
/// R = the top p rows, Qᵀy = the first p entries of the reflected y
/// ```
///
/// Choosing α with the sign opposite to a₀ keeps `v₀ = a₀ − α` free of cancellation.
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ShapeMismatch`] when `y` does not
/// have one entry per row; [`FitError::RankDeficient`] when `|Rₖₖ| ≤ RANK_TOL · ‖xₖ‖` for a
/// column k (including `n < p`).
///
/// # Examples
/// ```
/// # use linear_regression::qr_factor;
/// use ndarray::array;
/// let f = qr_factor(array![[3.0], [4.0]].view(), array![1.0, 2.0].view())?;
/// assert!((f.r[[0, 0]].abs() - 5.0).abs() < 1e-12); // ‖(3, 4)‖
/// assert!((f.qty[0] / f.r[[0, 0]] - 11.0 / 25.0).abs() < 1e-12); // β = xᵀy / xᵀx
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn qr_factor(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<QrFactors, FitError> {
    // TODO: Check the shapes, reflect a working copy of x (and y) column by column, then check every |Rₖₖ| against RANK_TOL · ‖xₖ‖.
    todo!("Householder QR of x {:?} with y {:?}", x.shape(), y.shape())
}

/// Least squares by QR: [`qr_factor`], then `R β = Qᵀy` by
/// [`back_substitution`](crate::back_substitution).
///
/// ```text
/// x: (n, p)   y: (n)   →   β: (p) minimising ‖Xβ − y‖²
/// ```
///
/// # Errors
/// As [`qr_factor`].
///
/// # Examples
/// ```
/// # use linear_regression::qr_solve;
/// use ndarray::array;
/// // y = 1 + 2x exactly.
/// let beta = qr_solve(array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]].view(), array![1.0, 3.0, 5.0].view())?;
/// assert!((beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn qr_solve(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<Array1<f64>, FitError> {
    // TODO: Factor with qr_factor, then back-substitute R β = Qᵀy.
    todo!("β by QR for x {:?} and y {:?}", x.shape(), y.shape())
}
