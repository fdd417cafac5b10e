//! Step 2: design matrices. A polynomial model is linear in its coefficients: each power of x
//! is one more column of the design.

use ndarray::{Array2, ArrayView1, ArrayView2};

/// The design matrix of a polynomial of degree `degree` in one variable, with a leading column
/// of ones when `intercept` is true.
///
/// ```text
/// x: (n)   →   (n, degree + 1) with the intercept, (n, degree) without
/// row i = [1, xᵢ, xᵢ², …, xᵢᵈ]     or     [xᵢ, xᵢ², …, xᵢᵈ]
/// ```
///
/// NIST Filip is a degree-10 polynomial with an intercept (11 columns); NoInt1 is degree 1
/// without one.
///
/// # Examples
/// ```
/// # use linear_regression::polynomial_features;
/// use ndarray::array;
/// let d = polynomial_features(array![2.0, 3.0].view(), 2, true);
/// assert_eq!(d, array![[1.0, 2.0, 4.0], [1.0, 3.0, 9.0]]);
/// ```
pub fn polynomial_features(x: ArrayView1<'_, f64>, degree: usize, intercept: bool) -> Array2<f64> {
    // TODO: Fill column j with x to the power j (or j + 1 without the intercept). [2, 3], degree 2, intercept -> [[1, 2, 4], [1, 3, 9]]
    todo!(
        "degree-{degree} design of x {:?}, intercept: {intercept}",
        x.shape()
    )
}

/// The design `[1, X]`: `x` with a column of ones in front, for a model with an intercept
/// (NIST Longley: six predictors, seven parameters).
///
/// ```text
/// x: (n, d)   →   (n, d + 1),   row i = [1, xᵢ₁, …, xᵢd]
/// ```
///
/// # Examples
/// ```
/// # use linear_regression::with_intercept;
/// use ndarray::array;
/// assert_eq!(with_intercept(array![[5.0, 6.0]].view()), array![[1.0, 5.0, 6.0]]);
/// ```
pub fn with_intercept(x: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: Return x with a column of ones in front. [[5, 6]] -> [[1, 5, 6]]
    todo!("[1, X] of x {:?}", x.shape())
}
