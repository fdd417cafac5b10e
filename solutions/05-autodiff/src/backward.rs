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
        // BEGIN SOLUTION
        let root = self.index_of(root)?;
        let nodes = self.nodes();
        let mut visited = vec![false; nodes.len()];
        let mut order = Vec::new();
        // An explicit stack rather than recursion: a long chain of nodes cannot overflow it.
        // Each entry is a node and how many of its parents have been pushed already.
        let mut stack = vec![(root, 0)];
        visited[root] = true;
        while let Some((node, next)) = stack.pop() {
            if let Some(&(parent, _)) = nodes[node].parents.get(next) {
                stack.push((node, next + 1));
                if !visited[parent] {
                    visited[parent] = true;
                    stack.push((parent, 0));
                }
            } else {
                order.push(self.value_at(node));
            }
        }
        Ok(order)
        // STUB
        // // TODO: Depth-first from root, append each node after all its parents, each node once.
        // // x = 2, y = x · x, z = y + x -> [x, y, z]
        // todo!("topological order of {root} in a graph of {} nodes", self.len())
        // END SOLUTION
    }

    /// Sets every node's gradient to 0.
    pub fn zero_grad(&mut self) {
        // BEGIN SOLUTION
        for node in self.nodes_mut() {
            node.grad = 0.0;
        }
        // STUB
        // // TODO: Set every node's grad to 0.
        // todo!("zero the gradients of a graph of {} nodes", self.len())
        // END SOLUTION
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
        // BEGIN SOLUTION
        let order = self.topological_order(root)?;
        self.zero_grad();
        let nodes = self.nodes_mut();
        nodes[root.index()].grad = 1.0;
        for v in order.iter().rev() {
            let grad = nodes[v.index()].grad;
            for k in 0..nodes[v.index()].parents.len() {
                let (parent, local) = nodes[v.index()].parents[k];
                nodes[parent].grad += local * grad;
            }
        }
        Ok(())
        // STUB
        // // TODO: Take the topological order, zero the gradients, set root's to 1, then walk the
        // // order backwards adding grad · local derivative to each parent. x · x at 3 -> x.grad 6
        // todo!("backward from {root} in a graph of {} nodes", self.len())
        // END SOLUTION
    }
}
