//! The batch's outputs: `gradebook.csv` (one row per student) and per-student feedback in
//! Markdown, where hidden checks show only pass or fail and their points. Neither lets student
//! text act: no cell is a formula, no name or message is markup.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use mlings_grader::{Listing, Status, StepReport, Visibility};

use super::escape::{self, csv_cell, md_fence, md_inline};
use crate::kit::Exercise;
use crate::outcome::{ExerciseOutcome, StudentResult};

/// Writes `OUT/gradebook.csv` and `OUT/feedback/STUDENT.md`. Steps and maxima come from the
/// suites' trusted `listings`, never from a student's report.
pub fn write(
    out: &Path,
    exercises: &[Exercise],
    listings: &BTreeMap<String, Listing>,
    results: &[StudentResult],
) -> Result<()> {
    let steps = |dir: &str| -> Vec<StepReport> {
        listings
            .get(dir)
            .map(|l| l.steps.clone())
            .unwrap_or_default()
    };
    let path = out.join("gradebook.csv");
    let mut csv = csv::Writer::from_path(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut header = vec!["student".to_owned()];
    for exercise in exercises {
        header.push(exercise.dir.clone());
        for step in steps(&exercise.dir) {
            header.push(format!(
                "{} step {} {}",
                exercise.dir, step.number, step.name
            ));
        }
        header.push(format!("{} status", exercise.dir));
    }
    header.extend([
        "total".to_owned(),
        "max_total".to_owned(),
        "flags".to_owned(),
    ]);
    csv.write_record(header.iter().map(|cell| csv_cell(cell)))?;
    let max_total: u32 = listings.values().map(Listing::max_score).sum();
    for result in results {
        let mut row = vec![result.student.clone()];
        let mut flags = result.flags.clone();
        for exercise in exercises {
            let outcome = result.exercises.get(&exercise.dir);
            row.push(outcome.map_or(0, ExerciseOutcome::score).to_string());
            for step in steps(&exercise.dir) {
                let points = match outcome {
                    Some(ExerciseOutcome::Graded { report, .. }) => {
                        report.step_score(step.number).0
                    }
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
        row.push(escape::one_line(&flags.join("; ")));
        csv.write_record(row.iter().map(|cell| csv_cell(cell)))?;
    }
    csv.flush()?;

    let feedback = out.join("feedback");
    std::fs::create_dir_all(&feedback)?;
    let mut written = std::collections::BTreeSet::new();
    for result in results {
        let text = feedback_markdown(exercises, listings, result);
        let name = format!("{}.md", escape::file_name(&result.student));
        crate::fsutil::write_atomic(&feedback.join(&name), text.as_bytes())?;
        written.insert(name);
    }
    // The feedback of a submission removed since the last run goes with it.
    crate::fsutil::remove_others(&feedback, "md", &written)?;
    Ok(())
}

/// One student's feedback. Hidden checks: name, pass or fail, points; nothing else. Student
/// text (their name, file names, messages, compiler errors) is escaped or fenced: it can never
/// become a heading, a link or the end of a code block.
pub fn feedback_markdown(
    exercises: &[Exercise],
    listings: &BTreeMap<String, Listing>,
    result: &StudentResult,
) -> String {
    let mut md = String::new();
    let max_total: u32 = listings.values().map(Listing::max_score).sum();
    let _ = writeln!(md, "# Feedback for {}\n", md_inline(&result.student));
    let _ = writeln!(md, "Total: **{} / {max_total}** points\n", result.total());
    if !result.flags.is_empty() {
        let _ = writeln!(md, "## Notes\n");
        for flag in &result.flags {
            let _ = writeln!(md, "- {}", md_inline(flag));
        }
        md.push('\n');
    }
    for exercise in exercises {
        let outcome = result.exercises.get(&exercise.dir);
        let max = listings.get(&exercise.dir).map_or(0, Listing::max_score);
        let score = outcome.map_or(0, ExerciseOutcome::score);
        let _ = writeln!(md, "## {} — {score} / {max}\n", exercise.dir);
        match outcome {
            None | Some(ExerciseOutcome::Missing) => {
                let _ = writeln!(md, "No sources were submitted for this exercise.\n");
            }
            Some(ExerciseOutcome::NotTaken { reason }) => {
                let _ = writeln!(md, "Not graded: {}\n", md_inline(reason));
            }
            Some(ExerciseOutcome::NotGraded { .. }) => {
                let _ = writeln!(
                    md,
                    "Not graded yet: the grader failed on this submission (not your doing); \
                     your instructor will grade it again.\n"
                );
            }
            Some(ExerciseOutcome::Refused { violations }) => {
                let _ = writeln!(
                    md,
                    "Not graded: the code uses something the grader does not allow \
                     (no exercise needs it):\n"
                );
                for v in violations {
                    let _ = writeln!(md, "- {}", md_inline(v));
                }
                md.push('\n');
            }
            Some(ExerciseOutcome::DoesNotCompile { detail }) => {
                let _ = writeln!(md, "Does not compile:\n\n{}", md_fence(detail));
            }
            Some(ExerciseOutcome::Crashed { .. }) => {
                let _ = writeln!(
                    md,
                    "The grading process crashed before it began, or what it reported does not \
                     match the suite; nothing is scored.\n"
                );
            }
            Some(ExerciseOutcome::TimedOut) => {
                let _ = writeln!(md, "The grading ran past its time limit.\n");
            }
            Some(ExerciseOutcome::Graded { report, note }) => {
                if note.is_some() {
                    let _ = writeln!(
                        md,
                        "The grading process crashed or hung (a stack overflow, running out of \
                         memory, an abort or a loop); the checks it finished keep their results, \
                         the others were run once more, and a check that crashed or ran out of \
                         time earns nothing.\n"
                    );
                }
                let _ = writeln!(md, "| step | check | result | points |\n|---|---|---|---|");
                for check in &report.checks {
                    let mark = match check.status {
                        Status::Passed => "pass",
                        Status::TimedOut => "fail (timed out)",
                        Status::Crashed => "fail (crashed)",
                        _ => "fail",
                    };
                    // Check names are the suite's own: a report naming any other is refused.
                    let _ = writeln!(
                        md,
                        "| {} | {}{} | {mark} | {} / {} |",
                        check.step,
                        check.name,
                        if check.visibility == Visibility::Hidden {
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
                    .filter(|c| c.status != Status::Passed && c.visibility != Visibility::Hidden)
                {
                    let mut text = check.message.clone();
                    if let Some(hint) = &check.hint {
                        text.push_str("\nhint: ");
                        text.push_str(hint);
                    }
                    let _ = writeln!(md, "### {}\n\n{}", check.name, md_fence(&text));
                }
            }
        }
    }
    md
}
