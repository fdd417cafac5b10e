//! `mlings`: the learner's and the author's command line.
//!
//! Everything that runs learner code goes through cargo in a child process ([`cargo`]), so a
//! compile error or a crash in one exercise shows as that exercise's status and never breaks the CLI.

mod agreement;
mod bench;
mod calibrate;
mod cargo;
mod classroom;
mod cli;
mod commands;
mod corpus;
mod fsutil;
mod generate;
mod kit;
mod learner;
mod manifest;
mod near_solution;
mod outcome;
mod plot;
mod process;
mod scaffold;
mod show;
mod stubs;
mod sync;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Commands};
use crate::kit::Kit;

fn main() -> ExitCode {
    // Batch builds run mlings as cargo's rustc wrapper, with arguments that are rustc's.
    if let Some(code) = classroom::rustc_wrapper::run_if_wrapper() {
        return code;
    }
    let cli = Cli::parse();
    if let Some(Commands::Sandbox(args)) = &cli.command {
        return classroom::sandbox::launch(args);
    }
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
        None if learner::interactive() => learner::watch::run(&kit, cli.manual),
        None => commands::home(&kit).map(|_| true),
        Some(Commands::Hint { exercise, step }) => {
            learner::hints::run(&kit, exercise.as_deref(), step)
        }
        Some(Commands::Reset {
            exercise,
            step,
            yes,
        }) => learner::reset::run(
            &kit,
            learner::reset::Options {
                exercise: &exercise,
                step,
                yes,
            },
        ),
        Some(Commands::Solution { exercise, force }) => {
            learner::solution::run(&kit, &exercise, force)
        }
        Some(Commands::Plot {
            exercise,
            reference,
            timeout,
            out,
        }) => plot::run(
            &kit,
            plot::Options {
                exercise: &exercise,
                reference,
                timeout: std::time::Duration::from_secs(timeout),
                out: out.as_deref(),
            },
        ),
        Some(Commands::List) => commands::list(&kit).map(|()| true),
        Some(Commands::Grade {
            exercises,
            reference,
            json,
        }) => commands::grade(&kit, &exercises, reference, json.as_deref()),
        Some(Commands::GradeBatch(args)) => classroom::batch::run(&kit, &args),
        Some(Commands::Release { out }) => classroom::release::run(&kit, &out),
        Some(Commands::Gradescope(args)) => classroom::gradescope::run(&kit, &args),
        Some(Commands::GradescopeBundle { out }) => classroom::gradescope::bundle(&kit, &out),
        Some(Commands::Sandbox(_)) => Ok(false),
        Some(Commands::Bench(args)) => bench::run(&kit, &args),
        Some(Commands::Verify) => commands::verify(&kit),
        Some(Commands::Corpus { exercises }) => corpus::run(&kit, &exercises),
        Some(Commands::NearSolutions { exercises }) => near_solution::run(&kit, &exercises),
        Some(Commands::New { name }) => scaffold::run(&kit, &name),
        Some(Commands::Sync { check, force }) => sync::run(&kit, sync::Options { check, force }),
    }
}
