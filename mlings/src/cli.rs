//! The command line: clap derive, where each doc comment is the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Graded, hands-on exercises in machine-learning fundamentals.
///
/// With no command: the progress of every exercise, then what to fix next in the current one.
#[derive(Debug, Parser)]
#[command(name = "mlings", version, about, long_about)]
pub struct Cli {
    /// What to do; with none, show progress and the next thing to fix.
    #[command(subcommand)]
    pub command: Option<Commands>,
}

/// The commands of mlings.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// List the exercises, their steps, and the points scored out of the points available.
    List,
    /// Grade exercises and print every check's result.
    ///
    /// The exit status is 0 only when every graded check passed.
    Grade {
        /// Exercises to grade, by directory, crate or number (`01-linear-regression`,
        /// `linear-regression`, `1`); all of them when none is named.
        exercises: Vec<String>,
        /// Grade the reference solutions instead of the exercises.
        #[arg(long)]
        reference: bool,
        /// Also write a machine-readable report of every check to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
    },
    /// Check the kit's invariants (for authors and CI): the stubs are in sync with the solutions,
    /// every check fails on the pristine stubs as not implemented, every check passes on the
    /// reference solutions.
    Verify,
    /// Regenerate the exercises' stubs from the reference solutions (for authors).
    ///
    /// Never overwrites a learner's edits silently: files changed since mlings generated them are
    /// only replaced with --force, after a backup under .mlings/backups/.
    Sync {
        /// Write nothing; fail when the stubs differ from what the solutions generate.
        #[arg(long, conflicts_with = "force")]
        check: bool,
        /// Replace stub files that were edited by hand, after backing them up.
        #[arg(long)]
        force: bool,
    },
}
