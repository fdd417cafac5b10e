//! Step 6: Hessian-vector products, forward over reverse.
//!
//! The Hessian `H = ∇²f` of a function of n inputs has n² entries; Newton's method, curvature
//! estimates and influence functions need only its product with one vector, `Hv`, and that costs
//! a small multiple of one gradient. `Hv` is the directional derivative of the gradient along
//! `v`: push a tangent `ẋ = v` forward through the graph (forward mode), then run the backward
//! pass carrying, next to each adjoint `v̄`, its own tangent `(v̄)˙`.

use crate::error::AdError;
use crate::scalar::{Graph, Value};

impl Graph {
    /// The second derivatives of the operation that made `v`: every `(i, j, ∂²v/∂pᵢ∂pⱼ)` with
    /// `i`, `j` positions in [`Node::parents`](crate::Node::parents), both `(i, j)` and `(j, i)`
    /// listed when `i ≠ j`. Zero entries may be left out.
    ///
    /// ```text
    /// leaf, +, −, neg, relu   none (relu is linear on each side of 0)
    /// a · b                   (0, 1, 1), (1, 0, 1)
    /// a / b                   (0, 1, −1/b²), (1, 0, −1/b²), (1, 1, 2a/b³)
    /// a^k (k = node.constant) (0, 0, k(k−1)·a^(k−2))
    /// a^b                     (0, 0, b(b−1)·a^(b−2)), (0, 1) = (1, 0) = a^(b−1)·(1 + b ln a),
    ///                         (1, 1, a^b · ln² a)
    /// exp a                   (0, 0, eᵃ)
    /// ln a                    (0, 0, −1/a²)
    /// tanh a                  (0, 0, −2t(1 − t²)),  t = tanh a
    /// ```
    ///
    /// `x · x` has parents `[x, x]`: its `(0, 1)` and `(1, 0)` entries together give
    /// `∂²(x²)/∂x² = 2`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` belongs to another graph; [`AdError::InvalidSetting`]
    /// for an operation not in the table, or a `"^k"` node without its exponent.
    pub fn second_derivatives(&self, v: Value) -> Result<Vec<(usize, usize, f64)>, AdError> {
        // TODO: Match on the node's op and return the table's entries, from the operands'
        // values (self.nodes()[parent].value), the node's value and node.constant.
        // 2 · 3 -> [(0, 1, 1), (1, 0, 1)];  ln 2 -> [(0, 0, −0.25)]
        todo!(
            "second derivatives of {v} in a graph of {} nodes",
            self.len()
        )
    }

    /// Forward mode: the directional derivative `ṅ` of every node along `direction`, one entry
    /// per node of the arena, in arena order. The inputs (leaves) get their entry of
    /// `direction`, other leaves 0, and every other node
    ///
    /// ```text
    /// ṅ = ∑ᵢ (∂n/∂pᵢ) · ṗᵢ        over its parents pᵢ, in arena order (parents come first)
    /// ```
    ///
    /// ```text
    /// x = 3, y = 2, z = x · y, direction (1, 0) on (x, y)   →   [1, 0, 2]
    /// ```
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when `direction` does not have one entry per input;
    /// [`AdError::ForeignNode`] when an input belongs to another graph.
    pub fn tangents(&self, inputs: &[Value], direction: &[f64]) -> Result<Vec<f64>, AdError> {
        // TODO: Check the lengths (crate::error::ensure_dim), seed each input's tangent with
        // its direction entry, then walk the arena in order summing ∂n/∂p · ṗ over parents.
        // x = 3, y = 2, z = x · y, direction (1, 0) -> [1, 0, 2]
        todo!(
            "tangents of a graph of {} nodes along {} directions for {} inputs",
            self.len(),
            direction.len(),
            inputs.len()
        )
    }

    /// The Hessian-vector product `Hv` of `root` with respect to `inputs` (leaves), with
    /// `v = direction`: one entry per input, `(Hv)ₖ = ∑ₗ ∂²root/∂xₖ∂xₗ · vₗ`.
    ///
    /// Forward over reverse: take the [`tangents`](Self::tangents) `ṅ`, then walk the arena
    /// from `root` down to the first node carrying each node's adjoint `n̄ = ∂root/∂n` (as
    /// [`backward`](Self::backward) does) and its tangent `(n̄)˙`, from `root̄ = 1`,
    /// `(root̄)˙ = 0`: for every node n and parent position i, with `dᵢ = ∂n/∂pᵢ` and the
    /// [`second_derivatives`](Self::second_derivatives) `sᵢⱼ`,
    ///
    /// ```text
    /// p̄ᵢ    += dᵢ · n̄
    /// (p̄ᵢ)˙ += dᵢ · (n̄)˙  +  n̄ · ∑ⱼ sᵢⱼ · ṗⱼ       the product rule on dᵢ · n̄
    /// ```
    ///
    /// and return `(x̄)˙` of each input. It leaves every node's `grad` as it was.
    ///
    /// ```text
    /// f = x² · y at (x, y) = (3, 2), v = (1, 0):   H = [[2y, 2x], [2x, 0]]   →   Hv = [4, 6]
    /// ```
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when `direction` does not have one entry per input;
    /// [`AdError::ForeignNode`] when `root` or an input belongs to another graph; those of
    /// [`second_derivatives`](Self::second_derivatives).
    pub fn hessian_vector_product(
        &self,
        root: Value,
        inputs: &[Value],
        direction: &[f64],
    ) -> Result<Vec<f64>, AdError> {
        // TODO: Take the tangents, then walk the nodes from root down to 0 with two arrays,
        // the adjoints (root: 1) and their tangents (root: 0), adding to each parent
        // d·n̄ and d·(n̄)˙ + n̄·∑ⱼ sᵢⱼ·ṗⱼ; return the inputs' adjoint tangents.
        // f = x² · y at (3, 2), v = (1, 0) -> [4, 6]
        todo!(
            "Hessian-vector product of {root} for {} inputs along {} directions in a graph of {} nodes",
            inputs.len(),
            direction.len(),
            self.len()
        )
    }
}
