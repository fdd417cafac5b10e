//! Hidden checks of exercise 08: never shipped; instructors grade with them.

use mlings_grader::{Check, expect_err};
use ndarray::array;

use super::steps::SCALE;
use crate::sut;

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    vec![Check::hidden(
        SCALE,
        "scale_refuses_a_nan_factor",
        2,
        || {
            expect_err(
                "a NaN factor",
                sut::scale(array![1.0, 2.0].view(), f64::NAN),
                |e| matches!(e, sut::ProductionError::NotFinite { .. }),
            )
        },
    )]
}
