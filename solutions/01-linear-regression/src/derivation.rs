//! # Where the formulas come from
//!
//! Read this after the contract, when you want to know why the normal equations, the gradient
//! and the standard errors are what they are. Nothing here is graded.
//!
//! ## Least squares is maximum likelihood under Gaussian noise
//!
//! Assume each target is a linear function of its features plus independent noise of one
//! unknown spread σ:
//!
//! ```text
//! yᵢ = xᵢᵀβ + εᵢ,   εᵢ ~ N(0, σ²) independent
//! p(yᵢ | xᵢ, β) = (2πσ²)^(−½) · exp(−(yᵢ − xᵢᵀβ)² / 2σ²)
//! log-likelihood ℓ(β) = ∑ᵢ log p(yᵢ | xᵢ, β) = −(n/2) log(2πσ²) − (1/2σ²) ∑ᵢ (yᵢ − xᵢᵀβ)²
//! ```
//!
//! Only the last sum depends on β, with a minus sign: maximising the likelihood is minimising
//! SSE(β) = ‖y − Xβ‖². That is why the squared error, and not the absolute error, is the loss:
//! it is the Gaussian's log. (Laplace noise would give the absolute error instead.)
//!
//! ## The gradient and the normal equations
//!
//! Expand the loss and differentiate with respect to the vector β (shapes in brackets):
//!
//! ```text
//! SSE(β) = (y − Xβ)ᵀ(y − Xβ) = yᵀy − 2 βᵀXᵀy + βᵀXᵀXβ          (scalar)
//! ∇β SSE = −2 Xᵀy + 2 XᵀXβ = −2 Xᵀ(y − Xβ) = −2 Xᵀr           (p)  = (p, n)·(n)
//! ```
//!
//! At the minimum the gradient is zero: XᵀX β = Xᵀy, the normal equations. They say that the
//! residual r is orthogonal to every column of X (Xᵀr = 0): the fit ŷ = Xβ is the orthogonal
//! projection of y onto the columns of X. XᵀX is symmetric and, when the columns of X are
//! independent, positive definite (βᵀXᵀXβ = ‖Xβ‖² > 0 for β ≠ 0), which is exactly what
//! Cholesky needs; when it is not numerically so (Filip), Cholesky meets a non-positive pivot.
//!
//! Gradient descent uses the same gradient divided by n (the mean rather than the sum, so the
//! step size does not depend on the number of samples): ∇w = (2/n) Xᵀr with r = Xw + b − y,
//! and the intercept's component is (2/n) ∑ rᵢ, the gradient for a column of ones.
//!
//! ## Why QR keeps more digits
//!
//! With X = QR, Q (n, p) orthonormal (QᵀQ = I) and R (p, p) upper triangular,
//!
//! ```text
//! ‖y − Xβ‖² = ‖Qᵀy − Rβ‖² + ‖(I − QQᵀ) y‖²
//! ```
//!
//! and only the first term depends on β: it is zero when Rβ = Qᵀy. No XᵀX is ever formed, so
//! the condition number that matters is κ(R) = κ(X), not κ(X)². A Householder reflection
//! H = I − 2vvᵀ/vᵀv maps a column a to ∓‖a‖e₁; choosing the sign opposite to a₀ makes
//! v₀ = a₀ + sign(a₀)‖a‖ a sum of two numbers of one sign, never a difference of nearly equal
//! ones, which would cancel the leading digits.
//!
//! ## Standard errors
//!
//! Under the model, β̂ = (XᵀX)⁻¹Xᵀy is a linear function of y, whose covariance is σ²I:
//!
//! ```text
//! Cov(β̂) = (XᵀX)⁻¹Xᵀ · σ²I · X(XᵀX)⁻¹ = σ² (XᵀX)⁻¹
//! ```
//!
//! σ² is unknown; SSE / (n − p) estimates it without bias, because the residuals live in an
//! (n − p)-dimensional space (p directions were used up by the fit). Hence
//! s = √(SSE / (n − p)) and SEⱼ = s √((XᵀX)⁻¹)ⱼⱼ. With X = QR, (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, so the j-th
//! diagonal entry is the squared norm of row j of R⁻¹: no inverse of XᵀX is needed.
