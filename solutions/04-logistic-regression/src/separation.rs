//! Step 3: separation, reported rather than fitted.
//!
//! When a hyperplane splits the successes from the failures (complete separation), or does so
//! with some observations on it (quasi-complete), the likelihood keeps rising as β grows along
//! that direction: no maximum-likelihood estimate exists. Newton's method does not fail loudly
//! there; β doubles every few iterations while the fitted probabilities of the separated
//! observations run to 0 or 1. The stopping rule may even declare convergence on a deviance
//! that has stopped changing. The honest answer is an error, detected from the linear
//! predictor after every iteration.

use ndarray::ArrayView1;

use crate::error::FitError;

/// The linear predictor beyond which a fitted probability counts as 0 or 1: σ(30) = 1 − 9.4·10⁻¹⁴.
/// No observation of a fit that exists comes near it on the data of this exercise; separated
/// observations pass it within a few Newton iterations.
pub const SEPARATION_ETA: f64 = 30.0;

/// Fails with [`FitError::Separation`] at the first observation whose linear predictor is beyond
/// [`SEPARATION_ETA`] in absolute value: `|ηᵢ| > 30`, a fitted probability of 0 or 1.
///
/// ```text
/// eta: (n), the linear predictor after Newton iteration `iteration`   →   Ok(()) or the error
/// ```
///
/// # Errors
/// [`FitError::Separation`] with `iteration`, the first such observation `i` and its `ηᵢ`.
///
/// # Examples
/// ```
/// # use logistic_regression_solution::{check_separation, FitError};
/// use ndarray::array;
/// assert!(check_separation(array![1.0, -29.0].view(), 3).is_ok());
/// assert_eq!(
///     check_separation(array![1.0, -31.0, 40.0].view(), 3),
///     Err(FitError::Separation { iteration: 3, observation: 1, eta: -31.0 })
/// );
/// ```
pub fn check_separation(eta: ArrayView1<'_, f64>, iteration: usize) -> Result<(), FitError> {
    // BEGIN SOLUTION
    match eta.iter().position(|e| e.abs() > SEPARATION_ETA) {
        Some(observation) => Err(FitError::Separation {
            iteration,
            observation,
            eta: eta[observation],
        }),
        None => Ok(()),
    }
    // STUB
    // // TODO: Return FitError::Separation for the first i with |ηᵢ| > SEPARATION_ETA. [1, −31, 40], iteration 3 -> Separation { iteration: 3, observation: 1, eta: −31 }
    // todo!("separation check of eta {:?} after iteration {iteration}", eta.shape())
    // END SOLUTION
}
