//! Step 3: add-k smoothing, and the train/dev/test split the kit ships.

use ndarray::{Array2, ArrayView2};

use crate::bigram::check_table;
use crate::error::LanguageModelError;

/// The bigram model with `k` added to every count (Laplace's rule for k = 1).
///
/// ```text
/// P[a, b] = (N[a, b] + k) / (∑ᵦ' N[a, b'] + 27k)       k ≥ 0;  k = 0 is `probabilities`
/// row [1, 3, 0 …] (27 entries), k = 1 → [2/31, 4/31, 1/31, …]
/// ```
///
/// No bigram has probability 0 once k > 0, so a name with a pair never seen in training gets
/// a finite loss.
///
/// # Errors
///
/// [`LanguageModelError::InvalidSetting`] when `k` is negative or not finite,
/// [`LanguageModelError::Shape`] when `counts` is not 27 × 27, and
/// [`LanguageModelError::EmptyRow`] for a row summing to 0 when `k = 0`.
pub fn smoothed_probabilities(
    counts: ArrayView2<'_, u64>,
    k: f64,
) -> Result<Array2<f64>, LanguageModelError> {
    if !(k.is_finite() && k >= 0.0) {
        return Err(LanguageModelError::InvalidSetting {
            name: "k",
            value: k,
            expected: "a finite number ≥ 0",
        });
    }
    check_table("counts", counts.shape())?;
    // TODO: Add k to every count, then divide each row by its new sum. [1, 3, 0 …], k = 1 -> [2/31, 4/31, 1/31, …]
    todo!("add-{k} probabilities of counts {:?}", counts.shape())
}

/// Which names train, tune and test a model: indices into the list of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The training names' indices, ⌊0.8 n⌋ of them.
    pub train: Vec<usize>,
    /// The dev (validation) names' indices, the next ⌊0.9 n⌋ − ⌊0.8 n⌋.
    pub dev: Vec<usize>,
    /// The test names' indices, the rest.
    pub test: Vec<usize>,
}

impl Split {
    /// The names at `indices` (one of the three fields), in that order.
    ///
    /// # Panics
    ///
    /// When an index is outside `names`.
    #[track_caller]
    pub fn select<'a>(names: &[&'a str], indices: &[usize]) -> Vec<&'a str> {
        indices.iter().map(|&i| names[i]).collect()
    }
}

/// The split of n names that `order` (a permutation of `0..n`) fixes: its first ⌊8n/10⌋ entries
/// train, the next ⌊9n/10⌋ − ⌊8n/10⌋ are the dev split, the rest the test split.
///
/// ```text
/// n = 32,033 (names.txt):  25,626 train, 3,203 dev, 3,204 test
/// order [3, 0, 4, 1, 2, 9, 5, 8, 6, 7] → train [3, 0, 4, 1, 2, 9, 5, 8], dev [6], test [7]
/// ```
///
/// # Errors
///
/// [`LanguageModelError::Empty`] for an empty order; [`LanguageModelError::NotAPermutation`]
/// when an index is out of range or repeated.
pub fn split(order: &[usize]) -> Result<Split, LanguageModelError> {
    // TODO: Refuse an order that is not a permutation, then cut it at ⌊8n/10⌋ and ⌊9n/10⌋. n = 10 -> 8, 1, 1
    todo!("the split of an order of {} names", order.len())
}

/// The order of the kit's split file (`data/names/split.txt`): one index a line, `#` comments
/// and blank lines skipped.
///
/// # Errors
///
/// [`LanguageModelError::SplitFile`] for a line that is not a number.
pub fn read_order(text: &str) -> Result<Vec<usize>, LanguageModelError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| {
            line.trim()
                .parse()
                .map_err(|_| LanguageModelError::SplitFile {
                    line: i + 1,
                    text: line.to_owned(),
                })
        })
        .collect()
}
