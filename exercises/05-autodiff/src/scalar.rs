//! Step 1: a graph of scalar values, each node recording its parents and local derivatives.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::AdError;

/// Every graph and tape gets its own number, so that a handle from one is refused by another.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh graph or tape number.
pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A handle to one node of a [`Graph`]: the graph's number and the node's index in its arena.
///
/// `Value` is `Copy`: using a value twice (`x · x`) copies the handle, never the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Value {
    pub(crate) graph: u64,
    pub(crate) index: usize,
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "node {}", self.index)
    }
}

impl Value {
    /// The node's index in its graph's arena: nodes are numbered in the order they were made.
    pub fn index(self) -> usize {
        self.index
    }
}

/// One node of a [`Graph`]: its value, its gradient, and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value computed by the forward pass.
    pub value: f64,
    /// `∂root/∂node` after [`Graph::backward`]; 0 before.
    pub grad: f64,
    /// Every input of the operation with its local derivative `∂node/∂input`, as
    /// `(input index, derivative)`; an input used twice (`x · x`) appears twice.
    pub parents: Vec<(usize, f64)>,
    /// The operation: `"leaf"`, `"+"`, `"×"`, `"tanh"`, … ([`Graph::second_derivatives`]
    /// reads it).
    pub op: &'static str,
    /// The operation's constant operand, when it has one: [`Graph::powf`]'s exponent k, which
    /// the local derivative k·a^(k−1) alone does not give back (step 6 needs k(k−1)·a^(k−2)).
    pub constant: Option<f64>,
}

/// A computation graph of scalars, stored as an arena: a `Vec` of nodes addressed by index.
///
/// Each operation computes its value *and* its local derivatives at once and records them in a
/// new node ([`record`](Self::record)); [`backward`](Self::backward) then only multiplies and
/// adds. A node's parents are always older than the node, so the arena's order is already a
/// topological order of the whole graph.
#[derive(Debug, Clone)]
pub struct Graph {
    id: u64,
    nodes: Vec<Node>,
}

impl Default for Graph {
    fn default() -> Self {
        Graph::new()
    }
}

impl Graph {
    /// An empty graph with a number of its own.
    pub fn new() -> Graph {
        Graph {
            id: next_id(),
            nodes: Vec::new(),
        }
    }

    /// The graph's number: [`Value`]s made by another graph are refused.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every node, in the order they were made.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// A mutable view of every node (for [`backward`](Self::backward) and [`zero_grad`](Self::zero_grad)).
    pub fn nodes_mut(&mut self) -> &mut [Node] {
        &mut self.nodes
    }

    /// A new input or constant: a node with no parents.
    pub fn leaf(&mut self, value: f64) -> Value {
        self.push(value, "leaf", Vec::new(), None)
    }

    /// Records a node with value `value`, made by `op` from `parents`, each given with its local
    /// derivative `∂node/∂parent`. The one way operations add nodes.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when a parent belongs to another graph.
    pub fn record(
        &mut self,
        value: f64,
        op: &'static str,
        parents: &[(Value, f64)],
    ) -> Result<Value, AdError> {
        let parents = parents
            .iter()
            .map(|&(p, d)| Ok((self.index_of(p)?, d)))
            .collect::<Result<Vec<_>, AdError>>()?;
        Ok(self.push(value, op, parents, None))
    }

    /// As [`record`](Self::record), for an operation with a constant operand (`powf`'s
    /// exponent), kept in [`Node::constant`].
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when a parent belongs to another graph.
    pub fn record_with_constant(
        &mut self,
        value: f64,
        op: &'static str,
        constant: f64,
        parents: &[(Value, f64)],
    ) -> Result<Value, AdError> {
        let v = self.record(value, op, parents)?;
        self.nodes[v.index].constant = Some(constant);
        Ok(v)
    }

    fn push(
        &mut self,
        value: f64,
        op: &'static str,
        parents: Vec<(usize, f64)>,
        constant: Option<f64>,
    ) -> Value {
        self.nodes.push(Node {
            value,
            grad: 0.0,
            parents,
            op,
            constant,
        });
        Value {
            graph: self.id,
            index: self.nodes.len() - 1,
        }
    }

    /// The index of `v` in this graph's arena.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` was made by another graph.
    pub fn index_of(&self, v: Value) -> Result<usize, AdError> {
        if v.graph != self.id || v.index >= self.nodes.len() {
            return Err(AdError::ForeignNode {
                index: v.index,
                belongs_to: v.graph,
                this: self.id,
            });
        }
        Ok(v.index)
    }

    /// The handle of the node at `index` (for walking the arena).
    ///
    /// # Panics
    /// When `index` is not a node of this graph.
    #[track_caller]
    pub fn value_at(&self, index: usize) -> Value {
        assert!(
            index < self.nodes.len(),
            "node {index} of a graph of {} nodes",
            self.nodes.len()
        );
        Value {
            graph: self.id,
            index,
        }
    }

    /// The node behind `v`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` was made by another graph.
    pub fn node(&self, v: Value) -> Result<&Node, AdError> {
        Ok(&self.nodes[self.index_of(v)?])
    }

    /// The value of `v`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` was made by another graph.
    pub fn value(&self, v: Value) -> Result<f64, AdError> {
        Ok(self.node(v)?.value)
    }

    /// The gradient of `v`: `∂root/∂v` after [`backward`](Self::backward) from `root`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` was made by another graph.
    pub fn grad(&self, v: Value) -> Result<f64, AdError> {
        Ok(self.node(v)?.grad)
    }

    /// `a + b`;  `∂/∂a = 1`, `∂/∂b = 1`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when an operand belongs to another graph.
    pub fn add(&mut self, a: Value, b: Value) -> Result<Value, AdError> {
        // TODO: Record a + b with its two local derivatives. 2 + 3 -> 5, ∂ (1, 1)
        todo!("record {a} + {b} in a graph of {} nodes", self.len())
    }

    /// `a − b`;  `∂/∂a = 1`, `∂/∂b = −1`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when an operand belongs to another graph.
    pub fn sub(&mut self, a: Value, b: Value) -> Result<Value, AdError> {
        // TODO: Record a − b with its two local derivatives. 2 − 3 -> −1, ∂ (1, −1)
        todo!("record {a} − {b} in a graph of {} nodes", self.len())
    }

    /// `a · b`;  `∂/∂a = b`, `∂/∂b = a`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when an operand belongs to another graph.
    pub fn mul(&mut self, a: Value, b: Value) -> Result<Value, AdError> {
        // TODO: Record a · b; each operand's derivative is the other operand. 2 · 3 -> 6, ∂ (3, 2)
        todo!("record {a} · {b} in a graph of {} nodes", self.len())
    }

    /// `a / b`;  `∂/∂a = 1/b`, `∂/∂b = −a/b²`.
    ///
    /// # Errors
    /// [`AdError::OutOfDomain`] when `b` is 0; [`AdError::ForeignNode`] when an operand belongs
    /// to another graph.
    pub fn div(&mut self, a: Value, b: Value) -> Result<Value, AdError> {
        // TODO: Refuse b = 0 (AdError::OutOfDomain), then record a / b. 3 / 2 -> 1.5, ∂ (0.5, −0.75)
        todo!("record {a} / {b} in a graph of {} nodes", self.len())
    }

    /// `a^k` for a constant exponent `k`, kept in the node ([`record_with_constant`](Self::record_with_constant));
    /// `∂/∂a = k·a^(k−1)`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `a` belongs to another graph.
    pub fn powf(&mut self, a: Value, k: f64) -> Result<Value, AdError> {
        // TODO: Record a^k with its local derivative and k (record_with_constant). 2^3 -> 8, ∂ 12
        todo!(
            "record {a} to the power {k} in a graph of {} nodes",
            self.len()
        )
    }

    /// `a^b` for a node exponent `b`, defined for `a > 0`;
    /// `∂/∂a = b·a^(b−1)`, `∂/∂b = a^b · ln a`.
    ///
    /// # Errors
    /// [`AdError::OutOfDomain`] when `a ≤ 0`; [`AdError::ForeignNode`] when an operand belongs to
    /// another graph.
    pub fn pow(&mut self, a: Value, b: Value) -> Result<Value, AdError> {
        // TODO: Refuse a ≤ 0 (AdError::OutOfDomain), then record a^b with both local derivatives.
        // 2^3 -> 8, ∂ (12, 8 ln 2)
        todo!(
            "record {a} to the power {b} in a graph of {} nodes",
            self.len()
        )
    }

    /// `−a`;  `∂/∂a = −1`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `a` belongs to another graph.
    pub fn neg(&mut self, a: Value) -> Result<Value, AdError> {
        // TODO: Record −a. 2 -> −2, ∂ −1
        todo!("record −{a} in a graph of {} nodes", self.len())
    }

    /// `eᵃ`;  `∂/∂a = eᵃ`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `a` belongs to another graph.
    pub fn exp(&mut self, a: Value) -> Result<Value, AdError> {
        // TODO: Record eᵃ; it is its own derivative. 0 -> 1, ∂ 1
        todo!("record exp {a} in a graph of {} nodes", self.len())
    }

    /// `ln a`, defined for `a > 0`;  `∂/∂a = 1/a`.
    ///
    /// # Errors
    /// [`AdError::OutOfDomain`] when `a ≤ 0`; [`AdError::ForeignNode`] when `a` belongs to
    /// another graph.
    pub fn ln(&mut self, a: Value) -> Result<Value, AdError> {
        // TODO: Refuse a ≤ 0 (AdError::OutOfDomain), then record ln a. 2 -> 0.693, ∂ 0.5
        todo!("record ln {a} in a graph of {} nodes", self.len())
    }

    /// `tanh a`;  `∂/∂a = 1 − tanh² a`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `a` belongs to another graph.
    pub fn tanh(&mut self, a: Value) -> Result<Value, AdError> {
        // TODO: Record tanh a with its derivative 1 − tanh² a. 0.5 -> 0.4621, ∂ 0.7864
        todo!("record tanh {a} in a graph of {} nodes", self.len())
    }

    /// `max(0, a)`;  `∂/∂a = 1` where `a > 0`, else 0 (0 at `a = 0`).
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `a` belongs to another graph.
    pub fn relu(&mut self, a: Value) -> Result<Value, AdError> {
        // TODO: Record max(0, a), whose derivative is 1 where a > 0, else 0. −2 -> 0, ∂ 0
        todo!("record relu {a} in a graph of {} nodes", self.len())
    }
}
