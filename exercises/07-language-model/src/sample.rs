//! Step 7: sampling names from the trained model, with a temperature.

use crate::error::LanguageModelError;
use crate::mlp::Mlp;

/// `n` names sampled from `mlp` with `StdRng::seed_from_u64(seed)` at `temperature`.
///
/// ```text
/// context = [., ., .];  repeat: logits = forward(context),  p = softmax(logits / T)
///                               u = rng.random::<f64>(),  t = draw(p, u)
///                               stop at t = '.', else write t and slide the context
/// ```
///
/// T = 1 samples the model as trained; T < 1 sharpens it towards its likeliest names, T > 1
/// flattens it towards random letters. A name stops at the end token (not written) or after
/// [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) letters.
///
/// # Errors
///
/// [`LanguageModelError::InvalidSetting`] when `temperature` is not positive and finite.
pub fn sample_names(
    mlp: &Mlp,
    n: usize,
    temperature: f64,
    seed: u64,
) -> Result<Vec<String>, LanguageModelError> {
    if !(temperature.is_finite() && temperature > 0.0) {
        return Err(LanguageModelError::InvalidSetting {
            name: "temperature",
            value: temperature,
            expected: "a finite number > 0",
        });
    }
    // TODO: From a context of '.'s, draw each next token from softmax(logits / T) until '.' comes out. T = 1, seed 1 -> names like "mora"
    todo!(
        "{n} names from an MLP with C {:?} at temperature {temperature}, seed {seed}",
        mlp.c.shape()
    )
}
