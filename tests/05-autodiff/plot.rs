//! Figures.
/// Nothing yet.
pub fn main() {}
