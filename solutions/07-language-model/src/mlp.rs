//! Step 5 (first half): the MLP language model — its data, forward pass and backward pass.

use ndarray::{Array1, Array2, ArrayView2};
// BEGIN SOLUTION
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
        // Every product below runs on contiguous row-major slices through `gemm_acc`, a small
        // register-blocked matrix product written for these shapes (see its comment).
        let (b, d, hidden) = (x.nrows(), self.embedding_dim(), self.w1.ncols());
        let k = x.ncols() * d;
        let table = self.c.as_standard_layout();
        let table = table.as_slice().expect("standard layout");
        let mut emb = vec![0.0; b * k];
        for (row, context) in emb.chunks_exact_mut(k).zip(x.rows()) {
            for (slot, &token) in row.chunks_exact_mut(d).zip(context) {
                slot.copy_from_slice(&table[token * d..(token + 1) * d]);
            }
        }
        // h = tanh(E W₁ + b₁): each row starts as b₁, gets E W₁ added, then tanh in place.
        let mut h = rows_of(&self.b1, b);
        gemm_acc(Lhs::rows(&emb, k), &slice(&self.w1), &mut h, b, k, hidden);
        h.iter_mut().for_each(|v| *v = tanh(*v));
        let mut logits = rows_of(&self.b2, b);
        let vocab = self.w2.ncols();
        gemm_acc(
            Lhs::rows(&h, hidden),
            &slice(&self.w2),
            &mut logits,
            b,
            hidden,
            vocab,
        );
        let emb = Array2::from_shape_vec((b, k), emb).expect("B × block·d values");
        let h = Array2::from_shape_vec((b, hidden), h).expect("B × H values");
        let logits = Array2::from_shape_vec((b, vocab), logits).expect("B × 27 values");
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
        let (b, k) = emb.dim();
        let (hidden, vocab) = self.w2.dim();
        let (emb, h) = (slice(&emb), slice(&h));
        let dlogits = slice(&dlogits);
        // dW₂ = hᵀ dlogits: hᵀ is h read down its columns, so no transposed copy is made.
        let mut w2 = vec![0.0; hidden * vocab];
        gemm_acc(
            Lhs::columns(&h, hidden),
            &dlogits,
            &mut w2,
            hidden,
            b,
            vocab,
        );
        let b2 = column_sums(&dlogits, vocab);
        // dh = dlogits W₂ᵀ. The right-hand side must have contiguous rows, so W₂ᵀ (27 × H) is
        // copied once; then dpre = dh ⊙ (1 − h²) in the same buffer.
        let mut dpre = vec![0.0; b * hidden];
        let w2t = transposed(&self.w2);
        gemm_acc(
            Lhs::rows(&dlogits, vocab),
            &w2t,
            &mut dpre,
            b,
            vocab,
            hidden,
        );
        dpre.iter_mut()
            .zip(h.iter())
            .for_each(|(g, &v)| *g *= 1.0 - v * v);
        // dW₁ = Eᵀ dpre, again reading E down its columns.
        let mut w1 = vec![0.0; k * hidden];
        gemm_acc(Lhs::columns(&emb, k), &dpre, &mut w1, k, b, hidden);
        let b1 = column_sums(&dpre, hidden);
        // dE = dpre W₁ᵀ, with W₁ᵀ (H × block·d) copied once.
        let mut demb = vec![0.0; b * k];
        gemm_acc(
            Lhs::rows(&dpre, hidden),
            &transposed(&self.w1),
            &mut demb,
            b,
            hidden,
            k,
        );
        let d = self.embedding_dim();
        let mut c = vec![0.0; self.c.len()];
        for (row, context) in demb.chunks_exact(k).zip(x.rows()) {
            for (slot, &token) in row.chunks_exact(d).zip(context) {
                let into = &mut c[token * d..(token + 1) * d];
                into.iter_mut().zip(slot).for_each(|(g, &v)| *g += v);
            }
        }
        let c = Array2::from_shape_vec(self.c.raw_dim(), c).expect("27 × d values");
        let w1 = Array2::from_shape_vec((k, hidden), w1).expect("block·d × H values");
        let w2 = Array2::from_shape_vec((hidden, vocab), w2).expect("H × 27 values");
        let (b1, b2) = (Array1::from(b1), Array1::from(b2));
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
/// The left operand of [`gemm_acc`]: element (i, p) sits at `data[i · row + p · col]`, so a
/// row-major matrix (`row` = its width, `col` = 1) and its transpose (`row` = 1, `col` = the
/// width) are read from the same buffer without a copy.
#[derive(Clone, Copy)]
struct Lhs<'a> {
    data: &'a [f64],
    row: usize,
    col: usize,
}

impl<'a> Lhs<'a> {
    /// A row-major matrix of `width` columns.
    fn rows(data: &'a [f64], width: usize) -> Lhs<'a> {
        Lhs {
            data,
            row: width,
            col: 1,
        }
    }

    /// The transpose of a row-major matrix of `width` columns.
    fn columns(data: &'a [f64], width: usize) -> Lhs<'a> {
        Lhs {
            data,
            row: 1,
            col: width,
        }
    }
}

/// Rows of a block of `c` computed at once: each value of `b` loaded is used this many times.
const MR: usize = 4;
/// Columns of a block of `c`: the MR × NR sums stay in registers (8 SSE2 registers of 2 lanes).
const NR: usize = 4;

/// `c += a · b` for `a: (m, k)` (any [`Lhs`]), `b: (k, n)` and `c: (m, n)` row-major.
///
/// Written for this model's small shapes (k and n between 27 and 200), where a general product
/// spends more time packing its operands than multiplying. `c` is computed in blocks of
/// MR × NR: the block's MR · NR sums live in registers for the whole sum over p, and each step
/// of it loads MR values of `a` and NR contiguous values of `b` for MR · NR multiply-adds, the
/// inner loop over NR columns vectorising. The MR rows of `a` are first copied side by side,
/// each value repeated NR times (`panel[p][r] = [a[i + r, p]; NR]`): the loop over p then reads
/// both operands in order, and reads `a`'s value as a vector just like `b`'s row (baseline
/// x86-64 has no instruction that loads one value into every lane). Columns beyond the last
/// whole block are summed one at a time, MR rows together.
#[track_caller]
fn gemm_acc(a: Lhs<'_>, b: &[f64], c: &mut [f64], m: usize, k: usize, n: usize) {
    assert!(
        m == 0 || k == 0 || (m - 1) * a.row + (k - 1) * a.col < a.data.len(),
        "a is smaller than {m} × {k}"
    );
    assert_eq!(b.len(), k * n, "b is not {k} × {n}");
    assert_eq!(c.len(), m * n, "c is not {m} × {n}");
    if n == 0 {
        return;
    }
    let whole = n - n % NR;
    let mut panel = vec![[[0.0; NR]; MR]; k];
    for i in (0..m).step_by(MR) {
        let rows = MR.min(m - i);
        for (p, lanes) in panel.iter_mut().enumerate() {
            for (r, lane) in lanes.iter_mut().enumerate() {
                // Rows past the end of `a` are zeros: they add nothing and are not stored.
                *lane = [if r < rows {
                    a.data[(i + r) * a.row + p * a.col]
                } else {
                    0.0
                }; NR];
            }
        }
        let out = &mut c[i * n..(i + rows) * n];
        for j in (0..whole).step_by(NR) {
            let mut sums = [[0.0; NR]; MR];
            for (lanes, b_row) in panel.iter().zip(b.chunks_exact(n)) {
                let b_block: &[f64; NR] = b_row[j..j + NR].try_into().expect("NR columns");
                for (sum, a_value) in sums.iter_mut().zip(lanes) {
                    for ((s, &a_value), &b_value) in sum.iter_mut().zip(a_value).zip(b_block) {
                        *s += a_value * b_value;
                    }
                }
            }
            for (out_row, sum) in out.chunks_exact_mut(n).zip(&sums) {
                for (o, s) in out_row[j..j + NR].iter_mut().zip(sum) {
                    *o += s;
                }
            }
        }
        for j in whole..n {
            let mut sums = [0.0; MR];
            for (lanes, b_row) in panel.iter().zip(b.chunks_exact(n)) {
                for (s, a_value) in sums.iter_mut().zip(lanes) {
                    *s += a_value[0] * b_row[j];
                }
            }
            for (out_row, s) in out.chunks_exact_mut(n).zip(sums) {
                out_row[j] += s;
            }
        }
    }
}

/// The values of `a` in row-major order: borrowed when `a` is laid out so, copied otherwise.
fn slice(a: &Array2<f64>) -> std::borrow::Cow<'_, [f64]> {
    match a.as_slice() {
        Some(values) => std::borrow::Cow::Borrowed(values),
        None => std::borrow::Cow::Owned(a.iter().copied().collect()),
    }
}

/// `rows` copies of `v` one after the other: a (rows, len) matrix whose every row is `v`.
fn rows_of(v: &Array1<f64>, rows: usize) -> Vec<f64> {
    let v = v.to_vec();
    let mut out = Vec::with_capacity(rows * v.len());
    for _ in 0..rows {
        out.extend_from_slice(&v);
    }
    out
}

/// `aᵀ` row-major: (cols, rows) for `a: (rows, cols)`.
fn transposed(a: &Array2<f64>) -> Vec<f64> {
    a.t().iter().copied().collect()
}

/// The sum of each column of a row-major matrix of `width` columns.
fn column_sums(a: &[f64], width: usize) -> Vec<f64> {
    let mut sums = vec![0.0; width];
    for row in a.chunks_exact(width) {
        sums.iter_mut().zip(row).for_each(|(s, &v)| *s += v);
    }
    sums
}

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
    const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
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

    #[test]
    fn gemm_acc_matches_the_triple_loop_on_ragged_shapes() {
        for (m, k, n) in [
            (1, 1, 1),
            (5, 3, 7),
            (32, 30, 200),
            (30, 32, 27),
            (9, 200, 30),
        ] {
            let a: Vec<f64> = (0..m * k).map(|v| (v as f64 * 0.37).sin()).collect();
            let b: Vec<f64> = (0..k * n).map(|v| (v as f64 * 0.11).cos()).collect();
            let mut c = vec![1.0; m * n];
            gemm_acc(Lhs::rows(&a, k), &b, &mut c, m, k, n);
            let mut ct = vec![1.0; m * n];
            let at: Vec<f64> = (0..k * m).map(|v| a[(v % m) * k + v / m]).collect();
            gemm_acc(Lhs::columns(&at, m), &b, &mut ct, m, k, n);
            for i in 0..m {
                for j in 0..n {
                    let want = 1.0 + (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum::<f64>();
                    assert!(
                        (c[i * n + j] - want).abs() < 1e-12,
                        "({i}, {j}) of {m}×{k}×{n}"
                    );
                    assert!(
                        (ct[i * n + j] - want).abs() < 1e-12,
                        "({i}, {j}) transposed"
                    );
                }
            }
        }
    }
}
// END SOLUTION
