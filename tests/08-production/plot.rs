//! The figures of exercise 08 for `mlings plot 8`, drawn from the crate under test
//! (`crate::sut`):
//!
//! - `scale`: the learner's `scale` by 2 of evenly spaced points, on the exact line y = 2x.
//!
//! Pulled into both crates as their plot example (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure};
use ndarray::Array1;

use crate::sut;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    plot::emit("08-production", vec![plot::figure("scale", scaled)]);
}

fn scaled() -> Result<Figure, String> {
    let x = Array1::linspace(-1.0, 1.0, 21);
    let y = sut::scale(x.view(), 2.0).map_err(|e| format!("your code returned an error: {e}"))?;
    Ok(Figure::xy("scale", "x scaled by 2", "x", "scale(x, 2)")
        .line("y = 2x", [(-1.0, -2.0), (1.0, 2.0)])
        .points("your scale", x.iter().copied().zip(y.iter().copied())))
}
