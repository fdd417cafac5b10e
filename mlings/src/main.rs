//! `mlings`: the learner's and the author's command line.
//!
//! Everything that runs learner code goes through cargo in a child process ([`cargo`]), so a
//! compile error or a crash in one exercise shows as that exercise's status and never breaks the CLI.

mod cargo;
mod cli;
mod commands;
mod kit;
mod show;
mod stubs;
mod sync;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Commands};
use crate::kit::Kit;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("mlings: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Ok(false)` means it ran and found something to fix.
fn run(cli: Cli) -> anyhow::Result<bool> {
    let kit = Kit::locate()?;
    match cli.command {
        None => commands::home(&kit).map(|_| true),
        Some(Commands::List) => commands::list(&kit).map(|()| true),
        Some(Commands::Grade {
            exercises,
            reference,
            json,
        }) => commands::grade(&kit, &exercises, reference, json.as_deref()),
        Some(Commands::Verify) => commands::verify(&kit),
        Some(Commands::Sync { check, force }) => sync::run(&kit, sync::Options { check, force }),
    }
}
