//! Step 2: the backward pass, from the root to the leaves in reverse topological order.

use crate::error::AdError;
use crate::scalar::{Graph, Value};

impl Graph {
    /// Every node `root` depends on, `root` included, each after all of its parents: a
    /// topological order of `root`'s part of the graph, `root` last. Nodes `root` does not reach
    /// are left out.
    ///
    /// Depth-first from `root`, a node is appended once all its parents are (post-order); mark
    /// nodes as visited so a node used twice appears once. Any order with every parent before its
    /// children is accepted.
    ///
    /// ```text
    /// x = 2,  y = x · x,  z = y + x   →   [x, y, z]
    /// ```
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `root` belongs to another graph.
    pub fn topological_order(&self, root: Value) -> Result<Vec<Value>, AdError> {
        // TODO: Depth-first from root, append each node after all its parents, each node once.
        // x = 2, y = x · x, z = y + x -> [x, y, z]
        todo!(
            "topological order of {root} in a graph of {} nodes",
            self.len()
        )
    }

    /// Sets every node's gradient to 0.
    pub fn zero_grad(&mut self) {
        // TODO: Set every node's grad to 0.
        todo!("zero the gradients of a graph of {} nodes", self.len())
    }

    /// Fills every node's `grad` with `∂root/∂node`: zeroes every gradient, sets `root`'s to 1,
    /// then, from `root` back to the leaves in reverse [`topological_order`](Self::topological_order),
    /// adds each node's gradient times each local derivative to that parent's gradient.
    ///
    /// ```text
    /// parent.grad += local derivative · node.grad         for every (parent, local derivative)
    /// ```
    ///
    /// `+=`, never `=`: a node used twice (`x · x`, or `x` in both `y` and `z`) collects a
    /// gradient from each use. Calling `backward` twice gives the same gradients, not twice them.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `root` belongs to another graph.
    pub fn backward(&mut self, root: Value) -> Result<(), AdError> {
        // TODO: Take the topological order, zero the gradients, set root's to 1, then walk the
        // order backwards adding grad · local derivative to each parent. x · x at 3 -> x.grad 6
        todo!("backward from {root} in a graph of {} nodes", self.len())
    }
}
