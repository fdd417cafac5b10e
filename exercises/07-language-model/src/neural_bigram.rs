//! Step 4: the bigram model as a one-layer neural network, trained by gradient descent.

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

use crate::error::LanguageModelError;
use crate::vocab::VOCAB;

/// Refuses a token outside `0..27`.
pub(crate) fn check_tokens(what: &'static str, tokens: &[usize]) -> Result<(), LanguageModelError> {
    match tokens.iter().find(|&&t| t >= VOCAB) {
        Some(&token) => Err(LanguageModelError::InvalidToken { what, token }),
        None => Ok(()),
    }
}

/// The mean cross-entropy of `logits` against `targets`, and its gradient with respect to the
/// logits.
///
/// ```text
/// B rows, C classes        logits: (B, C), targets: (B,) in 0..C
/// pᵢ = softmax(logitsᵢ) = exp(logitsᵢ − maxᵢ) / ∑ exp(logitsᵢ − maxᵢ)
/// L = −(1/B) ∑ᵢ ln pᵢ,yᵢ          dlogits = (p − onehot(y)) / B: (B, C)
/// logits [[0, 0]], targets [1] → L = ln 2, dlogits [[0.5, −0.5]]
/// ```
///
/// Subtract each row's maximum before exponentiating: logits near 1,000 must not overflow.
///
/// # Errors
///
/// [`LanguageModelError::Empty`] for no rows, [`LanguageModelError::Shape`] when `targets` and
/// the rows differ in number, [`LanguageModelError::InvalidToken`] for a target outside `0..C`.
pub fn cross_entropy(
    logits: ArrayView2<'_, f64>,
    targets: &[usize],
) -> Result<(f64, Array2<f64>), LanguageModelError> {
    let (rows, classes) = logits.dim();
    if rows == 0 {
        return Err(LanguageModelError::Empty { what: "logits" });
    }
    if targets.len() != rows {
        return Err(LanguageModelError::Shape {
            what: "targets",
            got: vec![targets.len()],
            expected: format!("({rows},), one target per row of logits"),
        });
    }
    if let Some(&token) = targets.iter().find(|&&t| t >= classes) {
        return Err(LanguageModelError::InvalidToken {
            what: "targets",
            token,
        });
    }
    // TODO: Softmax each row (minus its max), average −ln p of the targets, and return (p − onehot) / B. [[0, 0]], [1] -> (ln 2, [[0.5, −0.5]])
    todo!(
        "cross-entropy of logits {:?} against {} targets",
        logits.shape(),
        targets.len()
    )
}

/// A bigram model as a network: the one-hot code of the previous token times a weight matrix,
/// then softmax.
///
/// ```text
/// xᵢ: the previous token, yᵢ: the next     W: (27, 27)
/// logitsᵢ = onehot(xᵢ) · W = W[xᵢ, :],     P(next | x) = softmax(W[x, :])
/// ```
///
/// Gradient descent on the cross-entropy drives `softmax(W[a, :])` to the counts' row
/// `N[a, :] / ∑ N[a, :]`: the same maximum-likelihood estimate as step 2, found by descent.
#[derive(Debug, Clone, PartialEq)]
pub struct NeuralBigram {
    /// The weights W: (27, 27), the logits of every next token given each previous one.
    pub w: Array2<f64>,
}

impl NeuralBigram {
    /// W drawn from N(0, 1) with `StdRng::seed_from_u64(seed)`, row by row.
    pub fn new(seed: u64) -> NeuralBigram {
        let mut rng = StdRng::seed_from_u64(seed);
        NeuralBigram {
            w: Array2::from_shape_simple_fn((VOCAB, VOCAB), || StandardNormal.sample(&mut rng)),
        }
    }

    /// The mean cross-entropy of the pairs `(xs[i], ys[i])`, and its gradient with respect to W.
    ///
    /// ```text
    /// X = onehot(xs): (M, 27)    logits = X W: (M, 27)    (L, dlogits) = cross_entropy(logits, ys)
    /// dW = Xᵀ dlogits: (27, 27)  (row a of dW sums the rows of dlogits whose xᵢ = a)
    /// ```
    ///
    /// # Errors
    ///
    /// [`LanguageModelError::Empty`], [`LanguageModelError::Shape`] when `xs` and `ys`
    /// differ in length, [`LanguageModelError::InvalidToken`] for a token outside `0..27`.
    pub fn loss_and_gradient(
        &self,
        xs: &[usize],
        ys: &[usize],
    ) -> Result<(f64, Array2<f64>), LanguageModelError> {
        if xs.len() != ys.len() {
            return Err(LanguageModelError::Shape {
                what: "ys",
                got: vec![ys.len()],
                expected: format!("({},), as many as xs", xs.len()),
            });
        }
        check_tokens("xs", xs)?;
        check_tokens("ys", ys)?;
        // TODO: Pick the rows W[xᵢ] as logits, take the cross-entropy, and add each dlogits row into dW[xᵢ]. W = 0 -> L = ln 27
        todo!(
            "loss and dW of W {:?} on {} pairs",
            self.w.shape(),
            xs.len()
        )
    }

    /// `steps` steps of full-batch gradient descent `W ← W − lr · dW`; returns the loss before
    /// each step.
    ///
    /// # Errors
    ///
    /// [`LanguageModelError::InvalidSetting`] when `lr` is not positive and finite, and the
    /// errors of [`loss_and_gradient`](Self::loss_and_gradient).
    pub fn fit(
        &mut self,
        xs: &[usize],
        ys: &[usize],
        lr: f64,
        steps: usize,
    ) -> Result<Vec<f64>, LanguageModelError> {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(LanguageModelError::InvalidSetting {
                name: "lr",
                value: lr,
                expected: "a finite number > 0",
            });
        }
        // TODO: Repeat: take the loss and gradient, record the loss, step W against the gradient. lr 50, 100 steps -> loss near the counts' NLL
        todo!(
            "{steps} gradient-descent steps of size {lr} on {} pairs ({} targets)",
            xs.len(),
            ys.len()
        )
    }

    /// The model's bigram probabilities: the softmax of each row of W.
    ///
    /// ```text
    /// P[a, b] = exp(W[a, b]) / ∑ᵦ' exp(W[a, b'])       (27, 27), rows sum to 1
    /// ```
    pub fn probabilities(&self) -> Array2<f64> {
        // TODO: Softmax every row of W. W = 0 -> every P[a, b] = 1/27
        todo!("softmax of the rows of W {:?}", self.w.shape())
    }
}
