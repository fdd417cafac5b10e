//! Grades this crate with the suite of exercise 02 (`tests/02-neural-network/`).
use neural_network_solution as sut;

#[path = "../../../tests/02-neural-network/mod.rs"]
mod suite;

fn main() {
    suite::suite().run()
}
