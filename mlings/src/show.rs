//! How results look on the terminal.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};
use mlings_grader::{CheckReport, Report, Status};

use crate::cargo::Outcome;
use crate::kit::Exercise;

/// Terminal styling, off when stdout is not a terminal or `NO_COLOR` is set.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// Styling suited to stdout.
    pub fn stdout() -> Paint {
        Paint {
            on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    /// Whether colours are on.
    pub fn enabled(self) -> bool {
        self.on
    }

    fn paint(self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// Green.
    pub fn good(self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }

    /// Red.
    pub fn bad(self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }

    /// Yellow.
    pub fn todo(self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }

    /// Bold.
    pub fn strong(self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// Dimmed.
    pub fn dim(self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
}

/// A one-character mark for a check's status.
pub fn mark(paint: Paint, status: Status) -> String {
    match status {
        Status::Passed => paint.good("✓"),
        Status::Failed => paint.bad("✗"),
        Status::TimedOut => paint.bad("⧗"),
        Status::Crashed | Status::NotStarted => paint.bad("✗"),
        Status::NotImplemented => paint.todo("○"),
    }
}

/// `points/max` for a whole outcome.
pub fn score(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Graded(report) => format!("{}/{}", report.score, report.max_score),
        Outcome::DoesNotCompile(_) => "does not compile".to_owned(),
        Outcome::Crashed(_) => "crashed".to_owned(),
    }
}

/// Every check of an exercise, grouped by step, with the failures explained.
pub fn full(paint: Paint, exercise: &Exercise, label: &str, outcome: &Outcome) {
    println!(
        "{} {}",
        paint.strong(&exercise.dir),
        paint.dim(&format!("({label})"))
    );
    match outcome {
        Outcome::Graded(report) => {
            for step in &report.steps {
                let (points, max) = report.step_score(step.number);
                if max == 0 {
                    continue;
                }
                println!("  step {} {:<26} {points:>3}/{max}", step.number, step.name);
                for check in report.checks.iter().filter(|c| c.step == step.number) {
                    println!(
                        "    {} {:<52} {:>2}/{}",
                        mark(paint, check.status),
                        check.name,
                        check.points,
                        check.max_points
                    );
                    if check.status != Status::Passed {
                        explain(paint, check, "        ");
                    }
                }
            }
            println!(
                "  {} {}/{}\n",
                paint.strong("total"),
                report.score,
                report.max_score
            );
        }
        Outcome::DoesNotCompile(diagnostics) => {
            println!("  {}", paint.bad("does not compile:"));
            println!("{}\n", indent(diagnostics.trim_end(), "    "));
        }
        Outcome::Crashed(detail) => {
            println!("  {}", paint.bad("crashed:"));
            println!("{}\n", indent(detail.trim_end(), "    "));
        }
    }
}

/// A failed check's message and hint.
pub fn explain(paint: Paint, check: &CheckReport, prefix: &str) {
    if !check.message.is_empty() {
        println!("{}", indent(&check.message, prefix));
    }
    if let Some(hint) = &check.hint {
        println!(
            "{}",
            indent(&format!("{} {hint}", paint.todo("hint:")), prefix)
        );
    }
}

/// A row of step marks: ● passed, ◐ partly, ○ not yet.
pub fn step_marks(paint: Paint, report: &Report) -> String {
    report
        .steps
        .iter()
        .map(|step| {
            let (points, max) = report.step_score(step.number);
            if max > 0 && points == max {
                paint.good("●")
            } else if points > 0 {
                paint.todo("◐")
            } else {
                "○".to_owned()
            }
        })
        .collect()
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
