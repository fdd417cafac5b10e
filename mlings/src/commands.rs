//! The commands: what each one grades and prints.

use std::path::Path;

use anyhow::Result;
use mlings_grader::{CheckReport, Status, StepReport, Visibility};
use serde::Serialize;

use crate::cargo::{self, Outcome, Target};
use crate::fsutil::{rust_files, write_atomic};
use crate::kit::{Exercise, Kit};
use crate::outcome::ExerciseOutcome;
use crate::show::{self, Paint};
use crate::sync;

/// One exercise's entry in the JSON written by `grade --json`.
#[derive(Debug, Serialize)]
struct ExerciseJson<'a> {
    exercise: &'a str,
    package: String,
    /// `graded`, `does_not_compile` or `crashed` ([`ExerciseOutcome::kind`]).
    outcome: &'static str,
    score: u32,
    max_score: u32,
    steps: &'a [StepReport],
    checks: &'a [CheckReport],
    /// rustc's errors or the crash, when not graded.
    detail: Option<&'a str>,
}

/// The whole JSON written by `grade --json`.
#[derive(Debug, Serialize)]
struct GradeJson<'a> {
    score: u32,
    max_score: u32,
    exercises: Vec<ExerciseJson<'a>>,
}

/// Grades `exercises` one by one, showing progress on stderr.
fn grade_all(
    kit: &Kit,
    exercises: &[Exercise],
    target: Target,
    paint: Paint,
) -> Result<Vec<Outcome>> {
    cargo::prebuild(kit, exercises, target, paint.enabled())?;
    exercises
        .iter()
        .map(|exercise| {
            eprintln!("{}", paint.dim(&format!("grading {}…", exercise.dir)));
            cargo::grade(kit, exercise, target, paint.enabled())
        })
        .collect()
}

/// `mlings grade`: returns whether every check passed.
pub fn grade(kit: &Kit, names: &[String], reference: bool, json: Option<&Path>) -> Result<bool> {
    let paint = Paint::stdout();
    let exercises = kit.select(names)?;
    let target = if reference {
        Target::Reference
    } else {
        Target::Learner
    };
    let outcomes = grade_all(kit, &exercises, target, paint)?;
    if target == Target::Learner {
        crate::learner::state::record_outcomes(kit, &exercises, &outcomes);
    }
    let mut total = (0, 0);
    for (exercise, outcome) in exercises.iter().zip(&outcomes) {
        let label = match target {
            Target::Learner => exercise.package.clone(),
            Target::Reference => exercise.solution_package(),
        };
        show::full(paint, exercise, &label, outcome);
        if let Outcome::Graded(report) = outcome {
            total.0 += report.score;
            total.1 += report.max_score;
        }
    }
    println!("{} {}/{}", paint.strong("score"), total.0, total.1);

    if let Some(path) = json {
        let shared: Vec<ExerciseOutcome> = outcomes.iter().cloned().map(Into::into).collect();
        let entries = exercises
            .iter()
            .zip(&shared)
            .map(|(exercise, outcome)| json_entry(exercise, target, outcome))
            .collect();
        let report = GradeJson {
            score: total.0,
            max_score: total.1,
            exercises: entries,
        };
        write_atomic(path, serde_json::to_string_pretty(&report)?.as_bytes())?;
    }
    Ok(outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Graded(r) if r.all_passed())))
}

fn json_entry<'a>(
    exercise: &'a Exercise,
    target: Target,
    outcome: &'a ExerciseOutcome,
) -> ExerciseJson<'a> {
    let package = match target {
        Target::Learner => exercise.package.clone(),
        Target::Reference => exercise.solution_package(),
    };
    let report = outcome.report();
    ExerciseJson {
        exercise: &exercise.dir,
        package,
        outcome: outcome.kind(),
        score: report.map_or(0, |r| r.score),
        max_score: report.map_or(0, |r| r.max_score),
        steps: report.map_or(&[], |r| &r.steps),
        checks: report.map_or(&[], |r| &r.checks),
        detail: outcome.detail(),
    }
}

/// `mlings list`: every exercise with its steps and points.
pub fn list(kit: &Kit) -> Result<()> {
    let paint = Paint::stdout();
    let exercises = kit.exercises()?;
    let outcomes = grade_all(kit, &exercises, Target::Learner, paint)?;
    for (exercise, outcome) in exercises.iter().zip(&outcomes) {
        println!(
            "{:<26} {:>18}   {}",
            paint.strong(&exercise.dir),
            show::score(outcome),
            paint.dim(&format!("cargo test -p {}", exercise.package))
        );
        if let Outcome::Graded(report) = outcome {
            for step in &report.steps {
                let (points, max) = report.step_score(step.number);
                println!("    {} {:<24} {points:>3}/{max}", step.number, step.name);
            }
        }
    }
    Ok(())
}

/// `mlings` with no command: the progress table, then the next thing to fix.
pub fn home(kit: &Kit) -> Result<bool> {
    let paint = Paint::stdout();
    let exercises = kit.exercises()?;
    let outcomes = grade_all(kit, &exercises, Target::Learner, paint)?;
    crate::learner::state::record_outcomes(kit, &exercises, &outcomes);

    println!(
        "{}\n",
        paint.strong("mlings — machine-learning fundamentals, implemented by hand")
    );
    for (exercise, outcome) in exercises.iter().zip(&outcomes) {
        let marks = match outcome {
            Outcome::Graded(report) => show::step_marks(paint, report),
            _ => paint.bad("✗"),
        };
        println!(
            "  {:<26} {:>18}   {marks}",
            exercise.dir,
            show::score(outcome)
        );
    }
    if !kit.root.join("solutions").is_dir() {
        println!(
            "\n  {}",
            paint.dim(
                "Points count this copy's public checks; your instructor's grading adds hidden \
                 checks, which the statements' step tables count too."
            )
        );
    }
    println!();

    // The exercise the learner chose (with `n` or `p` in watch mode) comes first while it is not
    // done; else the first exercise that is not done.
    let chosen = crate::learner::state::State::load(kit).current;
    let unfinished =
        |outcome: &Outcome| !matches!(outcome, Outcome::Graded(report) if report.all_passed());
    let current = exercises
        .iter()
        .zip(&outcomes)
        .find(|(exercise, outcome)| {
            chosen.as_deref() == Some(exercise.dir.as_str()) && unfinished(outcome)
        })
        .or_else(|| {
            exercises
                .iter()
                .zip(&outcomes)
                .find(|(_, outcome)| unfinished(outcome))
        });
    let Some((exercise, outcome)) = current else {
        println!(
            "{}",
            paint.good("Every exercise passes every check. Well done!")
        );
        return Ok(true);
    };
    let src = exercise.path().join("src");
    match outcome {
        Outcome::Graded(report) => {
            let check = report.first_failure().expect("not all passed");
            let step = report
                .steps
                .iter()
                .find(|s| s.number == check.step)
                .map_or(String::new(), |s| format!("step {} {}", s.number, s.name));
            println!(
                "{} {} — {step}",
                paint.strong("Next:"),
                paint.strong(&exercise.dir)
            );
            println!("  {} {}", show::mark(paint, check.status), check.name);
            show::explain(paint, check, "    ");
        }
        Outcome::DoesNotCompile(diagnostics) => {
            println!(
                "{} {} does not compile:",
                paint.strong("Next:"),
                exercise.dir
            );
            println!("{}", diagnostics.trim_end());
        }
        Outcome::Crashed(detail) => {
            println!("{} {} crashed:", paint.strong("Next:"), exercise.dir);
            println!("{}", detail.trim_end());
        }
    }
    println!(
        "\nEdit {} and run `cargo run --release` again; `cargo test -p {}` grades just this \
         exercise, `cargo doc -p {} --open` shows its statement.",
        src.display(),
        exercise.package,
        exercise.package
    );
    Ok(false)
}

/// The files of `exercise`'s `src/` (relative to the kit root) that are not the generated stub.
fn edited_stub_files(kit: &Kit, exercise: &Exercise) -> Result<Vec<String>> {
    let stubs = sync::stubs_of(kit, exercise)?;
    let mut edited = Vec::new();
    for (path, content) in &stubs {
        if std::fs::read_to_string(kit.root.join(path)).ok().as_ref() != Some(content) {
            edited.push(path.clone());
        }
    }
    let src = kit.root.join(exercise.path()).join("src");
    if src.is_dir() {
        for file in rust_files(&src)? {
            let relative = file.strip_prefix(&kit.root).unwrap_or(&file);
            let relative = relative.to_string_lossy().replace('\\', "/");
            if !stubs.is_empty() && !stubs.contains_key(&relative) {
                edited.push(relative);
            }
        }
    }
    Ok(edited)
}

/// `mlings verify`: returns whether every invariant of the kit holds.
pub fn verify(kit: &Kit) -> Result<bool> {
    let paint = Paint::stdout();
    let mut problems = Vec::new();
    if !sync::run(
        kit,
        sync::Options {
            check: true,
            force: false,
        },
    )? {
        problems.push("the stubs are out of sync with the solutions".to_owned());
    }
    let exercises = kit.exercises()?;
    let stubs = grade_all(kit, &exercises, Target::Learner, paint)?;
    let references = grade_all(kit, &exercises, Target::Reference, paint)?;
    for ((exercise, stub), reference) in exercises.iter().zip(&stubs).zip(&references) {
        match (stub, reference) {
            (Outcome::Graded(stub), Outcome::Graded(reference)) => {
                let stub_names: Vec<&str> = stub.checks.iter().map(|c| c.name.as_str()).collect();
                let reference_names: Vec<&str> =
                    reference.checks.iter().map(|c| c.name.as_str()).collect();
                if stub_names != reference_names {
                    problems.push(format!(
                        "{}: the stub and the solution run different checks",
                        exercise.dir
                    ));
                }
                if stub.checks.is_empty() {
                    problems.push(format!("{}: the suite has no checks", exercise.dir));
                }
                let edited = edited_stub_files(kit, exercise)?;
                if !edited.is_empty() {
                    problems.push(format!(
                        "{}: not pristine: {} differ from the stub the solution generates, so the \
                         stub's checks cannot be verified (`mlings sync --force` backs them up \
                         under .mlings/backups/ and restores the stubs)",
                        exercise.dir,
                        edited.join(", ")
                    ));
                }
                for check in stub
                    .checks
                    .iter()
                    .filter(|c| edited.is_empty() && c.status != Status::NotImplemented)
                {
                    problems.push(format!(
                        "{}: `{}` is {:?} on the pristine stub, not NotImplemented{}",
                        exercise.dir,
                        check.name,
                        check.status,
                        if check.status == Status::Passed {
                            " (free points)"
                        } else {
                            ""
                        }
                    ));
                }
                for check in reference
                    .checks
                    .iter()
                    .filter(|c| c.status != Status::Passed)
                {
                    problems.push(format!(
                        "{}: `{}` is {:?} on the reference solution: {}",
                        exercise.dir, check.name, check.status, check.message
                    ));
                }
                println!(
                    "{:<26} {} checks, {} points: stub {}/{}, reference {}/{}",
                    exercise.dir,
                    reference.checks.len(),
                    reference.max_score,
                    stub.score,
                    stub.max_score,
                    reference.score,
                    reference.max_score
                );
            }
            (stub, reference) => {
                for (what, outcome) in [("stub", stub), ("reference", reference)] {
                    if !matches!(outcome, Outcome::Graded(_)) {
                        problems.push(format!(
                            "{}: the {what} {}",
                            exercise.dir,
                            show::score(outcome)
                        ));
                        show::full(paint, exercise, what, outcome);
                    }
                }
            }
        }
    }
    problems.extend(manifest_disagreements(kit, &exercises, &references)?);
    problems.extend(release_leaks(kit, &references)?);
    problems.extend(policy_violations(kit, &exercises)?);
    problems.extend(graded_by_scratch_copies(kit, &exercises, paint)?);
    if problems.is_empty() {
        println!("{}", paint.good("kit verified: every invariant holds"));
        return Ok(true);
    }
    for problem in &problems {
        println!("{} {problem}", paint.bad("✗"));
    }
    Ok(false)
}

/// What needs a scratch copy of the kit: every near-solution compiles in its stub and scores its
/// step's points, and every mistake of a corpus is caught with its hint while every correct
/// variant scores full marks.
fn graded_by_scratch_copies(
    kit: &Kit,
    exercises: &[Exercise],
    paint: Paint,
) -> Result<Vec<String>> {
    let scratch = crate::corpus::Scratch::prepare(kit)?;
    let mut problems = Vec::new();
    for exercise in exercises {
        let checked = crate::near_solution::check(kit, &scratch, exercise)?;
        println!("{:<26} {}", exercise.dir, checked.summary());
        problems.extend(checked.problems);
    }
    let with_corpus = crate::corpus::with_corpus(kit, exercises);
    let (_, found) = crate::corpus::run_all(kit, &scratch, &with_corpus, paint)?;
    problems.extend(found);
    Ok(problems)
}

/// Every disagreement between an exercise's manifest and what repeats it (the suite's steps and
/// points, the `lib.rs` step table, the data files read); an exercise without a manifest is one.
fn manifest_disagreements(
    kit: &Kit,
    exercises: &[Exercise],
    references: &[Outcome],
) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for (exercise, reference) in exercises.iter().zip(references) {
        let path = crate::manifest::solution_manifest_path(kit, &exercise.dir);
        if !path.is_file() {
            found.push(format!(
                "{}: no manifest ({}); docs/authoring.md describes it",
                exercise.dir,
                path.strip_prefix(&kit.root).unwrap_or(&path).display()
            ));
            continue;
        }
        let manifest = crate::manifest::Manifest::load(&path)?;
        let report = match reference {
            Outcome::Graded(report) => Some(report),
            _ => None,
        };
        found.extend(crate::agreement::problems(
            kit, exercise, &manifest, report,
        )?);
    }
    Ok(found)
}

/// Builds the student release in a scratch folder and names every hidden check whose name appears
/// anywhere in it: a hidden check must not be discoverable from the copy students get.
fn release_leaks(kit: &Kit, references: &[Outcome]) -> Result<Vec<String>> {
    if !kit.root.join("solutions").is_dir() {
        return Ok(Vec::new());
    }
    let scratch = tempfile::tempdir()?;
    let out = scratch.path().join("release");
    crate::classroom::release::run(kit, &out)?;
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry?;
        if entry.file_type().is_file() {
            text.push_str(&entry.path().to_string_lossy());
            text.push('\n');
            if let Ok(content) = std::fs::read_to_string(entry.path()) {
                text.push_str(&content);
            }
        }
    }
    let mut leaks = Vec::new();
    let public = crate::agreement::public_data(kit)?;
    let mut shipped = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(out.join("data")) {
        let entry = entry?;
        let rel = entry
            .path()
            .strip_prefix(&out)?
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_file() && !crate::agreement::is_source_notice(&rel) {
            shipped.insert(rel);
        }
    }
    if shipped != public {
        leaks.push(format!(
            "the student release ships the data files {shipped:?}, the manifests declare public \
             {public:?}"
        ));
    }
    for reference in references {
        let Outcome::Graded(report) = reference else {
            continue;
        };
        for check in report
            .checks
            .iter()
            .filter(|c| c.visibility == Visibility::Hidden)
        {
            if text.contains(&check.name) {
                leaks.push(format!(
                    "{}: the hidden check `{}` is named in the student release",
                    report.exercise, check.name
                ));
            }
        }
    }
    Ok(leaks)
}

/// Every construct of a solution's or a stub's sources that batch grading would refuse: a correct
/// submission must never be turned away by the source policy.
fn policy_violations(kit: &Kit, exercises: &[Exercise]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for exercise in exercises {
        for crate_root in [exercise.solution_path(), exercise.path()].map(|p| kit.root.join(p)) {
            let src = crate_root.join("src");
            if !src.is_dir() {
                continue;
            }
            for file in rust_files(&src)? {
                let source = std::fs::read_to_string(&file)?;
                let shown = file.strip_prefix(&kit.root).unwrap_or(&file);
                for violation in crate::classroom::policy::check_source(shown, &source) {
                    found.push(format!(
                        "{}: batch grading would refuse {violation}",
                        exercise.dir
                    ));
                }
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use mlings_grader::Report;

    use super::*;

    /// `grade --json` is read by other programs: its bytes are pinned here.
    #[test]
    fn grade_json_keeps_its_shape() {
        let exercise = Exercise {
            dir: "01-tiny".into(),
            package: "tiny".into(),
        };
        let report = Report {
            exercise: "01-tiny".into(),
            score: 1,
            max_score: 3,
            steps: vec![StepReport {
                number: 1,
                name: "add".into(),
            }],
            checks: vec![CheckReport {
                name: "adds".into(),
                step: 1,
                points: 1,
                max_points: 1,
                status: Status::Passed,
                message: String::new(),
                hint: None,
                visibility: Visibility::Public,
            }],
        };
        let outcomes: Vec<ExerciseOutcome> = [
            Outcome::Graded(report),
            Outcome::DoesNotCompile("error[E0425]".into()),
        ]
        .into_iter()
        .map(Into::into)
        .collect();
        let json = GradeJson {
            score: 1,
            max_score: 3,
            exercises: outcomes
                .iter()
                .map(|o| json_entry(&exercise, Target::Learner, o))
                .collect(),
        };
        let expected = r#"{
  "score": 1,
  "max_score": 3,
  "exercises": [
    {
      "exercise": "01-tiny",
      "package": "tiny",
      "outcome": "graded",
      "score": 1,
      "max_score": 3,
      "steps": [
        {
          "number": 1,
          "name": "add"
        }
      ],
      "checks": [
        {
          "name": "adds",
          "step": 1,
          "points": 1,
          "max_points": 1,
          "status": "passed",
          "message": "",
          "hint": null,
          "visibility": "public"
        }
      ],
      "detail": null
    },
    {
      "exercise": "01-tiny",
      "package": "tiny",
      "outcome": "does_not_compile",
      "score": 0,
      "max_score": 0,
      "steps": [],
      "checks": [],
      "detail": "error[E0425]"
    }
  ]
}"#;
        assert_eq!(serde_json::to_string_pretty(&json).unwrap(), expected);
    }
}
