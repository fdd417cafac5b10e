//! A 512 MiB static: a huge compile and a huge executable.
static HUGE: [u8; 512 << 20] = [1; 512 << 20];
pub fn add(a: i64, b: i64) -> i64 { a + b + i64::from(HUGE[a.unsigned_abs() as usize % HUGE.len()]) - 1 }
pub fn double(x: i64) -> i64 { 2 * x }
