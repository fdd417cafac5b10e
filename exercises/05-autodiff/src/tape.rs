//! The tensor tape (given, but for step 5's [`Tape::zero_grad`]): a list of
//! ndarray values in the order they were computed, each with the operation that made it.

use ndarray::{Array2, ArrayView1, ArrayView2, Zip};

use crate::error::AdError;
use crate::ops;
use crate::scalar::next_id;

/// A handle to one node of a [`Tape`]: the tape's number and the node's index on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Var {
    pub(crate) tape: u64,
    /// How many resets the tape had seen when the node was recorded (parameters: 0).
    pub(crate) epoch: u64,
    pub(crate) index: usize,
}

impl Var {
    /// The node's index on its tape.
    pub fn index(self) -> usize {
        self.index
    }
}

/// How a node of a [`Tape`] was made: the operation and the indices of its operands.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A trainable parameter: kept by [`Tape::reset`], updated by an optimiser.
    Parameter,
    /// An input, such as a batch: no gradient flows anywhere from it.
    Input,
    /// `a · b`, the matrix product.
    MatMul(usize, usize),
    /// `a + b`, broadcast.
    Add(usize, usize),
    /// `a ⊙ b`, element by element, broadcast.
    Mul(usize, usize),
    /// `max(0, a)`, element by element.
    Relu(usize),
    /// `tanh a`, element by element.
    Tanh(usize),
    /// `∑ a`, a `(1, 1)` node.
    Sum(usize),
    /// `∑ a ⊙ a`, a `(1, 1)` node: an L2 penalty in one node.
    SumOfSquares(usize),
    /// The mean of `a`, a `(1, 1)` node.
    Mean(usize),
    /// `k · a` for a constant `k`.
    Scale(usize, f64),
    /// The mean softmax cross-entropy of the logits `(N, C)` with `labels`, a `(1, 1)` node;
    /// keeps the softmax `probs` of the forward pass for the backward one.
    SoftmaxCrossEntropy {
        /// The logits' node.
        logits: usize,
        /// One class per row of the logits.
        labels: Vec<usize>,
        /// `softmax(logits)`, `(N, C)`.
        probs: Array2<f64>,
    },
}

/// One node of a [`Tape`].
#[derive(Debug, Clone, PartialEq)]
pub struct TensorNode {
    /// The value computed by the forward pass.
    pub value: Array2<f64>,
    /// `∂loss/∂value` after [`Tape::backward`], shaped like `value`.
    pub grad: Array2<f64>,
    /// How it was made.
    pub op: Op,
}

/// A tape (Wengert list) of 2-D tensors: every operation appends one node whose operands are
/// older, so walking the tape backwards is a reverse topological order: no graph search needed.
///
/// Parameters come first ([`parameter`](Self::parameter)); each training step appends its inputs
/// and operations after them, and [`reset`](Self::reset) drops those again.
#[derive(Debug, Clone)]
pub struct Tape {
    id: u64,
    nodes: Vec<TensorNode>,
    parameters: usize,
    /// Bumped by every reset, so a handle to a dropped node is refused rather than taken for
    /// whichever node reuses its index.
    epoch: u64,
    /// The nodes the last reset dropped, in reverse so that popping gives them in the order
    /// they were recorded: the next step records the same graph, so each new node takes the
    /// gradient buffer of the node that held its index before.
    dropped: Vec<TensorNode>,
}

impl Default for Tape {
    fn default() -> Self {
        Tape::new()
    }
}

impl Tape {
    /// An empty tape with a number of its own.
    pub fn new() -> Tape {
        Tape {
            id: next_id(),
            nodes: Vec::new(),
            parameters: 0,
            epoch: 0,
            dropped: Vec::new(),
        }
    }

    /// The number of nodes: parameters and everything recorded since the last reset.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tape has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The number of parameters, which are the first nodes of the tape.
    pub fn parameters(&self) -> usize {
        self.parameters
    }

    /// Every node, in the order they were recorded.
    pub fn nodes(&self) -> &[TensorNode] {
        &self.nodes
    }

    /// A mutable view of every node (for [`zero_grad`](Self::zero_grad) and the optimisers).
    pub fn nodes_mut(&mut self) -> &mut [TensorNode] {
        &mut self.nodes
    }

    /// A new trainable parameter with initial value `value`.
    ///
    /// # Errors
    /// [`AdError::InvalidSetting`] once the tape holds anything but parameters: parameters come
    /// first, so that [`reset`](Self::reset) can keep them by truncating the tape.
    pub fn parameter(&mut self, value: Array2<f64>) -> Result<Var, AdError> {
        if self.parameters != self.nodes.len() {
            return Err(AdError::InvalidSetting(format!(
                "a parameter after {} recorded operations: create parameters first, or reset",
                self.nodes.len() - self.parameters
            )));
        }
        self.parameters += 1;
        Ok(self.push(value, Op::Parameter))
    }

    /// A new input (a batch, a constant): no gradient flows from it.
    pub fn input(&mut self, value: Array2<f64>) -> Var {
        self.push(value, Op::Input)
    }

    /// Appends a node and returns its handle.
    fn push(&mut self, value: Array2<f64>, op: Op) -> Var {
        // A training step allocates no gradient buffer once the first has run: freeing a whole
        // graph's buffers at every reset and allocating them again lets the allocator hand the
        // memory back to the system and fault it in afresh, page by page.
        let grad = match self.dropped.pop() {
            Some(TensorNode { mut grad, .. }) if grad.dim() == value.dim() => {
                grad.fill(0.0);
                grad
            }
            _ => Array2::zeros(value.raw_dim()),
        };
        self.nodes.push(TensorNode { value, grad, op });
        let index = self.nodes.len() - 1;
        Var {
            tape: self.id,
            epoch: if index < self.parameters {
                0
            } else {
                self.epoch
            },
            index,
        }
    }

    /// The index of `v` on this tape.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` belongs to another tape, or was dropped by a reset.
    pub fn index_of(&self, v: Var) -> Result<usize, AdError> {
        let dropped = v.index >= self.parameters && v.epoch != self.epoch;
        if v.tape != self.id || v.index >= self.nodes.len() || dropped {
            return Err(AdError::ForeignNode {
                index: v.index,
                belongs_to: v.tape,
                this: self.id,
            });
        }
        Ok(v.index)
    }

    /// The value of `v`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` does not belong to this tape.
    pub fn value(&self, v: Var) -> Result<ArrayView2<'_, f64>, AdError> {
        Ok(self.nodes[self.index_of(v)?].value.view())
    }

    /// The gradient of `v`, shaped like its value.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when `v` does not belong to this tape.
    pub fn grad(&self, v: Var) -> Result<ArrayView2<'_, f64>, AdError> {
        Ok(self.nodes[self.index_of(v)?].grad.view())
    }

    /// `a · b`: `(N, D) · (D, H) → (N, H)`.
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when the inner sizes differ; [`AdError::ForeignNode`].
    pub fn matmul(&mut self, a: Var, b: Var) -> Result<Var, AdError> {
        let (i, j) = (self.index_of(a)?, self.index_of(b)?);
        let out = ops::matmul_forward(self.nodes[i].value.view(), self.nodes[j].value.view())?;
        Ok(self.push(out, Op::MatMul(i, j)))
    }

    /// `a + b`, broadcast: `(N, H) + (1, H) → (N, H)`.
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when the shapes do not broadcast; [`AdError::ForeignNode`].
    pub fn add(&mut self, a: Var, b: Var) -> Result<Var, AdError> {
        let (i, j) = (self.index_of(a)?, self.index_of(b)?);
        let out = ops::add_forward(self.nodes[i].value.view(), self.nodes[j].value.view())?;
        Ok(self.push(out, Op::Add(i, j)))
    }

    /// `a ⊙ b`, element by element, broadcast.
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when the shapes do not broadcast; [`AdError::ForeignNode`].
    pub fn mul(&mut self, a: Var, b: Var) -> Result<Var, AdError> {
        let (i, j) = (self.index_of(a)?, self.index_of(b)?);
        let out = ops::mul_forward(self.nodes[i].value.view(), self.nodes[j].value.view())?;
        Ok(self.push(out, Op::Mul(i, j)))
    }

    /// `max(0, a)`, element by element.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`].
    pub fn relu(&mut self, a: Var) -> Result<Var, AdError> {
        let i = self.index_of(a)?;
        let out = self.nodes[i].value.mapv(|v| v.max(0.0));
        Ok(self.push(out, Op::Relu(i)))
    }

    /// `tanh a`, element by element.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`].
    pub fn tanh(&mut self, a: Var) -> Result<Var, AdError> {
        let i = self.index_of(a)?;
        let out = self.nodes[i].value.mapv(f64::tanh);
        Ok(self.push(out, Op::Tanh(i)))
    }

    /// `∑ a`, as a `(1, 1)` node.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`].
    pub fn sum(&mut self, a: Var) -> Result<Var, AdError> {
        let i = self.index_of(a)?;
        let out = Array2::from_elem((1, 1), self.nodes[i].value.sum());
        Ok(self.push(out, Op::Sum(i)))
    }

    /// `∑ a ⊙ a`, as a `(1, 1)` node: the same value and gradient as [`sum`](Self::sum) of
    /// [`mul`](Self::mul)`(a, a)`, in one node. Its gradient `2 · dout · a` is added to `a`'s in
    /// one pass, where `mul` then `sum` allocate and walk arrays the size of `a` twice forwards
    /// and five times backwards (an L2 penalty's whole cost, on a large weight matrix).
    ///
    /// # Errors
    /// [`AdError::ForeignNode`].
    pub fn sum_of_squares(&mut self, a: Var) -> Result<Var, AdError> {
        let i = self.index_of(a)?;
        let out = Array2::from_elem((1, 1), sum_of_squares(self.nodes[i].value.view()));
        Ok(self.push(out, Op::SumOfSquares(i)))
    }

    /// The mean of every element of `a`, as a `(1, 1)` node.
    ///
    /// # Errors
    /// [`AdError::EmptyBatch`] when `a` has no element; [`AdError::ForeignNode`].
    pub fn mean(&mut self, a: Var) -> Result<Var, AdError> {
        let i = self.index_of(a)?;
        let value = &self.nodes[i].value;
        if value.is_empty() {
            return Err(AdError::EmptyBatch {
                what: "the operand of mean".to_owned(),
            });
        }
        let out = Array2::from_elem((1, 1), value.sum() / value.len() as f64);
        Ok(self.push(out, Op::Mean(i)))
    }

    /// `k · a` for a constant `k`.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`].
    pub fn scale(&mut self, a: Var, k: f64) -> Result<Var, AdError> {
        let i = self.index_of(a)?;
        let out = &self.nodes[i].value * k;
        Ok(self.push(out, Op::Scale(i, k)))
    }

    /// The mean softmax cross-entropy of `logits: (N, C)` with `labels` (one class in `0..C` per
    /// row), as a `(1, 1)` node: one fused node, whose backward is `(p − onehot(y)) / N`.
    ///
    /// # Errors
    /// [`AdError::EmptyBatch`], [`AdError::ShapeMismatch`], [`AdError::LabelOutOfRange`] for bad
    /// labels; [`AdError::ForeignNode`].
    pub fn softmax_cross_entropy(&mut self, logits: Var, labels: &[usize]) -> Result<Var, AdError> {
        let i = self.index_of(logits)?;
        let (loss, probs) = ops::softmax_cross_entropy_forward(self.nodes[i].value.view(), labels)?;
        let op = Op::SoftmaxCrossEntropy {
            logits: i,
            labels: labels.to_vec(),
            probs,
        };
        Ok(self.push(Array2::from_elem((1, 1), loss), op))
    }

    /// Adds `∂loss/∂node` to every parameter's gradient (they accumulate across calls, as in
    /// PyTorch: [`zero_grad`](Self::zero_grad) between passes) and sets every other node's
    /// gradient to it afresh; an input's is left at 0 where nothing needs it (the left operand
    /// of a matrix product). `loss` must be a `(1, 1)` node.
    ///
    /// The tape is walked from `loss` back to the first node; each node hands its gradient to its
    /// operands through [`ops::backward`], and the operands add it up (`+=`).
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when `loss` is not `(1, 1)`, or when an operation's backward
    /// returns a gradient shaped unlike its operand; [`AdError::ForeignNode`].
    pub fn backward(&mut self, loss: Var) -> Result<(), AdError> {
        let root = self.index_of(loss)?;
        if self.nodes[root].value.dim() != (1, 1) {
            return Err(AdError::ShapeMismatch(format!(
                "backward from a node of shape {:?}: the loss must be (1, 1)",
                self.nodes[root].value.shape()
            )));
        }
        // Whether each node has received its gradient's first share in this pass. A recorded
        // node's first share is moved in, not added to zeros, and a node that receives none
        // has gradient 0 and passes nothing on: every backward is linear in `dout`, so its
        // operands' shares would be zeros.
        let mut reached = vec![false; self.nodes.len()];
        if root < self.parameters {
            self.nodes[root].grad += 1.0;
        } else {
            self.nodes[root].grad.fill(1.0);
        }
        reached[root] = true;
        for k in (0..=root).rev() {
            let node = &self.nodes[k];
            if matches!(node.op, Op::Parameter | Op::Input) || !reached[k] {
                continue;
            }
            if let Op::SumOfSquares(a) = node.op {
                // ops::backward's 2 · dout · a, added where the operand's gradient lies rather
                // than made as a new array and added to it afterwards: one pass, no allocation.
                let scale = 2.0 * node.grad[[0, 0]];
                let first = !reached[a] && a >= self.parameters;
                let operand = &mut self.nodes[a];
                if first {
                    Zip::from(&mut operand.grad)
                        .and(&operand.value)
                        .for_each(|g, &v| *g = scale * v);
                } else {
                    operand.grad.scaled_add(scale, &operand.value);
                }
                reached[a] = true;
                continue;
            }
            let contributions =
                ops::backward(&node.op, node.grad.view(), node.value.view(), &self.nodes);
            for (operand, grad) in contributions {
                if grad.dim() != self.nodes[operand].value.dim() {
                    return Err(AdError::ShapeMismatch(format!(
                        "the backward of node {k} ({}) gives node {operand} a gradient of shape \
                         {:?}, but its value has shape {:?}",
                        ops::name(&self.nodes[k].op),
                        grad.shape(),
                        self.nodes[operand].value.shape()
                    )));
                }
                if reached[operand] || operand < self.parameters {
                    self.nodes[operand].grad += &grad;
                } else {
                    self.nodes[operand].grad = grad;
                }
                reached[operand] = true;
            }
        }
        for (node, _) in self.nodes[self.parameters..]
            .iter_mut()
            .zip(&reached[self.parameters..])
            .filter(|(_, reached)| !**reached)
        {
            node.grad.fill(0.0);
        }
        Ok(())
    }

    /// Sets the gradient of every node, parameters included, to 0.
    pub fn zero_grad(&mut self) {
        // TODO: Fill every node's grad with 0.
        todo!("zero the gradients of a tape of {} nodes", self.len())
    }

    /// Drops every node but the parameters, so that the next step records its graph afresh:
    /// without it the tape grows by a whole graph every step. Handles to dropped nodes are
    /// refused afterwards; their gradient buffers are reused by the next nodes recorded.
    pub fn reset(&mut self) {
        self.dropped.clear();
        self.dropped
            .extend(self.nodes.drain(self.parameters..).rev());
        self.epoch += 1;
    }
}

/// `∑ a ⊙ a`. ndarray's `dot` of the elements with themselves keeps eight partial sums, so the
/// additions neither wait on one another nor stop the loop from vectorising, where a fold's
/// every addition waits for the one before.
fn sum_of_squares(a: ArrayView2<'_, f64>) -> f64 {
    match a.as_slice_memory_order() {
        Some(elements) => {
            let elements = ArrayView1::from(elements);
            elements.dot(&elements)
        }
        None => a.fold(0.0, |sum, &v| sum + v * v),
    }
}
