//! add never returns; double is right.
pub fn add(a: i64, b: i64) -> i64 {
    let mut n = a;
    loop {
        n = n.wrapping_add(b);
        if n == i64::MIN + 1 && b == 0 { return n; }
        std::hint::black_box(n);
    }
}
pub fn double(x: i64) -> i64 { 2 * x }
