//! Step 3: the normal equations XᵀX β = Xᵀy, solved by a Cholesky factorisation and two
//! triangular solves.
//!
//! Fast and simple, but forming XᵀX squares the condition number of X: κ(XᵀX) = κ(X)². With
//! κ(X) ≈ 10⁸ or more (NIST Filip: 1.8·10¹⁵) every digit of f64 is gone before Cholesky starts,
//! and rounding can even make XᵀX indefinite. That is what step 4 (QR) fixes.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;

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
/// # use linear_regression::normal_equations;
/// use ndarray::array;
/// let (a, c) = normal_equations(array![[1.0, 1.0], [1.0, 2.0]].view(), array![3.0, 5.0].view())?;
/// assert_eq!(a, array![[2.0, 3.0], [3.0, 5.0]]);
/// assert_eq!(c, array![8.0, 13.0]);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn normal_equations(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
) -> Result<(Array2<f64>, Array1<f64>), FitError> {
    // TODO: Check with crate::error::{ensure_nonempty, ensure_dim}, then return (XᵀX, Xᵀy). [[1, 1], [1, 2]], [3, 5] -> ([[2, 3], [3, 5]], [8, 13])
    todo!("XᵀX and Xᵀy of x {:?} and y {:?}", x.shape(), y.shape())
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
/// # use linear_regression::cholesky;
/// use ndarray::array;
/// let l = cholesky(array![[4.0, 2.0], [2.0, 2.0]].view())?;
/// assert_eq!(l, array![[2.0, 0.0], [1.0, 1.0]]);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn cholesky(a: ArrayView2<'_, f64>) -> Result<Array2<f64>, FitError> {
    // TODO: Check that a is square (crate::error::ensure_dim), then build L column by column; return FitError::NotPositiveDefinite when a pivot is not > 0. [[4, 2], [2, 2]] -> [[2, 0], [1, 1]]
    todo!("Cholesky factor of a {:?}", a.shape())
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
/// # use linear_regression::forward_substitution;
/// use ndarray::array;
/// let z = forward_substitution(array![[2.0, 0.0], [1.0, 1.0]].view(), array![4.0, 5.0].view())?;
/// assert_eq!(z, array![2.0, 3.0]);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn forward_substitution(
    l: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // TODO: Check the shapes and the diagonal (FitError::Singular for a 0), then solve from the top row down. [[2, 0], [1, 1]], [4, 5] -> [2, 3]
    todo!("solve L z = b for l {:?} and b {:?}", l.shape(), b.shape())
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
/// # use linear_regression::back_substitution;
/// use ndarray::array;
/// let x = back_substitution(array![[2.0, 1.0], [0.0, 1.0]].view(), array![7.0, 3.0].view())?;
/// assert_eq!(x, array![2.0, 3.0]);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn back_substitution(
    u: ArrayView2<'_, f64>,
    b: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // TODO: Check the shapes and the diagonal, then solve from the bottom row up. [[2, 1], [0, 1]], [7, 3] -> [2, 3]
    todo!("solve U x = b for u {:?} and b {:?}", u.shape(), b.shape())
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
/// # use linear_regression::solve_normal_equations;
/// use ndarray::array;
/// // y = 1 + 2x exactly.
/// let beta = solve_normal_equations(array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]].view(), array![1.0, 3.0, 5.0].view())?;
/// assert!((beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12);
/// # Ok::<(), linear_regression::FitError>(())
/// ```
pub fn solve_normal_equations(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // TODO: Chain normal_equations, cholesky, forward_substitution and back_substitution (with Lᵀ = l.t()).
    todo!(
        "β by the normal equations for x {:?} and y {:?}",
        x.shape(),
        y.shape()
    )
}
