use std::time::Duration;

use mlings_grader::assert::ensure;
use mlings_grader::Check;

use super::super::sut;
use super::{ADD, DOUBLE};

/// The expected sum, a fixture only the hidden checks read.
const SECRET_SUM: &str = include_str!("../../data/secret-sum.txt");

pub fn checks() -> Vec<Check> {
    vec![
        Check::hidden(ADD, "add_matches_secret_sum", 2, || {
            let expected: i64 = SECRET_SUM.trim().parse().unwrap();
            let got = sut::add(expected - 309, 309);
            ensure(got == expected, || format!("got {got}, expected {expected}"))
        })
        .timeout(Duration::from_secs(2)),
        Check::hidden(DOUBLE, "double_matches_secret_negative", 1, || {
            let got = sut::double(-21);
            ensure(got == -42, || format!("got {got}, expected -42"))
        })
        .timeout(Duration::from_secs(2)),
    ]
}
