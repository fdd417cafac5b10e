//! Grades this crate with the suite of exercise 05 (`tests/05-autodiff/`).
use autodiff as sut;

#[path = "../../../tests/05-autodiff/mod.rs"]
mod suite;

fn main() {
    suite::suite().run()
}
