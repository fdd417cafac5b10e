//! Panics in Drop: after a right answer in add, and while unwinding in double.
struct Bomb;
impl Drop for Bomb {
    fn drop(&mut self) { panic!("boom in drop"); }
}
pub fn add(a: i64, b: i64) -> i64 {
    let _bomb = Bomb;
    a + b
}
pub fn double(x: i64) -> i64 { 2 * x }
