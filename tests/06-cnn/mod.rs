//! Grading suite of exercise 06: convolution, pooling and a small CNN on the 8×8 digits.
//!
//! Public checks compare the learner's layers with the suite's own loops ([`oracle`]) on
//! CS231n's linspace inputs and seeded random ones, numerically differentiate them, and train the
//! CNN on the digits; hidden ones compare with CS231n's published check values.

use std::sync::OnceLock;

use mlings_grader::assert::Tol;
use mlings_grader::{Failure, Suite};

use crate::sut;

mod data;
mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("06-cnn", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same sums in another order agree to rounding: the layers' values are
/// of order 1 and sum at most a few hundred products.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

/// Analytic against centred differences (step 1e-5): the convolution is linear in each argument,
/// so the differences are exact to ~1e-10; through ReLU and softmax the error is ~1e-9 (a wrong
/// gradient is off by 1e-2 or more).
const GRAD_TOL: Tol = Tol::rel_floor(1e-6, 1e-6);

/// The held-out split and training budget of steps 5 and 6: the digits split 80/20 with seed 2024,
/// 40 epochs of Adam at 3e-3 with batches of 32, shuffled from seed 0; 16 filters.
const SPLIT_SEED: u64 = 2024;
const FILTERS: usize = 16;

/// The train and test images of [`SPLIT_SEED`].
fn split() -> Result<(sut::Images, sut::Images), Failure> {
    Ok(data::digits().map_err(Failure::new)?.split(0.2, SPLIT_SEED))
}

/// The learner's CNN trained once on the digits, shared by steps 5 and 6; a `todo!()` in it
/// propagates to the check that asked (and the next one asks again).
fn trained_cnn() -> Result<sut::Cnn, Failure> {
    static TRAINED: OnceLock<Result<sut::Cnn, Failure>> = OnceLock::new();
    TRAINED
        .get_or_init(|| {
            let (train, _) = split()?;
            let mut cnn = mlings_grader::ok(sut::Cnn::new((1, 8, 8), FILTERS, 10, 0))?;
            sut::train(&mut cnn, &train, &sut::TrainConfig::digits(0))
                .map_err(|e| Failure::new(format!("training your CNN failed: {e}")))?;
            Ok(cnn)
        })
        .clone()
}
