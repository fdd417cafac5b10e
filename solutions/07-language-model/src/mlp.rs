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
/// tanh without a branch or a library call, so that a loop over a slice of it vectorises (the
/// C library's `tanh` is a call per value, half of a training step at this size).
///
/// ```text
/// tanh |x| = (1 − e^{−2|x|}) / (1 + e^{−2|x|}) = −m / (2 + m),   m = e^{−2|x|} − 1
/// ```
///
/// with `m` from [`expm1_neg`], accurate relative to m itself even for tiny |x|, where
/// 1 − e^{−2|x|} would cancel. −2|x| is floored at −50, beyond which tanh is 1 to the last bit;
/// NaN stays NaN. Within 4 ulp of `f64::tanh` (under 1e-15 relative; see the test below), which
/// the suite's tolerances (1e-12 relative and looser) absorb.
fn tanh(x: f64) -> f64 {
    let m = expm1_neg((-2.0 * x.abs()).max(-50.0));
    let t = (-m / (2.0 + m)).copysign(x);
    if x.is_nan() { x } else { t }
}

/// e^x − 1 for x in [−50, 0], by the usual reduction: x = n ln 2 + r with n an integer and
/// |r| ≤ ln 2 / 2, so e^x − 1 = 2ⁿ (e^r − 1) + (2ⁿ − 1), with e^r − 1 from its Taylor series
/// to r¹³ (the next term is below 1e-17 of it). n is rounded without a branch or a conversion
/// instruction: adding 1.5 · 2⁵² leaves n in the low bits of the sum, and 2ⁿ is built by writing
/// n + 1023 into the exponent field of an f64.
fn expm1_neg(x: f64) -> f64 {
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    // ln 2 in two parts: n · LN2_HI is exact for |n| < 2²⁰, LN2_LO carries the rest.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    let shifted = x * std::f64::consts::LOG2_E + SHIFT;
    let n = shifted - SHIFT;
    let r = x - n * LN2_HI - n * LN2_LO;
    let exponent = shifted
        .to_bits()
        .wrapping_sub(SHIFT.to_bits())
        .wrapping_add(1023);
    let scale = f64::from_bits(exponent << 52);
    let mut p = 1.0 / 6_227_020_800.0;
    for factorial in [
        479_001_600.0,
        39_916_800.0,
        3_628_800.0,
        362_880.0,
        40_320.0,
        5_040.0,
        720.0,
        120.0,
        24.0,
        6.0,
        2.0,
        1.0,
    ] {
        p = p * r + 1.0 / factorial;
    }
    scale * (p * r) + (scale - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many f64 values lie between `a` and `b` (same sign).
    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    #[test]
    fn tanh_is_within_4_ulp_of_the_library_tanh() {
        // A fine sweep of −25 … 25, the tiny and the huge, the infinities.
        let mut inputs: Vec<f64> = (-2_500_000..=2_500_000).map(|i| i as f64 * 1e-5).collect();
        for e in -300..=300 {
            let v = 10f64.powi(e) * 1.2345;
            inputs.extend([v, -v]);
        }
        inputs.extend([
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            19.06,
            19.07,
            710.0,
            f64::MAX,
            f64::INFINITY,
        ]);
        inputs.extend([-f64::MAX, f64::NEG_INFINITY]);
        let worst = inputs
            .iter()
            .map(|&x| (ulps(tanh(x), x.tanh()), x))
            .max_by_key(|&(u, _)| u)
            .expect("inputs");
        assert!(worst.0 <= 4, "tanh({}) is {} ulp off", worst.1, worst.0);
        assert!(tanh(f64::NAN).is_nan());
        assert_eq!(tanh(-0.0).to_bits(), (-0.0f64).to_bits());
    }
}
// END SOLUTION
