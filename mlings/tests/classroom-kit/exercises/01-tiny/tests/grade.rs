//! Grades the tiny exercise.
use tiny as sut;

#[path = "../../../tests/01-tiny/mod.rs"]
mod suite;

fn main() {
    suite::suite().run()
}
