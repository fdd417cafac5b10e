//! The learner's experience around grading: progress state, tiered hints, safe reset, reference
//! solutions and watch mode.

pub mod hints;
pub mod reset;
pub mod solution;
pub mod state;
pub mod watch;

/// Whether mlings talks with a person: both stdin and stdout are terminals.
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}
