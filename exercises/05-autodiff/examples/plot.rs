//! Figures of this crate's engine for `mlings plot 5`: the computation graph of micrograd's
//! expression with every node's value and gradient (see `tests/05-autodiff/plot.rs`).
//!
//! `cargo run -p autodiff --example plot -- figures.json` writes them as JSON.
use autodiff as sut;

#[path = "../../../tests/05-autodiff/plot.rs"]
mod plot;

fn main() {
    plot::main()
}
