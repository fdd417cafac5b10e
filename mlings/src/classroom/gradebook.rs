//! The batch's outputs: `gradebook.csv` (one row per student) and per-student feedback in
//! Markdown, where hidden checks show only pass or fail and their points.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use mlings_grader::Status;

use super::batch::{ExerciseOutcome, StudentResult};
use crate::kit::Exercise;

/// Writes `OUT/gradebook.csv` and `OUT/feedback/STUDENT.md`.
pub fn write(out: &Path, exercises: &[Exercise], results: &[StudentResult]) -> Result<()> {
    // Steps and maxima come from any graded report of the exercise.
    let mut steps: BTreeMap<&str, Vec<(u32, String, u32)>> = BTreeMap::new();
    let mut maxima: BTreeMap<&str, u32> = BTreeMap::new();
    for result in results {
        for (dir, outcome) in &result.exercises {
            if let ExerciseOutcome::Graded { report, .. } = outcome {
                steps.entry(dir).or_insert_with(|| {
                    report
                        .steps
                        .iter()
                        .map(|s| (s.number, s.name.clone(), report.step_score(s.number).1))
                        .collect()
                });
                maxima.entry(dir).or_insert(report.max_score);
            }
        }
    }

    let path = out.join("gradebook.csv");
    let mut csv = csv::Writer::from_path(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut header = vec!["student".to_owned()];
    for exercise in exercises {
        header.push(exercise.dir.clone());
        for (number, name, _) in steps.get(exercise.dir.as_str()).into_iter().flatten() {
            header.push(format!("{} step {number} {name}", exercise.dir));
        }
        header.push(format!("{} status", exercise.dir));
    }
    header.extend([
        "total".to_owned(),
        "max_total".to_owned(),
        "flags".to_owned(),
    ]);
    csv.write_record(&header)?;
    let max_total: u32 = maxima.values().sum();
    for result in results {
        let mut row = vec![result.student.clone()];
        let mut flags = result.flags.clone();
        for exercise in exercises {
            let outcome = result.exercises.get(&exercise.dir);
            row.push(outcome.map_or(0, ExerciseOutcome::score).to_string());
            for (number, _, _) in steps.get(exercise.dir.as_str()).into_iter().flatten() {
                let points = match outcome {
                    Some(ExerciseOutcome::Graded { report, .. }) => report.step_score(*number).0,
                    _ => 0,
                };
                row.push(points.to_string());
            }
            let label = outcome.map_or("missing", ExerciseOutcome::label);
            row.push(label.to_owned());
            if let Some(ExerciseOutcome::Refused { violations }) = outcome {
                flags.extend(violations.iter().map(|v| format!("refused: {v}")));
            }
        }
        row.push(result.total().to_string());
        row.push(max_total.to_string());
        row.push(flags.join("; "));
        csv.write_record(&row)?;
    }
    csv.flush()?;

    let feedback = out.join("feedback");
    std::fs::create_dir_all(&feedback)?;
    for result in results {
        let text = feedback_markdown(exercises, result, &maxima);
        crate::sync::write_atomic(
            &feedback.join(format!("{}.md", result.student)),
            text.as_bytes(),
        )?;
    }
    Ok(())
}

/// One student's feedback. Hidden checks: name, pass or fail, points; nothing else.
pub fn feedback_markdown(
    exercises: &[Exercise],
    result: &StudentResult,
    maxima: &BTreeMap<&str, u32>,
) -> String {
    let mut md = String::new();
    let max_total: u32 = maxima.values().sum();
    let _ = writeln!(md, "# Feedback for {}\n", result.student);
    let _ = writeln!(md, "Total: **{} / {max_total}** points\n", result.total());
    if !result.flags.is_empty() {
        let _ = writeln!(md, "## Notes\n");
        for flag in &result.flags {
            let _ = writeln!(md, "- {flag}");
        }
        md.push('\n');
    }
    for exercise in exercises {
        let outcome = result.exercises.get(&exercise.dir);
        let max = maxima.get(exercise.dir.as_str()).copied().unwrap_or(0);
        let score = outcome.map_or(0, ExerciseOutcome::score);
        let _ = writeln!(md, "## {} — {score} / {max}\n", exercise.dir);
        match outcome {
            None | Some(ExerciseOutcome::Missing) => {
                let _ = writeln!(md, "No sources were submitted for this exercise.\n");
            }
            Some(ExerciseOutcome::Refused { violations }) => {
                let _ = writeln!(
                    md,
                    "Not graded: the code uses something the grader does not allow \
                     (no exercise needs it):\n"
                );
                for v in violations {
                    let _ = writeln!(md, "- `{v}`");
                }
                md.push('\n');
            }
            Some(ExerciseOutcome::DoesNotCompile { detail }) => {
                let _ = writeln!(
                    md,
                    "Does not compile:\n\n```text\n{}\n```\n",
                    detail.trim_end()
                );
            }
            Some(ExerciseOutcome::Crashed { .. }) => {
                let _ = writeln!(
                    md,
                    "The grading process crashed (a stack overflow, running out of memory or \
                     an abort) before it could report.\n"
                );
            }
            Some(ExerciseOutcome::TimedOut) => {
                let _ = writeln!(md, "The grading ran past its time limit.\n");
            }
            Some(ExerciseOutcome::Graded { report, note }) => {
                if note.is_some() {
                    let _ = writeln!(
                        md,
                        "The grading process crashed (a stack overflow, running out of memory \
                         or an abort), so each check was run on its own; a check that crashed \
                         earns nothing.\n"
                    );
                }
                let _ = writeln!(md, "| step | check | result | points |\n|---|---|---|---|");
                for check in &report.checks {
                    let mark = if check.status == Status::Passed {
                        "pass"
                    } else {
                        "fail"
                    };
                    let _ = writeln!(
                        md,
                        "| {} | {}{} | {mark} | {} / {} |",
                        check.step,
                        check.name,
                        if check.visibility == "hidden" {
                            " (hidden)"
                        } else {
                            ""
                        },
                        check.points,
                        check.max_points
                    );
                }
                md.push('\n');
                for check in report
                    .checks
                    .iter()
                    .filter(|c| c.status != Status::Passed && c.visibility != "hidden")
                {
                    let _ = writeln!(md, "### {}\n\n```text\n{}\n```", check.name, check.message);
                    if let Some(hint) = &check.hint {
                        let _ = writeln!(md, "Hint: {hint}");
                    }
                    md.push('\n');
                }
            }
        }
    }
    md
}
