//! Step 3: a gradient checker, to test the backward pass against the forward pass it inverts.

use crate::error::AdError;
use crate::scalar::{Graph, Value};

/// The symmetric relative error of two numbers, with a floor so that two tiny numbers compare
/// absolutely (exercise 02's measure):
///
/// ```text
/// rel(a, b) = |a − b| / max(10⁻⁸, |a| + |b|)
/// ```
///
/// # Examples
/// ```
/// # use autodiff_solution::rel_error;
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

/// The gradient of `f` at `x` by centred differences, one entry per element of `x`:
///
/// ```text
/// ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h
/// ```
///
/// `f` is called `2·len(x)` times, each time with `x` nudged in one element only.
///
/// # Examples
/// ```
/// # use autodiff_solution::numerical_gradient;
/// // f(x) = x₀² + 3x₁, ∇f = (2x₀, 3)
/// let g = numerical_gradient(|x| x[0] * x[0] + 3.0 * x[1], &[2.0, -1.0], 1e-5);
/// assert!((g[0] - 4.0).abs() < 1e-8 && (g[1] - 3.0).abs() < 1e-8);
/// ```
pub fn numerical_gradient(mut f: impl FnMut(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    // BEGIN SOLUTION
    let mut x = x.to_vec();
    (0..x.len())
        .map(|i| {
            let original = x[i];
            x[i] = original + h;
            let plus = f(&x);
            x[i] = original - h;
            let minus = f(&x);
            x[i] = original;
            (plus - minus) / (2.0 * h)
        })
        .collect()
    // STUB
    // // TODO: Nudge each element by ±h, call f, and take (f₊ − f₋) / 2h. x₀² + 3x₁ at (2, −1) -> (4, 3)
    // let _ = &mut f;
    // todo!("centred differences of f at {} points with step {h}", x.len())
    // END SOLUTION
}

/// What [`check_gradient`] found: both gradients and the largest [`rel_error`] between them.
#[derive(Debug, Clone, PartialEq)]
pub struct GradCheck {
    /// The gradient from [`Graph::backward`], one entry per input.
    pub analytic: Vec<f64>,
    /// The gradient from [`numerical_gradient`], one entry per input.
    pub numerical: Vec<f64>,
    /// The largest relative error between them: around 1e-9 or below when backward is right;
    /// NaN when any entry's is NaN (a NaN derivative, or an expression that fails at a nudged
    /// point), so that a broken gradient never passes.
    pub max_rel_error: f64,
}

/// Checks the backward pass of the expression `build` makes from leaves holding `x`: builds it
/// once on a fresh graph and runs [`Graph::backward`] from its root for the analytic gradient,
/// then takes [`numerical_gradient`] of the root's value with step `h`, building the expression
/// on a fresh graph for every evaluation.
///
/// # Errors
/// The first error `build` or `backward` returns.
///
/// # Examples
/// ```
/// # use autodiff_solution::check_gradient;
/// let check = check_gradient(|g, x| g.mul(x[0], x[1]), &[2.0, 3.0], 1e-5)?;
/// assert!(check.max_rel_error < 1e-9);
/// # Ok::<(), autodiff_solution::AdError>(())
/// ```
pub fn check_gradient(
    build: impl Fn(&mut Graph, &[Value]) -> Result<Value, AdError>,
    x: &[f64],
    h: f64,
) -> Result<GradCheck, AdError> {
    // BEGIN SOLUTION
    let evaluate = |x: &[f64]| -> Result<(Graph, Vec<Value>, Value), AdError> {
        let mut graph = Graph::new();
        let leaves: Vec<Value> = x.iter().map(|&v| graph.leaf(v)).collect();
        let root = build(&mut graph, &leaves)?;
        Ok((graph, leaves, root))
    };
    let (mut graph, leaves, root) = evaluate(x)?;
    graph.backward(root)?;
    let analytic = leaves
        .iter()
        .map(|&leaf| graph.grad(leaf))
        .collect::<Result<Vec<_>, _>>()?;
    // An error at a nudged point reads as NaN, which fails any comparison.
    let numerical = numerical_gradient(
        |x| {
            evaluate(x)
                .and_then(|(graph, _, root)| graph.value(root))
                .unwrap_or(f64::NAN)
        },
        x,
        h,
    );
    let max_rel_error = analytic
        .iter()
        .zip(&numerical)
        .map(|(&a, &n)| rel_error(a, n))
        .fold(0.0, |worst: f64, e| {
            if worst.is_nan() || e.is_nan() {
                f64::NAN
            } else {
                worst.max(e)
            }
        });
    Ok(GradCheck {
        analytic,
        numerical,
        max_rel_error,
    })
    // STUB
    // // TODO: Build on a fresh graph of leaves x, backward, read the leaves' grads; then take the
    // // numerical gradient of the root's value (a fresh graph per call) and the largest rel_error.
    // let _ = &build;
    // todo!("gradient check at {} inputs with step {h}", x.len())
    // END SOLUTION
}
