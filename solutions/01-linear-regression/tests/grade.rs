//! g
fn main() {}
