//! Step 4: least squares by Householder QR, which works on X itself and never squares its
//! condition number.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;
// BEGIN SOLUTION
use ndarray::{Axis, s};

use crate::error::{ensure_dim, ensure_nonempty};
use crate::normal::back_substitution;

/// Rows of X reflected at a time: the working block (p + 1 rows of 256) stays in the L2 cache.
const BLOCK_ROWS: usize = 256;
// END SOLUTION

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
/// # use linear_regression_solution::qr_factor;
/// use ndarray::array;
/// let f = qr_factor(array![[3.0], [4.0]].view(), array![1.0, 2.0].view())?;
/// assert!((f.r[[0, 0]].abs() - 5.0).abs() < 1e-12); // ‖(3, 4)‖
/// assert!((f.qty[0] / f.r[[0, 0]] - 11.0 / 25.0).abs() < 1e-12); // β = xᵀy / xᵀx
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn qr_factor(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<QrFactors, FitError> {
    // BEGIN SOLUTION
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of y vs rows of x", y.len(), x.nrows())?;
    let p = x.ncols();
    // Householder QR one block of rows at a time ("sequential TSQR"): [R | z] starts at 0, and
    // each block [B | y_B] is stacked under it and reduced by p reflections, the k-th of which
    // maps (Rₖₖ, column k of B) to (α, 0). Every reflection is an ordinary Householder step on
    // the stack; a block small enough for the cache makes it fast, and with n ≤ 256 (every NIST
    // set) it is the textbook algorithm on [X | y] in one block.
    let mut rz = Array2::<f64>::zeros((p, p + 1));
    let mut col_norms2 = Array1::<f64>::zeros(p);
    // The block transposed: row j holds column j of [B | y_B], so every column is contiguous.
    let mut work = Array2::<f64>::zeros((p + 1, BLOCK_ROWS.min(x.nrows())));
    for (xb, yb) in x
        .axis_chunks_iter(Axis(0), BLOCK_ROWS)
        .zip(y.axis_chunks_iter(Axis(0), BLOCK_ROWS))
    {
        let mut bt = work.slice_mut(s![.., ..xb.nrows()]);
        bt.slice_mut(s![..p, ..]).assign(&xb.t());
        bt.row_mut(p).assign(&yb);
        for k in 0..p {
            col_norms2[k] += bt.row(k).dot(&bt.row(k));
        }
        for k in 0..p {
            let (head, mut rest) = bt.view_mut().split_at(Axis(0), k + 1);
            let bk = head.row(k);
            let below = bk.dot(&bk);
            if below == 0.0 {
                continue; // nothing to annihilate in this block
            }
            let rkk = rz[[k, k]];
            let alpha = -rkk.signum() * (rkk * rkk + below).sqrt();
            let v0 = rkk - alpha;
            let tau = 2.0 / (v0 * v0 + below);
            rz[[k, k]] = alpha;
            for (j, mut bj) in rest.outer_iter_mut().enumerate() {
                let j = k + 1 + j;
                let s = tau * (v0 * rz[[k, j]] + bk.dot(&bj));
                rz[[k, j]] -= s * v0;
                bj.scaled_add(-s, &bk);
            }
        }
    }
    if let Some(column) = (0..p).find(|&k| rz[[k, k]].abs() <= RANK_TOL * col_norms2[k].sqrt()) {
        return Err(FitError::RankDeficient { column });
    }
    Ok(QrFactors {
        r: rz.slice(s![.., ..p]).to_owned(),
        qty: rz.column(p).to_owned(),
    })
    // STUB
    // // TODO: Check the shapes, reflect a working copy of x (and y) column by column, then check every |Rₖₖ| against RANK_TOL · ‖xₖ‖.
    // todo!("Householder QR of x {:?} with y {:?}", x.shape(), y.shape())
    // END SOLUTION
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
/// # use linear_regression_solution::qr_solve;
/// use ndarray::array;
/// // y = 1 + 2x exactly.
/// let beta = qr_solve(array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]].view(), array![1.0, 3.0, 5.0].view())?;
/// assert!((beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn qr_solve(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<Array1<f64>, FitError> {
    // BEGIN SOLUTION
    let f = qr_factor(x, y)?;
    back_substitution(f.r.view(), f.qty.view())
    // STUB
    // // TODO: Factor with qr_factor, then back-substitute R β = Qᵀy.
    // todo!("β by QR for x {:?} and y {:?}", x.shape(), y.shape())
    // END SOLUTION
}
