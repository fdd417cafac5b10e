//! The grading harness of mlings.
//!
//! An exercise's suite is a [`Suite`]: its steps and a list of [`Check`]s, each with a name, a step,
//! points and a [`Visibility`]. [`Suite::run`] runs them through a libtest-compatible runner, so
//! `cargo test -p <exercise>` reads like any other test run, with three additions:
//!
//! - every check runs on its own thread under a time limit, so an endless loop fails that check as
//!   timed out while the others still run;
//! - a panic is caught per check, and a `todo!()` reads as "not implemented yet";
//! - when the environment variable [`REPORT_ENV`] names a file, a JSON [`Report`] with the score of
//!   every check is written there.
//!
//! Checks compare numbers with [`assert::close`] and [`assert::close_array`], which say what was
//! expected, what came out, by how much and with which tolerance, and attach a hint when the result
//! matches a known learner mistake.

#[cfg(feature = "plot")]
pub mod plot;
pub mod report;

#[cfg(feature = "harness")]
pub mod assert;
#[cfg(feature = "harness")]
mod check;
#[cfg(feature = "harness")]
pub mod confine;
#[cfg(feature = "harness")]
mod runner;

#[cfg(feature = "harness")]
pub use check::{Check, Failure, Outcome, OutcomeExt, Step, Suite, Visibility, fail};
pub use report::{CheckReport, Report, Status, StepReport};

/// The environment variable that names the file a run writes its JSON [`Report`] to.
pub const REPORT_ENV: &str = "MLINGS_REPORT";

/// The environment variable that overrides every check's time limit, in seconds.
pub const TIMEOUT_ENV: &str = "MLINGS_CHECK_TIMEOUT";

/// The environment variable with which batch grading asks the harness to confine itself before
/// any check runs (see `confine`): set to `1` by the batch grader's sandbox, never by `cargo test`.
pub const CONFINE_ENV: &str = "MLINGS_CONFINE";
