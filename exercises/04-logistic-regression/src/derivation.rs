//! # Where the formulas come from
//!
//! Read this after the contract, when you want to know why the gradient, the Hessian and the
//! standard errors are what they are. Nothing here is graded.
//!
//! ## The binomial likelihood
//!
//! Observation i is `yᵢ` successes in `mᵢ` independent trials of probability `μᵢ = σ(ηᵢ)`,
//! `ηᵢ = xᵢᵀβ`:
//!
//! ```text
//! ln p(yᵢ) = ln C(mᵢ, yᵢ) + yᵢ ln μᵢ + (mᵢ − yᵢ) ln(1 − μᵢ)
//! 1 − σ(η) = σ(−η)   so   ℓ(β) = −∑ᵢ [yᵢ ln σ(ηᵢ) + (mᵢ − yᵢ) ln σ(−ηᵢ)] + const
//! ```
//!
//! ## Gradient and Hessian
//!
//! With `σ′ = σ(1 − σ)`, `d/dη ln σ(η) = 1 − σ(η)` and `d/dη ln σ(−η) = −σ(η)`:
//!
//! ```text
//! ∂ℓ/∂ηᵢ = −yᵢ (1 − μᵢ) + (mᵢ − yᵢ) μᵢ = mᵢ μᵢ − yᵢ       ∇ℓ = Xᵀ(m ⊙ μ − y)        (p)
//! ∂²ℓ/∂ηᵢ² = mᵢ μᵢ (1 − μᵢ) = wᵢ                          H = XᵀWX                 (p, p)
//! ```
//!
//! H does not depend on y, and it is positive definite whenever X has full column rank and
//! every `wᵢ > 0`: ℓ is convex, and Newton's method converges from β = 0 (quadratically near
//! the optimum) unless the data are separated.
//!
//! ## Newton is iteratively reweighted least squares
//!
//! ```text
//! β⁺ = β − H⁻¹∇ℓ = (XᵀWX)⁻¹ XᵀW (Xβ + W⁻¹(y − mμ)) = (XᵀWX)⁻¹ XᵀW z
//! ```
//!
//! the weighted least-squares fit (exercise 01's normal equations, weighted) to the working
//! response `z = η + (y − mμ)/w`. For a non-canonical link (probit, cloglog) the Hessian has a
//! term in `y − mμ`; Fisher scoring replaces it by its expectation, giving the weights
//! `mᵢ h′(ηᵢ)² / (μᵢ(1 − μᵢ))` of [`crate::irls`].
//!
//! ## Standard errors
//!
//! Under the model, `β̂` is asymptotically normal with covariance the inverse Fisher
//! information `(XᵀWX)⁻¹`. The binomial variance is `mμ(1 − μ)`, fixed by the mean: there is no
//! separate noise level σ² to estimate, unlike least squares' `s² (XᵀX)⁻¹`. Multiplying by a
//! residual variance (quasi-binomial) is another model, with other standard errors.
//!
//! ## Deviance
//!
//! `D = 2(ℓ(β̂) − ℓ_saturated)` in log-likelihoods, the binomial analogue of the residual sum of
//! squares. The null deviance fits the intercept only. For 0/1 data the saturated model fits
//! every observation exactly and `D = 2ℓ(β̂)`.
//!
//! ## Softmax regression
//!
//! With `zᵢ = [0, xᵢᵀβ₁, …, xᵢᵀβ_{K−1}]` and `Pᵢ = softmax(zᵢ)`:
//!
//! ```text
//! ℓ = ∑ᵢ [ln ∑ₖ e^{zᵢₖ} − zᵢ,yᵢ]       ∂ℓ/∂βₐ = Xᵀ(P₍·,ₐ₎ − Y₍·,ₐ₎)
//! ∂²ℓ/∂βₐ∂βᵦᵀ = Xᵀ diag(Pᵢₐ(δₐᵦ − Pᵢᵦ)) X
//! ```
//!
//! The cross-class blocks (a ≠ b) are not zero: raising class a's logit lowers class b's
//! probability. Dropping them leaves a block-diagonal approximation that still descends, but
//! no longer quadratically.
