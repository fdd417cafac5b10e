//! Does not compile.
pub fn add(a: i64, b: i64) -> i64 { a + b + "one" }
pub fn double(x: i64) -> i64 { 2 * x }
