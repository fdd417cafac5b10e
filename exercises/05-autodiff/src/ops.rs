//! Step 4: the forward and backward passes of the tape's tensor operations, with ndarray.
//!
//! Every backward function takes the upstream gradient `dout = ∂L/∂out`, shaped like the
//! operation's output, and returns each operand's gradient, shaped like that operand.

use ndarray::{Array2, ArrayView2};

use crate::error::AdError;
use crate::tape::{Op, TensorNode};

/// `grad`, summed back to `shape` over the axes along which `shape` was broadcast: the
/// gradient of an operand of a broadcast operation.
///
/// ```text
/// grad: (N, H), shape (1, H)  →  (1, H), the sum of grad's rows
/// grad: (N, H), shape (N, 1)  →  (N, 1), the sum of grad's columns
/// grad: (N, H), shape (N, H)  →  grad unchanged
/// ```
///
/// A row `b: (1, H)` added to every row of `x: (N, H)` moves all N rows of the output, so its
/// gradient collects all N rows of `dout`.
///
/// # Panics
/// When an axis of `shape` is neither 1 nor the size of that axis of `grad`.
///
/// # Examples
/// ```
/// # use autodiff::sum_to_shape;
/// use ndarray::array;
/// assert_eq!(sum_to_shape(array![[1.0, 2.0], [3.0, 4.0]].view(), (1, 2)), array![[4.0, 6.0]]);
/// ```
#[track_caller]
pub fn sum_to_shape(grad: ArrayView2<'_, f64>, shape: (usize, usize)) -> Array2<f64> {
    let (rows, cols) = grad.dim();
    assert!(
        (shape.0 == rows || shape.0 == 1) && (shape.1 == cols || shape.1 == 1),
        "sum_to_shape: a gradient of shape {:?} cannot come from broadcasting {shape:?}",
        grad.shape()
    );
    // TODO: Sum grad over axis 0 where shape has 1 row, over axis 1 where it has 1 column.
    // [[1, 2], [3, 4]] to (1, 2) -> [[4, 6]]
    todo!(
        "sum a gradient of shape {:?} back to {shape:?}",
        grad.shape()
    )
}

/// `a · b`: `a: (N, D)`, `b: (D, H)` → `(N, H)`.
///
/// # Errors
/// [`AdError::ShapeMismatch`] when `a`'s columns are not `b`'s rows (use
/// [`crate::error::ensure_dim`]).
pub fn matmul_forward(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, AdError> {
    // TODO: Check the inner sizes with crate::error::ensure_dim, then multiply. (2, 3)·(3, 4) -> (2, 4)
    todo!("product of a {:?} and b {:?}", a.shape(), b.shape())
}

/// The gradients of `out = a · b`:
///
/// ```text
/// da = dout · bᵀ     (N, H)·(H, D) = (N, D)
/// db = aᵀ · dout     (D, N)·(N, H) = (D, H)
/// ```
pub fn matmul_backward(
    dout: ArrayView2<'_, f64>,
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> (Array2<f64>, Array2<f64>) {
    // TODO: Return (dout · bᵀ, aᵀ · dout): each shaped like its operand.
    todo!(
        "gradients of a {:?} · b {:?} from dout {:?}",
        a.shape(),
        b.shape(),
        dout.shape()
    )
}

/// `a + b`, broadcast: each axis of equal size, or of size 1 in one operand (use
/// [`crate::error::broadcast_shape`]). ndarray's `&a + &b` broadcasts both
/// operands.
///
/// # Errors
/// [`AdError::ShapeMismatch`] when the shapes do not broadcast.
pub fn add_forward(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Result<Array2<f64>, AdError> {
    // TODO: Check the shapes with crate::error::broadcast_shape, then add. (2, 3) + (1, 3) -> (2, 3)
    todo!("broadcast sum of a {:?} and b {:?}", a.shape(), b.shape())
}

/// The gradients of `out = a + b` (broadcast): `dout` summed back to each operand's shape
/// with [`sum_to_shape`].
pub fn add_backward(
    dout: ArrayView2<'_, f64>,
    a_shape: (usize, usize),
    b_shape: (usize, usize),
) -> (Array2<f64>, Array2<f64>) {
    // TODO: Return dout summed back to a_shape and to b_shape. dout (2, 3), b (1, 3) -> db (1, 3)
    todo!(
        "gradients of a {a_shape:?} + b {b_shape:?} from dout {:?}",
        dout.shape()
    )
}

/// `a ⊙ b`, element by element, broadcast like [`add_forward`].
///
/// # Errors
/// [`AdError::ShapeMismatch`] when the shapes do not broadcast.
pub fn mul_forward(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Result<Array2<f64>, AdError> {
    // TODO: Check the shapes with crate::error::broadcast_shape, then multiply element by element.
    todo!(
        "broadcast product of a {:?} and b {:?}",
        a.shape(),
        b.shape()
    )
}

/// The gradients of `out = a ⊙ b` (broadcast):
///
/// ```text
/// da = sum_to_shape(dout ⊙ b, shape of a)     db = sum_to_shape(dout ⊙ a, shape of b)
/// ```
pub fn mul_backward(
    dout: ArrayView2<'_, f64>,
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> (Array2<f64>, Array2<f64>) {
    // TODO: Each operand's gradient is dout times the other operand, summed back to its shape.
    todo!(
        "gradients of a {:?} ⊙ b {:?} from dout {:?}",
        a.shape(),
        b.shape(),
        dout.shape()
    )
}

/// The gradient of `out = max(0, a)`: `dout` where `a > 0`, else 0 (0 at `a = 0`).
pub fn relu_backward(dout: ArrayView2<'_, f64>, a: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: Keep dout where a > 0, else 0. dout [[1, 1]], a [[−1, 2]] -> [[0, 1]]
    todo!(
        "ReLU gradient from dout {:?} at a {:?}",
        dout.shape(),
        a.shape()
    )
}

/// The gradient of `out = tanh a`, from the output: `dout ⊙ (1 − out²)`.
pub fn tanh_backward(dout: ArrayView2<'_, f64>, out: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: Return dout ⊙ (1 − out²), out being tanh a. dout [[1]], out [[0.5]] -> [[0.75]]
    todo!(
        "tanh gradient from dout {:?} at out {:?}",
        dout.shape(),
        out.shape()
    )
}

/// The gradient of `out = ∑ a` (a number) with upstream gradient `dout`: every element of `a`
/// moves the sum one for one, so `da = dout` everywhere, shaped `shape`.
pub fn sum_backward(dout: f64, shape: (usize, usize)) -> Array2<f64> {
    // TODO: Return an array of shape `shape` filled with dout. 2.0, (1, 3) -> [[2, 2, 2]]
    todo!("gradient of a sum over {shape:?} from dout {dout}")
}

/// The gradient of `out = mean a` with upstream gradient `dout`: `dout / (number of
/// elements)` everywhere, shaped `shape`.
pub fn mean_backward(dout: f64, shape: (usize, usize)) -> Array2<f64> {
    // TODO: Return an array of shape `shape` filled with dout / (rows · columns). 3.0, (1, 3) -> [[1, 1, 1]]
    todo!("gradient of a mean over {shape:?} from dout {dout}")
}

/// The mean softmax cross-entropy of `logits: (N, C)` with `labels` (one class in `0..C` per
/// row), and the softmax `p: (N, C)` that its backward needs:
///
/// ```text
/// pᵢⱼ = exp(sᵢⱼ − mᵢ) / ∑ₖ exp(sᵢₖ − mᵢ),  mᵢ = maxₖ sᵢₖ
/// L = −(1/N) ∑ᵢ log pᵢ,yᵢ = (1/N) ∑ᵢ (mᵢ + log ∑ₖ exp(sᵢₖ − mᵢ) − sᵢ,yᵢ)
/// ```
///
/// Take `log pᵢ,yᵢ` as `sᵢ,yᵢ − mᵢ − log ∑ₖ exp(sᵢₖ − mᵢ)` (logsumexp), never as `ln` of an
/// underflowed `p`: `[[0, 1000]]` with label 0 gives `L = 1000`.
///
/// # Errors
/// [`AdError::EmptyBatch`], [`AdError::ShapeMismatch`] or [`AdError::LabelOutOfRange`] (use
/// [`crate::error::ensure_labels`]).
pub fn softmax_cross_entropy_forward(
    logits: ArrayView2<'_, f64>,
    labels: &[usize],
) -> Result<(f64, Array2<f64>), AdError> {
    // TODO: Validate with crate::error::ensure_labels, then return the mean loss and the softmax.
    // [[0, 0]] with label [1] -> (ln 2, [[0.5, 0.5]])
    todo!(
        "mean cross-entropy of logits {:?} with {} labels",
        logits.shape(),
        labels.len()
    )
}

/// The gradient of the mean softmax cross-entropy with respect to the logits, from the
/// forward's softmax `probs: (N, C)`, with upstream gradient `dout`:
///
/// ```text
/// ∂L/∂sᵢⱼ = dout · (pᵢⱼ − [j = yᵢ]) / N
/// ```
pub fn softmax_cross_entropy_backward(
    dout: f64,
    probs: ArrayView2<'_, f64>,
    labels: &[usize],
) -> Array2<f64> {
    // TODO: Return dout · (p − onehot(labels)) / N. dout 1, p [[0.5, 0.5]], label [1] -> [[0.5, −0.5]]
    todo!(
        "softmax cross-entropy gradient of probs {:?} with {} labels, dout {dout}",
        probs.shape(),
        labels.len()
    )
}

/// The operation's name, for messages.
pub fn name(op: &Op) -> &'static str {
    match op {
        Op::Parameter => "parameter",
        Op::Input => "input",
        Op::MatMul(..) => "matmul",
        Op::Add(..) => "add",
        Op::Mul(..) => "mul",
        Op::Relu(_) => "relu",
        Op::Tanh(_) => "tanh",
        Op::Sum(_) => "sum",
        Op::SumOfSquares(_) => "sum of squares",
        Op::Mean(_) => "mean",
        Op::Scale(..) => "scale",
        Op::SoftmaxCrossEntropy { .. } => "softmax cross-entropy",
    }
}

/// The gradients an operation hands to its operands, as `(operand index, gradient)`, given its
/// upstream gradient `dout` and its own value `out` (given: it calls the functions above).
pub fn backward(
    op: &Op,
    dout: ArrayView2<'_, f64>,
    out: ArrayView2<'_, f64>,
    nodes: &[TensorNode],
) -> Vec<(usize, Array2<f64>)> {
    let value = |i: usize| nodes[i].value.view();
    match op {
        Op::Parameter | Op::Input => Vec::new(),
        // No gradient flows from an input, so a product with an input on the left (a batch
        // x: (N, D)) computes b's gradient aᵀ · dout alone: dout · bᵀ would cost as much as the
        // forward product, for nothing.
        &Op::MatMul(a, b) if nodes[a].op == Op::Input => {
            let db = matmul_forward(value(a).t(), dout)
                .expect("the inner sizes were checked when the product was recorded");
            vec![(b, db)]
        }
        &Op::MatMul(a, b) => {
            let (da, db) = matmul_backward(dout, value(a), value(b));
            vec![(a, da), (b, db)]
        }
        &Op::Add(a, b) => {
            let (da, db) = add_backward(dout, value(a).dim(), value(b).dim());
            vec![(a, da), (b, db)]
        }
        &Op::Mul(a, b) => {
            let (da, db) = mul_backward(dout, value(a), value(b));
            vec![(a, da), (b, db)]
        }
        &Op::Relu(a) => vec![(a, relu_backward(dout, value(a)))],
        &Op::Tanh(a) => vec![(a, tanh_backward(dout, out))],
        &Op::Sum(a) => vec![(a, sum_backward(dout[[0, 0]], value(a).dim()))],
        // The tape adds this gradient in place (Tape::backward) rather than calling here.
        &Op::SumOfSquares(a) => vec![(a, &value(a) * (2.0 * dout[[0, 0]]))],
        &Op::Mean(a) => vec![(a, mean_backward(dout[[0, 0]], value(a).dim()))],
        &Op::Scale(a, k) => vec![(a, &dout * k)],
        Op::SoftmaxCrossEntropy {
            logits,
            labels,
            probs,
        } => vec![(
            *logits,
            softmax_cross_entropy_backward(dout[[0, 0]], probs.view(), labels),
        )],
    }
}
