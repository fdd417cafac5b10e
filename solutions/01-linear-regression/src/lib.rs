//! # Exercise 01 — linear regression, graded against NIST's certified answers
//!
//! You fit `y ≈ Xβ` three ways — the normal equations, Householder QR and gradient descent —
//! with ndarray alone, and the suite grades them on the eleven linear-regression datasets of
//! NIST's Statistical Reference Datasets, whose answers are certified to 15 digits. Some are
//! easy; Filip (a degree-10 polynomial) defeats the normal equations completely, and is why
//! every serious least-squares routine uses QR.
//!
//! Why: least squares is the first model of machine learning and the last word of numerical
//! linear algebra. Getting it right — and knowing which method loses which digits — is the
//! foundation of everything that fits parameters to data.
//!
//! ## Symbols and shapes
//!
//! ```text
//! n   samples                        x: (n, d) features        y: (n) targets
//! d   features                       X: (n, p) the design: [1, x] with an intercept, x without
//! p   parameters (d + 1 or d)        β: (p) coefficients, the intercept first when there is one
//! r   residuals y − Xβ, (n)          ŷ = Xβ predictions, (n)
//! s   residual standard deviation    SE: (p) standard errors of β
//! η   learning rate                  κ(X) condition number of X
//! ```
//!
//! ## The math
//!
//! ```text
//! least squares:   β = argmin ‖Xβ − y‖²,  the solution of the normal equations XᵀX β = Xᵀy
//! metrics:         MSE = (1/n) ∑ rᵢ²,   R² = 1 − SSE / ∑ (yᵢ − ȳ)²,   R²₀ = 1 − SSE / ∑ yᵢ²
//! Cholesky:        XᵀX = L Lᵀ;  L z = Xᵀy (forward), Lᵀ β = z (backward)
//! QR:              X = Q R (Householder);  R β = Qᵀy (backward)
//! descent:         L(w, b) = (1/n) ‖Xw + b − y‖²,  ∇w = (2/n) Xᵀr,  ∇b = (2/n) ∑ rᵢ
//! statistics:      s = √(SSE / (n − p)),   SEⱼ = s √((XᵀX)⁻¹)ⱼⱼ = s ‖row j of R⁻¹‖
//! ```
//!
//! **Why QR.** Forming XᵀX squares the condition number: κ(XᵀX) = κ(X)². f64 carries about 16
//! digits, so the normal equations keep roughly 16 − 2·log₁₀ κ(X) of them, QR about
//! 16 − log₁₀ κ(X). On NIST Longley (κ ≈ 5·10⁹) that is 7 digits against 13; on Filip
//! (κ ≈ 2·10¹⁵) it is none at all against about 7 — XᵀX is not even numerically positive
//! definite, and Cholesky must say so with an error rather than take √ of a negative number.
//!
//! ## A worked example
//!
//! Fit a line to (1, 1), (2, 2), (3, 2):
//!
//! ```text
//! X = [[1, 1], [1, 2], [1, 3]]   y = [1, 2, 2]
//! XᵀX = [[3, 6], [6, 14]]        Xᵀy = [5, 11]
//! L = [[√3, 0], [2√3, √2]]       z = [5/√3, 1/√2]       β = [2/3, 1/2]
//! r = [−1/6, 1/3, −1/6]          SSE = 1/6              s = √(SSE / (3 − 2)) = 0.408248
//! (XᵀX)⁻¹ = [[14, −6], [−6, 3]] / 6                      SE = [0.623610, 0.288675]
//! R² = 1 − (1/6) / (2/3) = 0.75
//! ```
//!
//! ## Steps (120 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 metrics | [`mse`], [`r_squared`], [`r_squared_uncentred`] | `metrics.rs` | 12 |
//! | 2 design-matrices | [`polynomial_features`], [`with_intercept`] | `design.rs` | 9 |
//! | 3 normal-equations | [`normal_equations`], [`cholesky`], [`forward_substitution`], [`back_substitution`], [`solve_normal_equations`] | `normal.rs` | 25 |
//! | 4 qr | [`qr_factor`], [`qr_solve`] | `qr.rs` | 25 |
//! | 5 gradient-descent | [`standardize`], [`mse_gradient`], [`gradient_descent`] | `gd.rs` | 20 |
//! | 6 statistics | [`residual_std`], [`standard_errors`] | `stats.rs` | 13 |
//! | 7 model | [`LinearRegression::fit`], [`FittedLinearRegression::predict`] | `model.rs` | 16 |
//!
//! Where the formulas come from (maximum likelihood, the gradient, why QR, the standard errors):
//! [`derivation`], after the contract.
//!
//! Run `cargo test -p linear-regression` to grade your work. Later steps are graded with the
//! kit's own trusted versions of earlier ones where possible (the standard errors with the
//! kit's `R`, the residual SD with NIST's certified β), so one early bug does not hide the rest.
//!
//! Bad input gets a typed [`FitError`], never a panic or a NaN: the checks in [`error`] are
//! given, call them where a `TODO` says so.
//!
//! ## Constraints
//!
//! - Do not use a linear-algebra or machine-learning crate: ndarray's `dot` is all you need.
//! - Work in f64 throughout. QR must reach 6 correct digits on NIST Filip and 10 on Longley:
//!   choose each Householder vector's sign to avoid cancellation.
//! - Given, nothing to write: [`error`], [`LinearRegression::new`] and its settings, the
//!   accessors of [`FittedLinearRegression`].
//!
//! ## Data
//!
//! `data/nist-strd/`: the eleven linear least-squares datasets of the NIST/ITL Statistical
//! Reference Datasets (StRD), public-domain reference data of the US National Institute of
//! Standards and Technology.

pub mod derivation;
pub mod design;
pub mod error;
pub mod gd;
pub mod metrics;
pub mod model;
pub mod normal;
pub mod qr;
pub mod stats;

pub use design::{polynomial_features, with_intercept};
pub use error::FitError;
pub use gd::{
    GdConfig, GdFit, LossGradient, Standardized, gradient_descent, mse_gradient, standardize,
};
pub use metrics::{mse, r_squared, r_squared_uncentred};
pub use model::{FittedLinearRegression, LinearRegression, Solver};
pub use normal::{
    back_substitution, cholesky, forward_substitution, normal_equations, solve_normal_equations,
};
pub use qr::{QrFactors, RANK_TOL, qr_factor, qr_solve};
pub use stats::{residual_std, standard_errors};
