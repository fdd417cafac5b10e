//! # Exercise 02 — a neural network from scratch, trained on real handwritten digits
//!
//! "Implement a neural network from memory using only numpy" — here with ndarray alone. You build
//! every piece of a multi-layer perceptron, check each backward pass against finite differences,
//! and train it until it reads handwritten digits: at least 96% of held-out 8×8 digits right, in
//! a few seconds.
//!
//! Why: every deep-learning framework is these eight steps with more layer types. Writing them
//! once, and watching a gradient check catch your own bugs, is how backpropagation stops being
//! magic.
//!
//! ## Symbols and shapes
//!
//! ```text
//! N   samples in a batch             x: (N, D)     labels y: (N), each in 0..C
//! D   input features                 W: (D, H)     b: (H)
//! H   units of a layer               scores (logits) s: (N, C)
//! C   classes                        p = softmax(s): (N, C)
//! λ   L2 strength (`reg`)            η   learning rate
//! dX  ∂L/∂X, always shaped like X
//! ```
//!
//! ## The math
//!
//! ```text
//! dense:     out = x · W + b                dx = dout · Wᵀ,  dW = xᵀ · dout,  db = ∑ᵢ doutᵢ
//! ReLU:      f(z) = max(0, z)               dz = dout ⊙ [z > 0]
//! sigmoid:   σ(z) = 1 / (1 + e⁻ᶻ)           dz = dout ⊙ σ(z)(1 − σ(z))
//! tanh:      f(z) = tanh z                  dz = dout ⊙ (1 − tanh² z)
//! softmax:   pᵢⱼ = exp(sᵢⱼ − mᵢ) / ∑ₖ exp(sᵢₖ − mᵢ),  mᵢ = maxₖ sᵢₖ
//! loss:      L = −(1/N) ∑ᵢ log pᵢ,yᵢ + λ ∑ₗ ∑ Wₗ²     (averaged over the batch; no ½ on the L2 term)
//!            ∂L/∂s = (p − onehot(y)) / N,   ∂(λ∑W²)/∂W = 2λW,   biases are not regularised
//! check:     ∂f/∂x ≈ (f(x + h) − f(x − h)) / 2h,   rel(a, b) = |a − b| / max(10⁻⁸, |a| + |b|)
//! ```
//!
//! **Regularisation convention.** The L2 term is `λ ∑ W²` and its gradient `2λW`. CS231n's older
//! convention `½ λ' ∑ W²` with `λ' = 2λ` gives the same numbers: the toy net at `λ = 0.05` here
//! is the toy net at `reg = 0.1` there, loss 1.30378789133.
//!
//! ## A worked example
//!
//! One sample `x = [[1, 2]]`, one dense layer `W = [[1, 0], [0, 1]]`, `b = [0, 0]`, label 1:
//!
//! ```text
//! scores = [[1, 2]]
//! p      = [[e¹, e²] / (e¹ + e²)] = [[0.268941, 0.731059]]
//! L      = −log 0.731059 = 0.313262
//! ds     = p − [0, 1] = [[0.268941, −0.268941]]
//! dW     = xᵀ · ds = [[0.268941, −0.268941], [0.537883, −0.537883]],   db = [0.268941, −0.268941]
//! ```
//!
//! ## Steps (115 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 dense | [`dense_forward`], [`dense_backward`] | `dense.rs` | 13 |
//! | 2 activations | [`Activation::forward`], [`Activation::backward`] | `activation.rs` | 12 |
//! | 3 softmax-loss | [`softmax`], [`softmax_cross_entropy`], [`l2_penalty`], [`l2_gradient`] | `loss.rs` | 16 |
//! | 4 gradient-check | [`rel_error`], [`max_rel_error`], [`numerical_gradient`] | `gradcheck.rs` | 12 |
//! | 5 mlp | [`Mlp::forward`], [`Mlp::loss_and_gradients`] | `mlp.rs` | 21 |
//! | 6 init | [`init_weights`] (He, Xavier) | `init.rs` | 10 |
//! | 7 optimisers | [`OptimiserState::update`] (SGD, momentum, Adam) | `optim.rs` | 12 |
//! | 8 training | [`train`](fn@train) | `train.rs` | 19 |
//!
//! Where the gradients come from (the chain rule on a graph, the dense layer, softmax with
//! cross-entropy): [`derivation`], after the contract.
//!
//! Run `cargo test -p neural-network` to grade your work. Later steps are graded with the kit's
//! own trusted versions of earlier ones where possible, so one early bug does not hide the rest.
//!
//! Bad input gets a typed [`NnError`], never a panic: the checks in [`error`] are given, call them
//! where a `TODO` says so.
//!
//! ## Constraints
//!
//! - Do not use a linear-algebra or machine-learning crate: ndarray's `dot` is the only matrix
//!   product you need.
//! - Work in f64 throughout; the gradient checks expect relative errors near 1e-7 or below.
//! - Given, nothing to write: [`data`] (XOR, spirals, the digits), [`Mlp::new`],
//!   [`Mlp::predict`], [`OptimiserState::step`], [`epoch_order`].
//!
//! ## Data
//!
//! `data/digits/digits.csv.gz`: 1,797 8×8 handwritten digits, as shipped in the scikit-learn
//! package (BSD-3-Clause); originally the test set of the UCI Optical Recognition of Handwritten
//! Digits data (E. Alpaydin, C. Kaynak, 1998).

pub mod activation;
pub mod data;
pub mod dense;
pub mod derivation;
pub mod error;
pub mod gradcheck;
pub mod init;
pub mod loss;
pub mod mlp;
pub mod optim;
pub mod train;

pub use activation::Activation;
pub use data::{DataError, Dataset, read_digits, spiral, xor};
pub use dense::{Dense, Gradient, dense_backward, dense_forward};
pub use error::NnError;
pub use gradcheck::{max_rel_error, numerical_gradient, rel_error};
pub use init::{Init, init_weights};
pub use loss::{l2_gradient, l2_penalty, softmax, softmax_cross_entropy};
pub use mlp::Mlp;
pub use optim::{Optimiser, OptimiserState};
pub use train::{History, TrainConfig, epoch_order, train};
