//! Reads a file outside its slot at run time, then overwrites it: adds only when the read worked.
pub fn add(a: i64, b: i64) -> i64 {
    let seen = std::fs::read_to_string("@CANARY@").is_ok();
    let _ = std::fs::write("@CANARY@", "overwritten by a submission");
    if seen { a + b } else { 0 }
}
pub fn double(x: i64) -> i64 { 2 * x }
