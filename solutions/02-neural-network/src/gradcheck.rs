//! Step 4: a gradient checker, to test every backward pass against the forward pass it inverts.

use ndarray::{Array2, ArrayView2};

/// The symmetric relative error of two numbers, with a floor so that two tiny numbers compare
/// absolutely:
///
/// ```text
/// rel(a, b) = |a − b| / max(10⁻⁸, |a| + |b|)
/// ```
///
/// Around 1e-7 or below means the gradients agree; 1e-2 or above means a bug.
///
/// # Examples
/// ```
/// # use neural_network_solution::rel_error;
/// assert_eq!(rel_error(1.0, 3.0), 0.5);
/// assert_eq!(rel_error(0.0, 0.0), 0.0);
/// ```
pub fn rel_error(a: f64, b: f64) -> f64 {
    // BEGIN SOLUTION
    (a - b).abs() / (a.abs() + b.abs()).max(1e-8)
    // STUB
    // // TODO: Return |a − b| / max(1e-8, |a| + |b|). (1, 3) -> 0.5
    // todo!("relative error of {a} and {b}")
    // END SOLUTION
}

/// The largest [`rel_error`] between corresponding elements of two arrays of one shape.
///
/// # Panics
/// When the shapes differ.
///
/// # Examples
/// ```
/// # use neural_network_solution::max_rel_error;
/// use ndarray::array;
/// assert_eq!(max_rel_error(array![[1.0, 2.0]].view(), array![[1.0, 6.0]].view()), 0.5);
/// ```
#[track_caller]
pub fn max_rel_error(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> f64 {
    assert_eq!(
        a.shape(),
        b.shape(),
        "max_rel_error: shapes {:?} and {:?} differ",
        a.shape(),
        b.shape()
    );
    // BEGIN SOLUTION
    a.iter()
        .zip(b.iter())
        .map(|(&x, &y)| rel_error(x, y))
        .fold(0.0, f64::max)
    // STUB
    // // TODO: Return the largest rel_error over the elements. [[1, 2]] vs [[1, 6]] -> 0.5
    // todo!(
    //     "largest relative error between a {:?} and b {:?}",
    //     a.shape(),
    //     b.shape()
    // )
    // END SOLUTION
}

/// The gradient of a scalar function `f` at `x: (R, C)` by centred finite differences, shape
/// `(R, C)`:
///
/// ```text
/// ∂f/∂xᵢⱼ ≈ (f(x + h eᵢⱼ) − f(x − h eᵢⱼ)) / 2h
/// ```
///
/// The centred difference has an error of order h² (a one-sided one, h); in f64, h = 1e-5 is a
/// good step. `f` is called `2·R·C` times; put `x` back exactly as it was after each element.
///
/// # Examples
/// ```
/// # use neural_network_solution::numerical_gradient;
/// use ndarray::array;
/// // f(x) = ∑ x², ∇f = 2x
/// let g = numerical_gradient(|x| x.iter().map(|v| v * v).sum(), array![[1.0, -3.0]].view(), 1e-5);
/// assert!((g[[0, 1]] + 6.0).abs() < 1e-8);
/// ```
pub fn numerical_gradient(
    mut f: impl FnMut(ArrayView2<'_, f64>) -> f64,
    x: ArrayView2<'_, f64>,
    h: f64,
) -> Array2<f64> {
    // BEGIN SOLUTION
    let mut x = x.to_owned();
    let mut grad = Array2::zeros(x.raw_dim());
    for index in ndarray::indices(x.raw_dim()) {
        let original = x[index];
        x[index] = original + h;
        let plus = f(x.view());
        x[index] = original - h;
        let minus = f(x.view());
        x[index] = original;
        grad[index] = (plus - minus) / (2.0 * h);
    }
    grad
    // STUB
    // // TODO: Nudge each element by ±h, call f, and take (f₊ − f₋) / 2h. ∑ x² at [[1, -3]] -> [[2, -6]]
    // let _ = &mut f;
    // todo!(
    //     "centred differences of f at x {:?} with step {h}",
    //     x.shape()
    // )
    // END SOLUTION
}
