//! Recurses without end.
pub fn add(a: i64, b: i64) -> i64 {
    let pad = [a; 64];
    std::hint::black_box(&pad);
    add(a, b) + pad[0]
}
pub fn double(x: i64) -> i64 { add(x, x) }
