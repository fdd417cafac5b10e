//! The grading harness of mlings.
//!
//! An exercise's suite is a [`Suite`]: its steps and a list of [`Check`]s, each with a name, a step,
//! points and a [`Visibility`]. [`Suite::run`] runs them through a libtest-compatible runner, so
//! `cargo test -p <exercise>` reads like any other test run, with three additions:
//!
//! - every check runs on its own thread under a time limit, so an endless loop fails that check as
//!   timed out while the others still run;
//! - a panic is caught per check, and a `todo!()` reads as "not implemented yet";
//! - when the environment variable [`REPORT_ENV`] names a file, the harness opens it before any
//!   check runs and streams one JSON [`Record`] per line into it as checks start and finish, so a
//!   process that dies midway still leaves the results it had (see [`read_stream`]);
//! - [`LIST_ARG`] prints the suite's [`Listing`] (checks, steps, points, time limits) as JSON
//!   without running any check: what a grader trusts, rather than what a run reports.
//!
//! Checks compare numbers with [`assert::close`] and [`assert::close_array`], which say what was
//! expected, what came out, by how much and with which tolerance, add how the result relates to
//! the expected one when the numbers show it ([`relation`]: "your result is 2 × the expected",
//! "only the last column is wrong"), and attach a hint when the result matches a known learner
//! mistake. [`guard`] checks shapes before learner code is trusted with them, and names a shape
//! panic inside learner code by the learner's function and its inputs' shapes.

pub mod panics;
#[cfg(feature = "plot")]
pub mod plot;
pub mod report;
mod step;

#[cfg(feature = "harness")]
pub mod assert;
#[cfg(feature = "harness")]
mod check;
#[cfg(feature = "harness")]
pub mod confine;
#[cfg(feature = "harness")]
mod expect;
#[cfg(feature = "harness")]
pub mod guard;
#[cfg(feature = "harness")]
pub mod relation;
#[cfg(feature = "harness")]
mod runner;

#[cfg(feature = "harness")]
pub use check::{Check, Failure, Outcome, OutcomeExt, Suite, fail};
#[cfg(feature = "harness")]
pub use expect::{expect_err, ok, unexpected};
pub use report::{
    CheckReport, Header, ListedCheck, Listing, Record, Report, Status, StepReport, Stream,
    StreamError, Visibility, read_stream, trial_name,
};
pub use step::Step;

/// The environment variable that names the file a run streams its JSON [`Record`]s to.
pub const REPORT_ENV: &str = "MLINGS_REPORT";

/// The argument that makes a suite print its [`Listing`] as JSON and exit, running no check.
pub const LIST_ARG: &str = "--mlings-checks";

/// The environment variable that overrides every check's time limit, in seconds.
pub const TIMEOUT_ENV: &str = "MLINGS_CHECK_TIMEOUT";

/// The environment variable with which batch grading asks the harness to confine itself before
/// any check runs (see `confine`): set to `1` by the batch grader's sandbox, never by `cargo test`.
pub const CONFINE_ENV: &str = "MLINGS_CONFINE";
