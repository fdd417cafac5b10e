//! Step 7: sampling names from the trained model, with a temperature.

// BEGIN SOLUTION
use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::bigram::draw;
use crate::vocab::{MAX_NAME_LEN, decode};
// END SOLUTION

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
    // BEGIN SOLUTION
    let mut rng = StdRng::seed_from_u64(seed);
    let block = mlp.block_size();
    let mut names = Vec::with_capacity(n);
    for _ in 0..n {
        let mut context = Array2::zeros((1, block));
        let mut name = String::new();
        while name.len() < MAX_NAME_LEN {
            let logits = mlp
                .forward(context.view())?
                .logits
                .row(0)
                .mapv(|v| v / temperature);
            let max = logits.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            let mut p = logits.mapv(|v| (v - max).exp());
            p /= p.sum();
            let token = draw(p.view(), rng.random::<f64>());
            if token == 0 {
                break;
            }
            name.push(decode(token));
            for t in 1..block {
                context[[0, t - 1]] = context[[0, t]];
            }
            context[[0, block - 1]] = token;
        }
        names.push(name);
    }
    Ok(names)
    // STUB
    // // TODO: From a context of '.'s, draw each next token from softmax(logits / T) until '.' comes out. T = 1, seed 1 -> names like "mora"
    // todo!("{n} names from an MLP with C {:?} at temperature {temperature}, seed {seed}", mlp.c.shape())
    // END SOLUTION
}
