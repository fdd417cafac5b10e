//! # Exercise 04 — logistic and softmax regression by Newton's method, certified against R and Stata
//!
//! You turn exercise 01's weighted least squares into iteratively reweighted least squares
//! (IRLS): the maximum-likelihood logistic regression by Newton's method, with your own
//! Cholesky solve, standard errors, three link functions, and the multinomial logit (softmax
//! regression), then its scalable cousin, mini-batch gradient descent. The suite grades the
//! fits against R's `glm` (the Challenger O-rings, Bliss's beetles) and Stata (ANES 1996, 36
//! parameters) to 7–10 correct digits.
//!
//! Why: logistic regression is the first classifier of machine learning, and the softmax
//! cross-entropy is the loss of every neural classifier after it. Newton's method shows what
//! the optimum looks like — exact, in a handful of steps, with error bars — and what it costs.
//!
//! ## Symbols and shapes
//!
//! ```text
//! n   observations                  x: (n, d) features        X: (n, p) the design, [1, x] with an intercept
//! p   parameters                    β: (p) coefficients, the intercept first
//! y   successes, (n)                m: (n) trials ("trials"); a 0/1 response has every mᵢ = 1
//! η   linear predictor Xβ, (n)      μ = σ(η): (n) fitted probabilities
//! W   diag(w), w = m ⊙ μ ⊙ (1 − μ)  H = XᵀWX: (p, p), the Hessian = the Fisher information
//! ℓ   negative log-likelihood       D   deviance, 2(ℓ − ℓ_saturated)
//! K   classes (step 7)              β: (p, K − 1), class 0 the base; θ: ((K − 1)·p) stacked
//! ```
//!
//! ## The math
//!
//! ```text
//! sigmoid:     σ(z) = 1 / (1 + e⁻ᶻ),   ln σ(z) = −ln(1 + e⁻ᶻ),   1 − σ(z) = σ(−z)
//! likelihood:  ℓ(β) = −∑ᵢ [yᵢ ln σ(ηᵢ) + (mᵢ − yᵢ) ln σ(−ηᵢ)]
//! gradient:    ∇ℓ = Xᵀ(m ⊙ μ − y)                 Hessian:  H = XᵀWX
//! Newton:      β ← β − H⁻¹∇ℓ  (Cholesky H = L Lᵀ),  until |Dₜ − Dₜ₋₁| / (|Dₜ| + 0.1) < tol
//! inference:   SEⱼ = √(H⁻¹)ⱼⱼ at β̂,   zⱼ = β̂ⱼ / SEⱼ
//! softmax:     Pᵢ = softmax([0, xᵢᵀβ₁, …, xᵢᵀβ_{K−1}]),   ℓ = ∑ᵢ [ln ∑ₖ e^{zᵢₖ} − zᵢ,yᵢ]
//! ```
//!
//! ## A worked example
//!
//! Four 0/1 observations on a line, with an intercept:
//!
//! ```text
//! X = [[1, 0], [1, 1], [1, 2], [1, 3]]   y = [0, 1, 0, 1]   m = [1, 1, 1, 1]
//! β = 0:  μ = ½ everywhere, w = ¼,  ℓ = 4 ln 2,  D₀ = 8 ln 2 = 5.545177
//!         ∇ℓ = Xᵀ(μ − y) = [0, −1]           H = ¼ XᵀX = [[1, 1.5], [1.5, 3.5]]
//!         Δ = H⁻¹∇ℓ = [1.2, −0.8]            β₁ = −Δ = [−1.2, 0.8],   D₁ = 4.705191
//! then    D₂ = 4.694988,  D₃ = 4.694973070282,  D₄ = 4.694973070243 (converged, 4 iterations)
//! β̂ = [−1.362276, 0.908184]                 SE = [1.974883, 1.085192]
//! ```
//!
//! ## Steps (100 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 stable-functions | [`sigmoid`], [`log_sigmoid`], [`log_sum_exp`], [`softmax`] | `stable.rs` | 10 |
//! | 2 likelihood | [`neg_log_likelihood`], [`gradient`], [`weighted_gram`], [`hessian`], [`deviance`] | `likelihood.rs` | 17 |
//! | 3 separation | [`check_separation`] | `separation.rs` | 4 |
//! | 4 newton | [`cholesky`], [`cholesky_solve`], [`newton`] | `newton.rs` | 20 |
//! | 5 inference | [`inverse_diagonal`], [`standard_errors`], [`z_values`], [`null_deviance`], [`fit_logistic`] | `inference.rs` | 13 |
//! | 6 links | [`Link::mean`], [`Link::mean_derivative`], [`irls`] | `link.rs` | 9 |
//! | 7 multinomial | [`multinomial_probabilities`], [`multinomial_nll`], [`multinomial_gradient`], [`multinomial_hessian`], [`multinomial_newton`] | `multinomial.rs` | 18 |
//! | 8 softmax-sgd | [`fit_softmax_sgd`], [`SoftmaxModel::predict_proba`], [`SoftmaxModel::predict`] | `sgd.rs` | 9 |
//!
//! Where the formulas come from (the likelihood, Newton as IRLS, the standard errors, the
//! softmax Hessian's blocks): [`derivation`], after the contract.
//!
//! Run `cargo test -p logistic-regression` to grade your work. Later steps are graded with the
//! certified coefficients or the kit's own trusted versions where possible (the standard errors
//! at R's β, the Fisher information with the kit's Gram matrix), so one early bug does not hide
//! the rest. `mlings plot 4` draws your Challenger fit and your Newton iterations.
//!
//! Bad input gets a typed [`FitError`], never a panic or a NaN: the checks in [`error`] are
//! given, call them where a `TODO` says so. Separated data, where no maximum-likelihood
//! estimate exists, get [`FitError::Separation`], never a silently exploding β.
//!
//! ## Constraints
//!
//! - Do not use a linear-algebra or machine-learning crate: ndarray's `dot` and your own
//!   Cholesky are all you need. Do not depend on exercise 01's crate: re-implement what you
//!   carry over.
//! - Work in f64 throughout. Newton must reach 10 correct digits on Challenger, IRLS 7 on the
//!   beetles under every link, and the multinomial logit every digit Stata prints on ANES 1996.
//! - Never write `ln(1 − σ(z))`: it is `ln σ(−z)`.
//! - Given, nothing to write: [`error`], [`normal`] (Φ and φ for the probit link),
//!   [`NewtonConfig`] and its stopping rule, [`SEPARATION_ETA`], the structs that hold fits.
//!
//! ## Data
//!
//! `data/glm/` (see its README): the 23 Space Shuttle launches before Challenger (Dalal,
//! Fowlkes & Hoadley, 1989), Bliss's beetle mortality (1935), and the ANES 1996 subset (the
//! American National Election Studies, public domain); `data/digits/`: the 8×8 handwritten
//! digits of the UCI repository, as shipped with scikit-learn.

pub mod derivation;
pub mod error;
pub mod inference;
pub mod likelihood;
pub mod link;
pub mod multinomial;
pub mod newton;
pub mod normal;
pub mod separation;
pub mod sgd;
pub mod stable;

pub use error::FitError;
pub use inference::{
    LogisticSummary, fit_logistic, inverse_diagonal, null_deviance, standard_errors, z_values,
};
pub use likelihood::{deviance, gradient, hessian, neg_log_likelihood, weighted_gram};
pub use link::{Link, irls};
pub use multinomial::{
    MultinomialFit, multinomial_gradient, multinomial_hessian, multinomial_newton, multinomial_nll,
    multinomial_probabilities,
};
pub use newton::{GlmFit, NewtonConfig, cholesky, cholesky_solve, newton, relative_change};
pub use normal::{normal_cdf, normal_pdf};
pub use separation::{SEPARATION_ETA, check_separation};
pub use sgd::{SgdConfig, SoftmaxModel, fit_softmax_sgd};
pub use stable::{log_sigmoid, log_sum_exp, sigmoid, softmax};
