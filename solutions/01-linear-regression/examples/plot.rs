//! Figures of this crate's model for `mlings plot 1`: NIST Filip with the polynomial fitted by
//! QR and its residuals, and the loss of gradient descent per iteration (see
//! `tests/01-linear-regression/plot.rs`).
//!
//! `cargo run -p linear-regression-solution --example linear-regression-reference-plot -- figures.json` writes them as JSON.
use linear_regression_solution as sut;

#[path = "../../../tests/01-linear-regression/plot.rs"]
mod plot;

fn main() {
    plot::main()
}
