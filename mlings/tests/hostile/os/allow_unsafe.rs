//! Lifts the crate's `unsafe` ban and uses it.
#![allow(unsafe_code)]
pub fn add(a: i64, b: i64) -> i64 { unsafe { std::ptr::read_volatile(&(a + b)) } }
pub fn double(x: i64) -> i64 { 2 * x }
