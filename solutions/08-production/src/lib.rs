//! # Production
//!
//! Exercise 08 of mlings, as `mlings new` scaffolded it: replace this statement with the
//! exercise's own — the symbols, the shapes, the math, a worked example (docs/authoring.md).
//!
//! N is the number of elements.
//!
//! ## Steps (5 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 scale | [`scale`] | `scale.rs` | 5 |
//!
//! Run `cargo test -p production` to grade your work.

mod error;
mod scale;

pub use error::ProductionError;
pub use scale::scale;
