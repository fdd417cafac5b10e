//! # Where the gradients come from
//!
//! Read this after the contract, when you want to know why `dx = dout · Wᵀ` and
//! `∂L/∂s = (p − onehot(y)) / N`. Nothing here is graded.
//!
//! ## Backpropagation is the chain rule on a graph
//!
//! A network is a computational graph: each node computes its output from its inputs, and the
//! loss L is the last node. For a node `out = f(a)`, if we already know the upstream gradient
//! `dout = ∂L/∂out`, the chain rule gives its input's gradient as the local derivative times
//! the upstream gradient:
//!
//! ```text
//! ∂L/∂a = ∑ₖ (∂outₖ/∂a) · ∂L/∂outₖ          local gradient × upstream gradient
//! ```
//!
//! Walk the graph backwards from L (whose gradient is 1) and every node needs only its own
//! local derivative. When a value feeds several nodes, its gradients from each of them add up.
//! Every gradient has the shape of the value it belongs to: `dX` is shaped like `X`. Checking
//! the shapes is the fastest way to find the right transpose.
//!
//! ## A dense layer
//!
//! `out = x · W + b` with x: (N, D), W: (D, H), b: (H), out: (N, H). Element by element,
//! `outₙₕ = ∑_d xₙd Wdₕ + bₕ`, so
//!
//! ```text
//! ∂L/∂Wdₕ = ∑ₙ xₙd · doutₙₕ        dW = xᵀ · dout      (D, N)·(N, H) = (D, H)  ✓
//! ∂L/∂xₙd = ∑ₕ Wdₕ · doutₙₕ        dx = dout · Wᵀ      (N, H)·(H, D) = (N, D)  ✓
//! ∂L/∂bₕ  = ∑ₙ doutₙₕ              db = column sums of dout               (H)  ✓
//! ```
//!
//! b is added to every row (broadcast), so each row sends it a gradient and they add up: that
//! is the sum over the batch in db.
//!
//! ## Activations
//!
//! An elementwise f has a diagonal local derivative, so its backward is an elementwise product:
//! `dz = dout ⊙ f′(z)`. For ReLU `f′(z) = [z > 0]`; for σ, `σ′ = σ(1 − σ)`; for tanh, `1 − tanh²`.
//!
//! ## Softmax and cross-entropy, together
//!
//! For one sample with scores s (C), p = softmax(s) and label y, the loss is
//! `ℓ = −log p_y = −s_y + log ∑ₖ exp(sₖ)`. Differentiate each term:
//!
//! ```text
//! ∂/∂sⱼ (−s_y) = −[j = y]        ∂/∂sⱼ log ∑ₖ exp(sₖ) = exp(sⱼ) / ∑ₖ exp(sₖ) = pⱼ
//! ∂ℓ/∂sⱼ = pⱼ − [j = y]          the whole batch: ∂L/∂s = (p − onehot(y)) / N
//! ```
//!
//! The 1/N comes from averaging the loss over the batch. Writing the loss as
//! `−s_y + log ∑ exp(s)` is also why it is computed stably with the log-sum-exp trick:
//! `log ∑ₖ exp(sₖ) = m + log ∑ₖ exp(sₖ − m)` with m = maxₖ sₖ, which never overflows, where
//! `ln(softmax)` of a score of 1000 would take the log of an underflowed 0.
//!
//! ## Regularisation
//!
//! `λ ∑ W²` is a sum of squares, so its gradient is `2λW`, added to dW of each layer; biases
//! are left alone because they do not make the function any less smooth.
//!
//! ## Checking it numerically
//!
//! A gradient is a limit: `(f(x + h) − f(x − h)) / 2h` approximates ∂f/∂x with an error of
//! order h² (the one-sided `(f(x + h) − f(x)) / h` only of order h). Comparing the two with a
//! relative error catches a wrong transpose, a missing sum or a forgotten 1/N at once.
