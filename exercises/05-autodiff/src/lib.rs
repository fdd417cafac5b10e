//! # Exercise 05 — reverse-mode automatic differentiation, from scalars to a tensor tape
//!
//! Every deep-learning framework rests on reverse-mode autodiff: record the forward computation,
//! then walk it backwards once, applying the chain rule, to get the gradient of one number (the
//! loss) with respect to everything it depends on. You build it twice: on scalars, where every
//! step of the chain rule is visible, then on ndarray tensors, where it re-derives exercise 02's
//! hand-written backpropagation to 1e-10. Last, you differentiate the backward pass itself:
//! Hessian-vector products, the curvature Newton's method needs, at the cost of a gradient.
//!
//! ## Symbols and shapes
//!
//! ```text
//! v        a node's value            v̄ = ∂root/∂v   its gradient (`grad`), 1 at the root
//! ∂v/∂p    a local derivative: how the node v moves with its parent p, recorded by the forward pass
//! N, D, H, C   samples, input features, hidden units, classes (exercise 02's legend)
//! x: (N, D)   W: (D, H)   b: (1, H)   scores s: (N, C)   labels y: (N)   dX shaped like X
//! ```
//!
//! ## The math
//!
//! ```text
//! chain rule on a graph:   p̄ = ∑ over the children v of p of  (∂v/∂p) · v̄       (+=, never =)
//! order:                   every node's v̄ is complete before it is handed to its parents:
//!                          walk the nodes in reverse topological order from the root
//! broadcast:               out = a + b with b: (1, H) stretched over N rows  →  b̄ = ∑ᵢ out̄ᵢ (1, H)
//! matmul:                  out = a · b   →   ā = out̄ · bᵀ,   b̄ = aᵀ · out̄
//! fused softmax CE:        L = −(1/N) ∑ᵢ log softmax(sᵢ)_yᵢ   →   s̄ = (p − onehot(y)) / N
//! Hessian-vector product:  Hv = d/dε ∇f(x + εv) at ε = 0: tangents ṅ forward from ẋ = v, then
//!                          backward carrying (p̄)˙ += dᵢ·(n̄)˙ + n̄·∑ⱼ (∂²n/∂pᵢ∂pⱼ)·ṗⱼ
//! ```
//!
//! ## A worked example (micrograd's)
//!
//! ```text
//! x = −4
//! z = 2x + 2 + x = −10        q = relu(z) + z·x = 40        h = relu(z·z) = 100
//! y = h + q + q·x = −20       ∂y/∂x = 46
//! ```
//!
//! x feeds four nodes (2x, + x, z·x, q·x) and z three: each use adds its share to x̄, which is
//! why gradients accumulate. Built with this crate:
//!
//! ```
//! # use autodiff::Graph;
//! let mut g = Graph::new();
//! let x = g.leaf(-4.0);
//! let two = g.leaf(2.0);
//! let t = g.mul(two, x)?;
//! let t = g.add(t, two)?;
//! let z = g.add(t, x)?;
//! let rz = g.relu(z)?;
//! let zx = g.mul(z, x)?;
//! let q = g.add(rz, zx)?;
//! let zz = g.mul(z, z)?;
//! let h = g.relu(zz)?;
//! let hq = g.add(h, q)?;
//! let qx = g.mul(q, x)?;
//! let y = g.add(hq, qx)?;
//! g.backward(y)?;
//! assert_eq!((g.value(y)?, g.grad(x)?), (-20.0, 46.0));
//! # Ok::<(), autodiff::AdError>(())
//! ```
//!
//! ## Ownership: an arena of nodes, not `Rc<RefCell<…>>`
//!
//! micrograd's `Value` holds its parents by reference, and a direct Rust translation gives every
//! node an `Rc<RefCell<Node>>`: shared, mutable, reference-counted. It works, but every access
//! borrows at run time (a second `borrow_mut` of a node used twice panics), cycles of `Rc` leak,
//! and the nodes are scattered over the heap. Here a [`Graph`] owns every node in one `Vec` and a
//! [`Value`] is a `Copy` handle: the graph's number and an index. Parents are older than their
//! children, so the arena's order is already topological; freeing a graph frees all of it at
//! once; and the borrow checker, not a run-time flag, sees every mutation. The price is that a
//! handle means nothing without its graph: one from another graph is refused with
//! [`AdError::ForeignNode`]. The tensor [`Tape`] is the same design (a Wengert list), with the
//! parameters first so that [`Tape::reset`] can drop a training step's graph by truncation.
//!
//! ## Steps (123 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 scalar-ops | [`Graph::add`], `sub`, `mul`, `div`, `powf`, `pow`, `neg`, `exp`, `ln`, `tanh`, `relu` | `scalar.rs` | 18 |
//! | 2 backward | [`Graph::topological_order`], [`Graph::zero_grad`], [`Graph::backward`] | `backward.rs` | 23 |
//! | 3 gradient-check | [`rel_error`], [`numerical_gradient`], [`check_gradient`] | `gradcheck.rs` | 12 |
//! | 4 tensor-ops | [`sum_to_shape`], the `*_forward` and `*_backward` functions of [`ops`] | `ops.rs` | 28 |
//! | 5 training | [`Tape::zero_grad`], [`OptimiserState::update`], [`Mlp::loss`], [`Mlp::train_step`] | `tape.rs`, `optim.rs`, `mlp.rs` | 24 |
//! | 6 hessian-vector-product | [`Graph::second_derivatives`], [`Graph::tangents`], [`Graph::hessian_vector_product`] | `hessian.rs` | 18 |
//!
//! Run `cargo test -p autodiff` to grade your work. Step 2 is graded on graphs the kit records
//! itself ([`Graph::record`]), steps 4 and 5 do not need steps 1–3, and step 6 is graded on
//! graphs the kit records with the operations' names, so one early bug does not hide the rest.
//!
//! Bad input gets a typed [`AdError`], never a panic: the checks in [`error`] are given, call
//! them where a `TODO` says so.
//!
//! ## Constraints
//!
//! - Do not use a linear-algebra, autodiff or machine-learning crate: ndarray's `dot` is the only
//!   matrix product you need.
//! - Work in f64 throughout.
//! - Given, nothing to write: [`Graph`]'s arena ([`Graph::leaf`], [`Graph::record`], the
//!   accessors), the [`Tape`] and its forward operations, [`Tape::backward`]'s walk,
//!   [`Tape::reset`], [`ops::backward`]'s dispatch, [`Mlp::new`], [`Mlp::random`],
//!   [`Mlp::gradients`].
//! - For an extra challenge: write [`Graph::topological_order`] without recursion, so a chain
//!   of a million nodes cannot overflow the stack.

pub mod backward;
pub mod error;
pub mod gradcheck;
pub mod hessian;
pub mod mlp;
pub mod ops;
pub mod optim;
pub mod scalar;
pub mod tape;

pub use error::AdError;
pub use gradcheck::{GradCheck, check_gradient, numerical_gradient, rel_error};
pub use mlp::{Layer, LayerArrays, Mlp};
pub use ops::sum_to_shape;
pub use optim::{Optimiser, OptimiserState};
pub use scalar::{Graph, Node, Value};
pub use tape::{Op, Tape, TensorNode, Var};
