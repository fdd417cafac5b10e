//! The steps of exercise 01, declared once: every check names one, and so does the plot program
//! when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `mse`, `r_squared`, `r_squared_uncentred`, in `metrics.rs`.
pub const METRICS: Step = Step::new(1, "metrics");
/// Step 2: `polynomial_features`, `with_intercept`, in `design.rs`.
pub const DESIGN_MATRICES: Step = Step::new(2, "design-matrices");
/// Step 3: `normal_equations`, `cholesky`, `forward_substitution`, `back_substitution`, `solve_normal_equations`, in `normal.rs`.
pub const NORMAL_EQUATIONS: Step = Step::new(3, "normal-equations");
/// Step 4: `qr_factor`, `qr_solve`, in `qr.rs`.
pub const QR: Step = Step::new(4, "qr");
/// Step 5: `standardize`, `mse_gradient`, `gradient_descent`, in `gd.rs`.
pub const GRADIENT_DESCENT: Step = Step::new(5, "gradient-descent");
/// Step 6: `residual_std`, `standard_errors`, in `stats.rs`.
pub const STATISTICS: Step = Step::new(6, "statistics");
/// Step 7: `LinearRegression::fit`, `FittedLinearRegression::predict`, in `model.rs`.
pub const MODEL: Step = Step::new(7, "model");

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    METRICS,
    DESIGN_MATRICES,
    NORMAL_EQUATIONS,
    QR,
    GRADIENT_DESCENT,
    STATISTICS,
    MODEL,
];
