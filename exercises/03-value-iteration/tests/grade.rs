//! Grades this crate with the suite of exercise 03 (`tests/03-value-iteration/`).
use value_iteration as sut;

#[path = "../../../tests/03-value-iteration/mod.rs"]
mod suite;

fn main() {
    suite::suite().run()
}
