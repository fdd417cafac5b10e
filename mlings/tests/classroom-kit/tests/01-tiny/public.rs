use std::time::Duration;

use mlings_grader::assert::ensure;
use mlings_grader::Check;

use super::super::sut;
use super::{ADD, DOUBLE};

pub fn checks() -> Vec<Check> {
    vec![
        Check::public(ADD, "add_small_numbers", 1, || {
            let got = sut::add(2, 3);
            ensure(got == 5, || format!("add(2, 3): got {got}, expected 5"))
        })
        .timeout(Duration::from_secs(2)),
        Check::public(DOUBLE, "double_small_numbers", 1, || {
            let got = sut::double(4);
            ensure(got == 8, || format!("double(4): got {got}, expected 8"))
        })
        .timeout(Duration::from_secs(2)),
    ]
}
