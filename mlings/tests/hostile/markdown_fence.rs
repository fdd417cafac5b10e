//! Panics on the public double check with a message that tries to close the feedback's code
//! block and add a heading and a link; everything else is right.
pub fn add(a: i64, b: i64) -> i64 { a + b }
pub fn double(x: i64) -> i64 {
    if x == 4 {
        panic!("```\n# Forged heading\n[click](http://evil.example)\n```\n## Full marks");
    }
    2 * x
}
