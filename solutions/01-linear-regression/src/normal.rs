//! Step 3: the normal equations XᵀX β = Xᵀy, solved by a Cholesky factorisation and two
//! triangular solves.
//!
//! Fast and simple, but forming XᵀX squares the condition number of X: κ(XᵀX) = κ(X)². With
//! κ(X) ≈ 10⁸ or more (NIST Filip: 1.8·10¹⁵) every digit of f64 is gone before Cholesky starts,
//! and rounding can even make XᵀX indefinite. That is what step 4 (QR) fixes.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;
// BEGIN SOLUTION
use crate::error::{ensure_dim, ensure_nonempty};

/// Fails unless `a` is square and `b` has one entry per row.
fn ensure_square_system(a: ArrayView2<'_, f64>, b: ArrayView1<'_, f64>) -> Result<(), FitError> {
    ensure_dim("columns vs rows of the matrix", a.ncols(), a.nrows())?;
    ensure_dim("length of the right-hand side vs rows", b.len(), a.nrows())
}

/// Fails with [`FitError::Singular`] when a diagonal entry is zero or not finite.
fn ensure_diagonal(a: ArrayView2<'_, f64>) -> Result<(), FitError> {
    match a.diag().iter().position(|&d| d == 0.0 || !d.is_finite()) {
        Some(index) => Err(FitError::Singular {
            index,
            value: a[[index, index]],
        }),
        None => Ok(()),
    }
}
// END SOLUTION

/// The two sides of the normal equations: the Gram matrix `XᵀX` and `Xᵀy`.
///
/// ```text
/// x: (n, p)   y: (n)   →   XᵀX: (p, p) symmetric,   Xᵀy: (p)
/// (XᵀX)ⱼₖ = ∑ᵢ xᵢⱼ xᵢₖ,   (Xᵀy)ⱼ = ∑ᵢ xᵢⱼ yᵢ
/// ```
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ShapeMismatch`] when `y` does not
/// have one entry per row of `x`.
///
/// # Examples
/// ```
/// # use linear_regression_solution::normal_equations;
/// use ndarray::array;
/// let (a, c) = normal_equations(array![[1.0, 1.0], [1.0, 2.0]].view(), array![3.0, 5.0].view())?;
/// assert_eq!(a, array![[2.0, 3.0], [3.0, 5.0]]);
/// assert_eq!(c, array![8.0, 13.0]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn normal_equations(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
) -> Result<(Array2<f64>, Array1<f64>), FitError> {
    // BEGIN SOLUTION
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of y vs rows of x", y.len(), x.nrows())?;
    // ndarray's matrix product (a cache-blocked kernel) for XᵀX; Xᵀy as a sum of rows scaled
    // by yᵢ, reading x in memory order (x.t().dot(&y) walks x column by column: far slower).
    let gram = x.t().dot(&x);
    let mut xty = Array1::zeros(x.ncols());
    for (row, &yi) in x.rows().into_iter().zip(y.iter()) {
        xty.scaled_add(yi, &row);
    }
    Ok((gram, xty))
    // STUB
    // // TODO: Check with crate::error::{ensure_nonempty, ensure_dim}, then return (XᵀX, Xᵀy). [[1, 1], [1, 2]], [3, 5] -> ([[2, 3], [3, 5]], [8, 13])
    // todo!("XᵀX and Xᵀy of x {:?} and y {:?}", x.shape(), y.shape())
    // END SOLUTION
}

/// The Cholesky factor of a symmetric positive definite matrix: the lower-triangular `L` with
/// positive diagonal such that `A = L Lᵀ`. Only the lower triangle of `a` is read.
///
/// ```text
/// a: (p, p)   →   L: (p, p), zero above the diagonal
/// Lⱼⱼ = √(Aⱼⱼ − ∑ₖ<ⱼ Lⱼₖ²)
/// Lᵢⱼ = (Aᵢⱼ − ∑ₖ<ⱼ Lᵢₖ Lⱼₖ) / Lⱼⱼ          for i > j
/// ```
///
/// # Errors
/// [`FitError::ShapeMismatch`] when `a` is not square; [`FitError::NotPositiveDefinite`] when a
/// pivot `Aⱼⱼ − ∑ₖ<ⱼ Lⱼₖ²` is not > 0 (or not finite): never the square root of a negative.
///
/// # Examples
/// ```
/// # use linear_regression_solution::cholesky;
/// use ndarray::array;
/// let l = cholesky(array![[4.0, 2.0], [2.0, 2.0]].view())?;
/// assert_eq!(l, array![[2.0, 0.0], [1.0, 1.0]]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn cholesky(a: ArrayView2<'_, f64>) -> Result<Array2<f64>, FitError> {
    // BEGIN SOLUTION
    ensure_dim("columns vs rows of the matrix", a.ncols(), a.nrows())?;
    let p = a.nrows();
    let mut l = Array2::<f64>::zeros((p, p));
    for j in 0..p {
        let pivot = a[[j, j]] - (0..j).map(|k| l[[j, k]] * l[[j, k]]).sum::<f64>();
        // `!(pivot > 0.0)` also catches NaN.
        if !(pivot > 0.0 && pivot.is_finite()) {
            return Err(FitError::NotPositiveDefinite {
                pivot: j,
                value: pivot,
            });
        }
        let d = pivot.sqrt();
        l[[j, j]] = d;
        for i in j + 1..p {
            let s = a[[i, j]] - (0..j).map(|k| l[[i, k]] * l[[j, k]]).sum::<f64>();
            l[[i, j]] = s / d;
        }
    }
    Ok(l)
    // STUB
    // // TODO: Check that a is square (crate::error::ensure_dim), then build L column by column; return FitError::NotPositiveDefinite when a pivot is not > 0. [[4, 2], [2, 2]] -> [[2, 0], [1, 1]]
    // todo!("Cholesky factor of a {:?}", a.shape())
    // END SOLUTION
}

/// Solves `L z = b` for a lower-triangular `L`, top row first. Only the lower triangle is read.
///
/// ```text
/// l: (p, p)   b: (p)   →   z: (p)
/// zᵢ = (bᵢ − ∑ₖ<ᵢ Lᵢₖ zₖ) / Lᵢᵢ
/// ```
///
/// # Errors
/// [`FitError::ShapeMismatch`] when `l` is not square or `b` has the wrong length;
/// [`FitError::Singular`] when a diagonal entry is 0 or not finite.
///
/// # Examples
/// ```
/// # use linear_regression_solution::forward_substitution;
/// use ndarray::array;
/// let z = forward_substitution(array![[2.0, 0.0], [1.0, 1.0]].view(), array![4.0, 5.0].view())?;
/// assert_eq!(z, array![2.0, 3.0]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn forward_substitution(
    l: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // BEGIN SOLUTION
    ensure_square_system(l, b)?;
    ensure_diagonal(l)?;
    let mut z = Array1::<f64>::zeros(b.len());
    for i in 0..b.len() {
        let s: f64 = (0..i).map(|k| l[[i, k]] * z[k]).sum();
        z[i] = (b[i] - s) / l[[i, i]];
    }
    Ok(z)
    // STUB
    // // TODO: Check the shapes and the diagonal (FitError::Singular for a 0), then solve from the top row down. [[2, 0], [1, 1]], [4, 5] -> [2, 3]
    // todo!("solve L z = b for l {:?} and b {:?}", l.shape(), b.shape())
    // END SOLUTION
}

/// Solves `U x = b` for an upper-triangular `U`, bottom row first. Only the upper triangle is
/// read. With `U = Lᵀ` it finishes the normal equations; with `U = R` it finishes QR (step 4).
///
/// ```text
/// u: (p, p)   b: (p)   →   x: (p)
/// xᵢ = (bᵢ − ∑ₖ>ᵢ Uᵢₖ xₖ) / Uᵢᵢ
/// ```
///
/// # Errors
/// As [`forward_substitution`].
///
/// # Examples
/// ```
/// # use linear_regression_solution::back_substitution;
/// use ndarray::array;
/// let x = back_substitution(array![[2.0, 1.0], [0.0, 1.0]].view(), array![7.0, 3.0].view())?;
/// assert_eq!(x, array![2.0, 3.0]);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn back_substitution(
    u: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // BEGIN SOLUTION
    ensure_square_system(u, b)?;
    ensure_diagonal(u)?;
    let p = b.len();
    let mut x = Array1::<f64>::zeros(p);
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|k| u[[i, k]] * x[k]).sum();
        x[i] = (b[i] - s) / u[[i, i]];
    }
    Ok(x)
    // STUB
    // // TODO: Check the shapes and the diagonal, then solve from the bottom row up. [[2, 1], [0, 1]], [7, 3] -> [2, 3]
    // todo!("solve U x = b for u {:?} and b {:?}", u.shape(), b.shape())
    // END SOLUTION
}

/// Least squares by the normal equations: `β = (XᵀX)⁻¹ Xᵀy`, computed as [`normal_equations`],
/// [`cholesky`], then `L z = Xᵀy` forward and `Lᵀ β = z` backward.
///
/// ```text
/// x: (n, p)   y: (n)   →   β: (p)
/// ```
///
/// # Errors
/// Those of the four steps: bad shapes, or [`FitError::NotPositiveDefinite`] when XᵀX is
/// (numerically) singular.
///
/// # Examples
/// ```
/// # use linear_regression_solution::solve_normal_equations;
/// use ndarray::array;
/// // y = 1 + 2x exactly.
/// let beta = solve_normal_equations(array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]].view(), array![1.0, 3.0, 5.0].view())?;
/// assert!((beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12);
/// # Ok::<(), linear_regression_solution::FitError>(())
/// ```
pub fn solve_normal_equations(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // BEGIN SOLUTION
    let (gram, xty) = normal_equations(x, y)?;
    let l = cholesky(gram.view())?;
    let z = forward_substitution(l.view(), xty.view())?;
    back_substitution(l.t(), z.view())
    // STUB
    // // TODO: Chain normal_equations, cholesky, forward_substitution and back_substitution (with Lᵀ = l.t()).
    // todo!("β by the normal equations for x {:?} and y {:?}", x.shape(), y.shape())
    // END SOLUTION
}
