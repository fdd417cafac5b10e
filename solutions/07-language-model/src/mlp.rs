//! Step 5 (first half): the MLP language model — its data, forward pass and backward pass.

use ndarray::{Array1, Array2, ArrayView2};
// BEGIN SOLUTION
use ndarray::{Axis, s};

use crate::neural_bigram::cross_entropy;
use crate::vocab::bigrams;
// END SOLUTION

use crate::error::LanguageModelError;
use crate::neural_bigram::check_tokens;
use crate::vocab::VOCAB;

/// Contexts and their next tokens: the training examples of a language model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// The contexts X: (M, block), the `block` tokens before each target, oldest first.
    pub x: Array2<usize>,
    /// The targets y: (M,), the token that follows each context.
    pub y: Vec<usize>,
}

/// Every (context, next token) pair of `names`: each name padded on the left with `block_size`
/// start tokens and ended with the end token, the context sliding one token at a time.
///
/// ```text
/// block 3, "emma":  ... → e,  ..e → m,  .em → m,  emm → a,  mma → .
///   X = [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]],  y = [5, 13, 13, 1, 0]
/// ```
///
/// A name of L letters gives L + 1 examples (as many as its bigrams): 228,146 for names.txt.
///
/// # Errors
///
/// [`LanguageModelError::InvalidSetting`] for `block_size = 0`, [`LanguageModelError::Empty`]
/// for no names, and the errors of [`bigrams`](crate::bigrams) for a bad name.
pub fn contexts(names: &[&str], block_size: usize) -> Result<Dataset, LanguageModelError> {
    if block_size == 0 {
        return Err(LanguageModelError::InvalidSetting {
            name: "block_size",
            value: 0.0,
            expected: "at least 1",
        });
    }
    if names.is_empty() {
        return Err(LanguageModelError::Empty { what: "names" });
    }
    // BEGIN SOLUTION
    let pairs = bigrams(names)?;
    let mut x = Array2::zeros((pairs.len(), block_size));
    let mut y = Vec::with_capacity(pairs.len());
    let mut context = vec![0; block_size];
    for (m, &(a, b)) in pairs.iter().enumerate() {
        if a == 0 {
            context.fill(0);
        }
        for (t, &token) in context.iter().enumerate() {
            x[[m, t]] = token;
        }
        y.push(b);
        context.rotate_left(1);
        context[block_size - 1] = b;
    }
    Ok(Dataset { x, y })
    // STUB
    // // TODO: Slide a window of block_size tokens, starting all '.', over each '.'-ended name. "a", block 2 -> X [[0, 0], [0, 1]], y [1, 0]
    // todo!("contexts of {block_size} tokens from {} names", names.len())
    // END SOLUTION
}

/// The MLP language model of Bengio et al. (2003): embed each context token, concatenate, one
/// tanh hidden layer, softmax over the next token.
///
/// ```text
/// block tokens of context, d embedding dims, H hidden units, B examples
/// c: (27, d)   w1: (block·d, H)   b1: (H,)   w2: (H, 27)   b2: (27,)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// The embedding table C: row t is token t's vector.
    pub c: Array2<f64>,
    /// The hidden layer's weights.
    pub w1: Array2<f64>,
    /// The hidden layer's biases.
    pub b1: Array1<f64>,
    /// The output layer's weights.
    pub w2: Array2<f64>,
    /// The output layer's biases.
    pub b2: Array1<f64>,
}

/// The intermediate values of one forward pass, kept for the backward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    /// The concatenated embeddings E: (B, block·d), `E[i, t·d..(t+1)·d] = C[X[i, t]]`.
    pub emb: Array2<f64>,
    /// The hidden activations h = tanh(E W₁ + b₁): (B, H).
    pub h: Array2<f64>,
    /// The logits h W₂ + b₂: (B, 27).
    pub logits: Array2<f64>,
}

/// The gradient of the loss with respect to every parameter of an [`Mlp`], shaped like it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// ∂L/∂C: (27, d).
    pub c: Array2<f64>,
    /// ∂L/∂W₁: (block·d, H).
    pub w1: Array2<f64>,
    /// ∂L/∂b₁: (H,).
    pub b1: Array1<f64>,
    /// ∂L/∂W₂: (H, 27).
    pub w2: Array2<f64>,
    /// ∂L/∂b₂: (27,).
    pub b2: Array1<f64>,
}

impl Mlp {
    /// The embedding dimension d.
    pub fn embedding_dim(&self) -> usize {
        self.c.ncols()
    }

    /// The context length, block = rows of W₁ / d.
    pub fn block_size(&self) -> usize {
        self.w1.nrows() / self.c.ncols().max(1)
    }

    /// Refuses contexts of the wrong width or with a token outside the vocabulary.
    fn check_contexts(&self, x: ArrayView2<'_, usize>) -> Result<(), LanguageModelError> {
        if x.nrows() == 0 {
            return Err(LanguageModelError::Empty { what: "x" });
        }
        if x.ncols() != self.block_size() {
            return Err(LanguageModelError::Shape {
                what: "x",
                got: x.shape().to_vec(),
                expected: format!("(B, {}), one column per context token", self.block_size()),
            });
        }
        match x.iter().find(|&&t| t >= VOCAB) {
            Some(&token) => Err(LanguageModelError::InvalidToken { what: "x", token }),
            None => Ok(()),
        }
    }

    /// The forward pass on contexts `x`: (B, block).
    ///
    /// ```text
    /// E = [C[X[:, 0]], …, C[X[:, block−1]]]: (B, block·d)
    /// h = tanh(E W₁ + b₁): (B, H)          logits = h W₂ + b₂: (B, 27)
    /// ```
    ///
    /// # Errors
    ///
    /// [`LanguageModelError::Empty`] for no rows, [`LanguageModelError::Shape`] when `x` does
    /// not have `block` columns, [`LanguageModelError::InvalidToken`] for a token outside 0..27.
    pub fn forward(&self, x: ArrayView2<'_, usize>) -> Result<Forward, LanguageModelError> {
        self.check_contexts(x)?;
        // BEGIN SOLUTION
        let d = self.embedding_dim();
        let mut emb = Array2::zeros((x.nrows(), x.ncols() * d));
        for (i, context) in x.rows().into_iter().enumerate() {
            for (t, &token) in context.iter().enumerate() {
                emb.slice_mut(s![i, t * d..(t + 1) * d])
                    .assign(&self.c.row(token));
            }
        }
        let h = (emb.dot(&self.w1) + &self.b1).mapv(tanh);
        let logits = h.dot(&self.w2) + &self.b2;
        Ok(Forward { emb, h, logits })
        // STUB
        // // TODO: Look up and concatenate the embeddings, then tanh(E W₁ + b₁) and h W₂ + b₂. B contexts -> logits (B, 27)
        // todo!("forward pass of contexts {:?} through C {:?}, W₁ {:?}, W₂ {:?}", x.shape(), self.c.shape(), self.w1.shape(), self.w2.shape())
        // END SOLUTION
    }

    /// The mean cross-entropy of the next tokens `y` given the contexts `x`.
    ///
    /// # Errors
    ///
    /// As [`forward`](Self::forward) and [`cross_entropy`](crate::cross_entropy).
    pub fn loss(&self, x: ArrayView2<'_, usize>, y: &[usize]) -> Result<f64, LanguageModelError> {
        // BEGIN SOLUTION
        let forward = self.forward(x)?;
        Ok(cross_entropy(forward.logits.view(), y)?.0)
        // STUB
        // // TODO: Run the forward pass and take the cross-entropy of its logits. a fresh model -> about ln 27
        // todo!("loss on contexts {:?} and {} targets", x.shape(), y.len())
        // END SOLUTION
    }

    /// The loss and its gradient with respect to every parameter, by backpropagation.
    ///
    /// ```text
    /// dlogits = (softmax(logits) − onehot(y)) / B      (from cross_entropy)
    /// dW₂ = hᵀ dlogits    db₂ = ∑ᵢ dlogitsᵢ    dh = dlogits W₂ᵀ
    /// dpre = dh ⊙ (1 − h²)                              (tanh′ = 1 − tanh²)
    /// dW₁ = Eᵀ dpre       db₁ = ∑ᵢ dpreᵢ       dE = dpre W₁ᵀ
    /// dC[X[i, t]] += dE[i, t·d..(t+1)·d]  for every i, t   (a token seen twice gets both)
    /// ```
    ///
    /// # Errors
    ///
    /// As [`loss`](Self::loss).
    pub fn gradients(
        &self,
        x: ArrayView2<'_, usize>,
        y: &[usize],
    ) -> Result<(f64, Gradients), LanguageModelError> {
        check_tokens("y", y)?;
        // BEGIN SOLUTION
        let Forward { emb, h, logits } = self.forward(x)?;
        let (loss, dlogits) = cross_entropy(logits.view(), y)?;
        let w2 = h.t().dot(&dlogits);
        let b2 = dlogits.sum_axis(Axis(0));
        let dh = dlogits.dot(&self.w2.t());
        let dpre = dh * h.mapv(|v| 1.0 - v * v);
        let w1 = emb.t().dot(&dpre);
        let b1 = dpre.sum_axis(Axis(0));
        let demb = dpre.dot(&self.w1.t());
        let d = self.embedding_dim();
        let mut c = Array2::zeros(self.c.raw_dim());
        for (i, context) in x.rows().into_iter().enumerate() {
            for (t, &token) in context.iter().enumerate() {
                let mut row = c.row_mut(token);
                row += &demb.slice(s![i, t * d..(t + 1) * d]);
            }
        }
        Ok((loss, Gradients { c, w1, b1, w2, b2 }))
        // STUB
        // // TODO: Run the forward pass, then backpropagate through softmax, W₂, tanh, W₁ and the embedding lookup. dC has C's shape (27, d)
        // todo!("gradients on contexts {:?} and {} targets", x.shape(), y.len())
        // END SOLUTION
    }

    /// One step of gradient descent on every parameter: `p ← p − lr · ∂L/∂p`, the embeddings
    /// included.
    pub fn update(&mut self, grads: &Gradients, lr: f64) {
        // BEGIN SOLUTION
        self.c.scaled_add(-lr, &grads.c);
        self.w1.scaled_add(-lr, &grads.w1);
        self.b1.scaled_add(-lr, &grads.b1);
        self.w2.scaled_add(-lr, &grads.w2);
        self.b2.scaled_add(-lr, &grads.b2);
        // STUB
        // // TODO: Move C, W₁, b₁, W₂ and b₂ against their gradients. lr 0.1, dC = 1 -> C − 0.1
        // todo!("update C {:?} and the layers by lr {lr} (dC {:?})", self.c.shape(), grads.c.shape())
        // END SOLUTION
    }
}

// BEGIN SOLUTION
/// tanh from one exponential, e = e^{−2|x|}: (1 − e)/(1 + e) with x's sign, about twice as fast
/// as the C library's `tanh`, which dominates a training step; below |x| = 0.01, where 1 − e
/// would cancel, its Taylor series. Within 3e-15 of `f64::tanh` everywhere.
fn tanh(x: f64) -> f64 {
    let a = x.abs();
    if a < 0.01 {
        let s = x * x;
        return x * (1.0 - s * (1.0 / 3.0 - s * (2.0 / 15.0 - s * (17.0 / 315.0))));
    }
    let e = (-2.0 * a).exp();
    ((1.0 - e) / (1.0 + e)).copysign(x)
}
// END SOLUTION
