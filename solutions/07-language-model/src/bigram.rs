//! Step 2: the bigram model: probabilities, the negative log-likelihood, sampling.

use ndarray::{Array2, ArrayView1, ArrayView2};
// BEGIN SOLUTION
use ndarray::Axis;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::vocab::{MAX_NAME_LEN, bigrams, decode};
// END SOLUTION

use crate::error::LanguageModelError;
use crate::vocab::VOCAB;

/// Refuses a table that is not 27 × 27.
pub(crate) fn check_table(what: &'static str, shape: &[usize]) -> Result<(), LanguageModelError> {
    if shape != [VOCAB, VOCAB] {
        return Err(LanguageModelError::Shape {
            what,
            got: shape.to_vec(),
            expected: "(27, 27)".into(),
        });
    }
    Ok(())
}

/// The maximum-likelihood bigram model: each row of counts divided by its sum.
///
/// ```text
/// P[a, b] = N[a, b] / ∑ᵦ' N[a, b']        N: (27, 27) → P: (27, 27), every row sums to 1
/// row [1, 3, 0, …] → [0.25, 0.75, 0, …]
/// ```
///
/// # Errors
///
/// [`LanguageModelError::Shape`] when `counts` is not 27 × 27; [`LanguageModelError::EmptyRow`]
/// for a row that sums to 0.
pub fn probabilities(counts: ArrayView2<'_, u64>) -> Result<Array2<f64>, LanguageModelError> {
    check_table("counts", counts.shape())?;
    // BEGIN SOLUTION
    let mut probs = counts.mapv(|c| c as f64);
    for (row, mut p) in probs.axis_iter_mut(Axis(0)).enumerate() {
        let total = p.sum();
        if total == 0.0 {
            return Err(LanguageModelError::EmptyRow {
                row,
                ch: decode(row),
            });
        }
        p /= total;
    }
    Ok(probs)
    // STUB
    // // TODO: Divide every row by its sum; refuse a row that sums to 0. [[1, 3]] -> [[0.25, 0.75]]
    // todo!("row-normalised probabilities of counts {:?}", counts.shape())
    // END SOLUTION
}

/// The average negative log-likelihood of the bigrams of `names` under `probs`, in nats.
///
/// ```text
/// L = −(1/M) ∑ₘ ln P[aₘ, bₘ]      over the M bigrams of the names (see `bigrams`)
/// uniform P = 1/27 everywhere → L = ln 27 = 3.2958
/// ```
///
/// A bigram of probability 0 makes `L = +∞` (not an error: that is what the model says).
///
/// # Errors
///
/// [`LanguageModelError::Shape`] when `probs` is not 27 × 27, [`LanguageModelError::Empty`]
/// when there are no names, and the errors of [`bigrams`](crate::bigrams).
pub fn nll(probs: ArrayView2<'_, f64>, names: &[&str]) -> Result<f64, LanguageModelError> {
    check_table("probs", probs.shape())?;
    if names.is_empty() {
        return Err(LanguageModelError::Empty { what: "names" });
    }
    // BEGIN SOLUTION
    let pairs = bigrams(names)?;
    let total: f64 = pairs.iter().map(|&(a, b)| -probs[[a, b]].ln()).sum();
    Ok(total / pairs.len() as f64)
    // STUB
    // // TODO: Average −ln P[a, b] over every bigram of the names. uniform 1/27 -> ln 27 = 3.2958
    // todo!("negative log-likelihood of {} names under probs {:?}", names.len(), probs.shape())
    // END SOLUTION
}

/// Draws a token from the distribution `probs` by inverting its cumulative sum at `u ∈ [0, 1)`.
///
/// ```text
/// the first j with u < p₀ + … + pⱼ;  if rounding leaves u ≥ the total, the last j with pⱼ > 0
/// probs [0.2, 0.5, 0.3]:  u = 0.1 → 0,  u = 0.2 → 1,  u = 0.95 → 2
/// ```
pub fn draw(probs: ArrayView1<'_, f64>, u: f64) -> usize {
    // BEGIN SOLUTION
    let mut cumulative = 0.0;
    let mut last = 0;
    for (j, &p) in probs.iter().enumerate() {
        cumulative += p;
        if p > 0.0 {
            last = j;
        }
        if u < cumulative {
            return j;
        }
    }
    last
    // STUB
    // // TODO: Walk the cumulative sum and return the first index it exceeds u at. [0.2, 0.5, 0.3], u = 0.2 -> 1
    // todo!("draw from probs {:?} at u = {u}", probs.shape())
    // END SOLUTION
}

/// `n` names sampled from the bigram model `probs`, from `StdRng::seed_from_u64(seed)`.
///
/// ```text
/// a = '.';  repeat: u = rng.random::<f64>(),  b = draw(P[a, :], u);  stop at b = '.', else write b, a = b
/// ```
///
/// A name stops at the end token (not written) or after [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) letters.
///
/// # Errors
///
/// [`LanguageModelError::Shape`] when `probs` is not 27 × 27.
pub fn sample(
    probs: ArrayView2<'_, f64>,
    n: usize,
    seed: u64,
) -> Result<Vec<String>, LanguageModelError> {
    check_table("probs", probs.shape())?;
    // BEGIN SOLUTION
    let mut rng = StdRng::seed_from_u64(seed);
    let mut names = Vec::with_capacity(n);
    for _ in 0..n {
        let mut name = String::new();
        let mut a = 0;
        while name.len() < MAX_NAME_LEN {
            let b = draw(probs.row(a), rng.random::<f64>());
            if b == 0 {
                break;
            }
            name.push(decode(b));
            a = b;
        }
        names.push(name);
    }
    Ok(names)
    // STUB
    // // TODO: From '.', draw each next token from the row of the current one until '.' comes out. seed 1 -> ["…", …]
    // todo!("{n} names from probs {:?} with seed {seed}", probs.shape())
    // END SOLUTION
}
