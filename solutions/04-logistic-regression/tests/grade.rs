//! Grades this crate with the suite of exercise 04 (`tests/04-logistic-regression/`).
use logistic_regression_solution as sut;

#[path = "../../../tests/04-logistic-regression/mod.rs"]
mod suite;

fn main() {
    suite::suite().run()
}
