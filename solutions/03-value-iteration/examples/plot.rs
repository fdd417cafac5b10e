//! Figures of this crate's dynamic programming for `mlings plot 3`: V* and the optimal moves of
//! two gridworlds, and the largest change per sweep (see `tests/03-value-iteration/plot.rs`).
//!
//! `cargo run -p value-iteration-solution --example value-iteration-reference-plot -- figures.json` writes them as JSON.
use value_iteration_solution as sut;

#[path = "../../../tests/03-value-iteration/plot.rs"]
mod plot;

fn main() {
    plot::main()
}
