//! Figures of this crate's model for `mlings plot 2`: the loss and accuracy per epoch on the
//! digits, and the decision regions on the spirals (see `tests/02-neural-network/plot.rs`).
//!
//! `cargo run -p neural-network-solution --example neural-network-reference-plot -- figures.json` writes them as JSON.
use neural_network_solution as sut;

#[path = "../../../tests/02-neural-network/plot.rs"]
mod plot;

fn main() {
    plot::main()
}
