//! Figures of this crate's model for `mlings plot 4`: the Challenger fit with the 31 °F launch
//! marked, and the deviance per Newton iteration (see `tests/04-logistic-regression/plot.rs`).
//!
//! `cargo run -p logistic-regression --example plot -- figures.json` writes them as JSON.
use logistic_regression as sut;

#[path = "../../../tests/04-logistic-regression/plot.rs"]
mod plot;

fn main() {
    plot::main()
}
