//! Makes the compiler read an endless file.
const ZEROS: &[u8] = include_bytes!("/dev/zero");
pub fn add(a: i64, b: i64) -> i64 { a + b + ZEROS.len() as i64 }
pub fn double(x: i64) -> i64 { 2 * x }
