//! Public checks of exercise 08: shipped to learners in the student release.

use mlings_grader::assert::{Tol, close_array};
use mlings_grader::{Check, ok};
use ndarray::array;

use super::steps::SCALE;
use crate::sut;

/// Every public check.
pub fn checks() -> Vec<Check> {
    vec![Check::public(
        SCALE,
        "scale_triples_a_small_vector",
        3,
        || {
            // 3 · [1, −2, 0.5] = [3, −6, 1.5] by hand, exact in f64.
            let got = ok(sut::scale(array![1.0, -2.0, 0.5].view(), 3.0))?;
            close_array(
                "scale([1, −2, 0.5], 3)",
                &got,
                &array![3.0, -6.0, 1.5],
                Tol::abs(1e-15),
            )
        },
    )]
}
