//! Grading suite of exercise 05: reverse-mode automatic differentiation.
//!
//! Public checks are small hand-derived cases and micrograd's first expression; hidden ones use
//! micrograd's second expression, the single tanh neuron, finite differences at random points,
//! the CS231n toy net of exercise 02 (`hidden/toy_net.rs`) and a training run against the
//! suite's own hand-written backpropagation ([`oracle`]); step 6's Hessian-vector products are
//! checked on closed forms (a quadratic form, Rosenbrock's function, the logistic loss's XᵀWX)
//! and finite differences of gradients, on graphs the suite records itself ([`curvature`]).

use mlings_grader::Suite;
use mlings_grader::assert::Tol;

mod curvature;
mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("05-autodiff", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

/// The tape's gradients against hand-written backpropagation: the same products and sums in
/// another order, so they agree to rounding, 1e-10 relative at most (measured absolutely below
/// 1e-12, where a gradient is a sum of terms that cancel).
const SAME_GRADIENTS: Tol = Tol::rel_floor(1e-10, 1e-12);

/// Analytic against numerical gradients: centred differences with h = 1e-5 are good to ~1e-9
/// relative on these smooth, O(1) functions; a wrong derivative is off by 1e-2 or more.
const GRAD_TOL: Tol = Tol::rel_floor(1e-6, 1e-6);
