//! Prints without end, then would answer correctly.
pub fn add(a: i64, b: i64) -> i64 {
    let line = "x".repeat(1 << 16);
    loop {
        println!("{line}");
        eprintln!("{line}");
        if a == i64::MIN && b == i64::MIN { return a + b; }
    }
}
pub fn double(x: i64) -> i64 { 2 * x }
