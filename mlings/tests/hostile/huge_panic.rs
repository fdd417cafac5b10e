//! Panics with a 15 MB message on the public add check; everything else is right.
pub fn add(a: i64, b: i64) -> i64 {
    if a == 2 {
        panic!("{}", "x".repeat(15 << 20));
    }
    a + b
}
pub fn double(x: i64) -> i64 { 2 * x }
