//! Running the grading suites through cargo, in child processes: the CLI never links learner code,
//! so one exercise that does not compile or crashes never breaks the CLI or the other exercises.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use cargo_metadata::Message;
use mlings_grader::{REPORT_ENV, Report, read_stream};

use crate::kit::{Exercise, Kit};
use crate::process::tail;

/// How grading one exercise ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The suite ran; its report says how every check went.
    Graded(Report),
    /// The crate under test does not compile: rustc's errors, for that crate only.
    DoesNotCompile(String),
    /// The suite's process died before writing its report (a stack overflow, an abort).
    Crashed(String),
}

/// Which crate to grade: the learner's or the reference solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `exercises/NN-topic`.
    Learner,
    /// `solutions/NN-topic`.
    Reference,
}

/// Whether builds draw a progress line on stderr: on for one-shot commands in a terminal, off in
/// watch mode, which draws its own screen.
static PROGRESS: AtomicBool = AtomicBool::new(true);

/// Turns the build progress line on or off.
pub fn set_progress(on: bool) {
    PROGRESS.store(on, Ordering::Relaxed);
}

/// The cargo that launched us (`cargo run`), else the one on `PATH`.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds and runs the suite of `exercise` against `target`.
pub fn grade(kit: &Kit, exercise: &Exercise, target: Target, color: bool) -> Result<Outcome> {
    let workspace = Workspace {
        root: &kit.root,
        target_dir: &kit.target_dir(),
    };
    grade_in(workspace, exercise, target, color)
}

/// Compiles the suites of several exercises in one cargo invocation, so cargo spreads the crates
/// over every core, before [`grade`] builds and runs each one on its own (then a no-op build). A
/// first run on a fresh clone builds every exercise at once instead of one after the other. Errors
/// are left for each exercise's own build to report: `--keep-going` builds every crate that can be.
pub fn prebuild(kit: &Kit, exercises: &[Exercise], target: Target, color: bool) -> Result<()> {
    if exercises.len() < 2 {
        return Ok(());
    }
    let target_dir = kit.target_dir();
    let make = || {
        let mut command = cargo();
        command
            .current_dir(&kit.root)
            .env("CARGO_TARGET_DIR", &target_dir)
            .args(["test", "--no-run", "--keep-going", "--test", "grade"])
            .args(["--message-format", message_format(color)])
            .stdin(Stdio::null());
        for exercise in exercises {
            let package = match target {
                Target::Learner => exercise.package.clone(),
                Target::Reference => exercise.solution_package(),
            };
            command.args(["-p", &package]);
        }
        command
    };
    let label = format!("{} exercises", exercises.len());
    heal(&target_dir, || {
        if PROGRESS.load(Ordering::Relaxed) {
            output_with_progress(make(), &label)
        } else {
            make().output()
        }
    })?;
    Ok(())
}

/// A copy of the kit to build in, and the cargo target directory it builds into.
#[derive(Debug, Clone, Copy)]
pub struct Workspace<'a> {
    /// The workspace root.
    pub root: &'a Path,
    /// Cargo's target directory for it.
    pub target_dir: &'a Path,
}

/// Builds and runs the suite of `exercise` against `target`, in `workspace` (the kit itself, or a
/// scratch copy of it).
pub fn grade_in(
    workspace: Workspace<'_>,
    exercise: &Exercise,
    target: Target,
    color: bool,
) -> Result<Outcome> {
    let (package, dir) = match target {
        Target::Learner => (exercise.package.clone(), exercise.path()),
        Target::Reference => (exercise.solution_package(), exercise.solution_path()),
    };
    let crate_dir = workspace.root.join(&dir);
    let executable = match build(workspace, &exercise.dir, &package, &crate_dir, color)? {
        Ok(executable) => executable,
        Err(diagnostics) => return Ok(Outcome::DoesNotCompile(diagnostics)),
    };
    run(&executable, &crate_dir)
}

/// Compiles the `grade` test of `package`; returns its executable, or the crate's compile errors.
fn build(
    workspace: Workspace<'_>,
    label: &str,
    package: &str,
    crate_dir: &Path,
    color: bool,
) -> Result<std::result::Result<PathBuf, String>> {
    let make = || {
        let mut command = cargo();
        command
            .current_dir(workspace.root)
            .env("CARGO_TARGET_DIR", workspace.target_dir)
            .args([
                "test",
                "--no-run",
                "--test",
                "grade",
                "--message-format",
                message_format(color),
            ])
            .args(["-p", package])
            .stdin(Stdio::null());
        command
    };
    let run = || {
        if PROGRESS.load(Ordering::Relaxed) {
            output_with_progress(make(), label)
        } else {
            make().output()
        }
    };
    let output = heal(workspace.target_dir, run)?;
    Ok(executable(&output, "grade", crate_dir))
}

/// The `--message-format` of a build whose diagnostics are shown: rendered in colour or not.
pub fn message_format(color: bool) -> &'static str {
    if color {
        "json-diagnostic-rendered-ansi"
    } else {
        "json"
    }
}

/// The executable of the target `target_name` that the `--message-format json` build in `output`
/// produced, or, when the build failed, rustc's errors for the crate in `crate_dir` (else, when
/// there are none, cargo's own last lines).
pub fn executable(
    output: &Output,
    target_name: &str,
    crate_dir: &Path,
) -> std::result::Result<PathBuf, String> {
    let (executable, errors) = artifact_and_errors(&output.stdout, target_name, crate_dir);
    match (output.status.success(), executable) {
        (true, Some(executable)) => Ok(executable),
        _ => Err(shown(errors.rendered_in_full(), output)),
    }
}

/// The learner's errors; else, when only another crate failed (a dependency), that crate's
/// errors, so the message is never empty; else cargo's own last lines.
fn shown(errors: Errors, output: &Output) -> String {
    if !errors.ours.is_empty() {
        errors.ours.join("")
    } else if !errors.others.is_empty() {
        errors.others.join("")
    } else {
        tail(&String::from_utf8_lossy(&output.stderr), 40)
    }
}

/// The executable, as [`executable`], of a build whose test targets hold checks the learner
/// may not read (batch grading with the hidden suite): an error in the learner's library is shown
/// as rustc renders it, but an error in a test target only by its headline (`mismatched types`),
/// never with the suite's source lines.
///
/// The build may have compiled several exercises at once (`--keep-going`), all in `built`: the
/// executable is the one whose source lies in `crate_dir`, built whether the others were or
/// not, and the errors of the other exercises are theirs, never shown here.
pub fn executable_keeping_tests_private(
    output: &Output,
    target_name: &str,
    crate_dir: &Path,
    built: &[&Path],
) -> std::result::Result<PathBuf, String> {
    // cargo names every source by its canonical path: a folder reached through `..` or a
    // symbolic link (a target directory given as `kit/mlings/../target`) must be compared as one.
    let canonical = |dir: &Path| dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let crate_dir = canonical(crate_dir);
    let others: Vec<PathBuf> = built
        .iter()
        .map(|d| canonical(d))
        .filter(|d| *d != crate_dir)
        .collect();
    let others: Vec<&Path> = others.iter().map(PathBuf::as_path).collect();
    let (executable, mut errors) =
        artifact_and_errors_of(&output.stdout, target_name, &crate_dir, &others);
    if let Some(executable) = executable {
        return Ok(executable);
    }
    if !errors.in_tests.is_empty() {
        let headlines = std::mem::take(&mut errors.in_tests);
        errors.ours.push(format!(
            "the grading suite does not compile against your crate: its public items \
             (names, signatures, types) differ from the stub's. rustc says:\n{}\n",
            headlines
                .iter()
                .map(|(h, _)| format!("  error: {h}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Err(shown(errors, output))
}

impl Errors {
    /// Every error of the learner's crate rendered in full, the suite's too: for a kit whose
    /// suite the learner may read.
    fn rendered_in_full(mut self) -> Errors {
        let tests = std::mem::take(&mut self.in_tests);
        self.ours
            .extend(tests.into_iter().map(|(_, rendered)| rendered));
        self
    }
}

/// rustc's rendered errors from one build, split by whose crate they are in.
#[derive(Default)]
struct Errors {
    /// In the crate being built for the learner.
    ours: Vec<String>,
    /// In a test target of that crate (the suite): each error's headline and its rendering.
    in_tests: Vec<(String, String)>,
    /// In any other crate of the build.
    others: Vec<String>,
}

/// From cargo's JSON messages: the executable of the target named `target_name`, and rustc's
/// rendered errors, those of the crate in `crate_dir` apart (a dependency's are not the learner's
/// to fix, but are all there is to show when only a dependency failed).
fn artifact_and_errors(
    stdout: &[u8],
    target_name: &str,
    crate_dir: &Path,
) -> (Option<PathBuf>, Errors) {
    let mut executable = None;
    let mut errors = Errors::default();
    for message in Message::parse_stream(stdout).flatten() {
        match message {
            Message::CompilerArtifact(artifact) if artifact.target.name == target_name => {
                executable = artifact.executable.map(PathBuf::from);
            }
            Message::CompilerMessage(message) => errors.add(message, crate_dir),
            _ => {}
        }
    }
    (executable, errors)
}

/// [`artifact_and_errors`] of a build of several exercises: the executable of the target
/// `target_name` whose source lies in `crate_dir`, and the errors, less those of the `others`.
fn artifact_and_errors_of(
    stdout: &[u8],
    target_name: &str,
    crate_dir: &Path,
    others: &[&Path],
) -> (Option<PathBuf>, Errors) {
    let mut executable = None;
    let mut errors = Errors::default();
    for message in Message::parse_stream(stdout).flatten() {
        match message {
            Message::CompilerArtifact(artifact)
                if artifact.target.name == target_name
                    && artifact
                        .target
                        .src_path
                        .as_std_path()
                        .starts_with(crate_dir) =>
            {
                executable = artifact.executable.map(PathBuf::from);
            }
            Message::CompilerMessage(message) => {
                let src = message.target.src_path.as_std_path();
                if !others.iter().any(|other| src.starts_with(other)) {
                    errors.add(message, crate_dir);
                }
            }
            _ => {}
        }
    }
    (executable, errors)
}

impl Errors {
    /// Files rustc's error `message` as the learner's, their suite's or another crate's.
    fn add(&mut self, message: cargo_metadata::CompilerMessage, crate_dir: &Path) {
        let ours = Path::new(message.target.src_path.as_std_path()).starts_with(crate_dir);
        let is_error = matches!(
            message.message.level,
            cargo_metadata::diagnostic::DiagnosticLevel::Error
        );
        let in_test = message
            .target
            .kind
            .iter()
            .any(|k| matches!(k, cargo_metadata::TargetKind::Test));
        if let (true, Some(rendered)) = (is_error, message.message.rendered) {
            if ours && in_test {
                let headline = message.message.message.clone();
                self.in_tests.push((headline, rendered));
            } else if ours {
                self.ours.push(rendered);
            } else {
                self.others.push(rendered);
            }
        }
    }
}

/// Runs the cargo command `make` builds; when it fails to link because rustc's incremental
/// cache went stale (objects referring to `anon.….llvm.…` symbols that no longer exist, a known
/// rustc bug, rust-lang/rust#81280), drops the cache of the dev profile and runs it once more, so
/// the learner sees their own errors and never a linker's.
pub fn output_healing_incremental(
    kit: &Kit,
    make: impl Fn() -> Command,
) -> Result<std::process::Output> {
    healing_incremental_in(&kit.target_dir(), make)
}

/// [`output_healing_incremental`] for a build into `target_dir`.
pub fn healing_incremental_in(
    target_dir: &Path,
    make: impl Fn() -> Command,
) -> Result<std::process::Output> {
    heal(target_dir, || make().output())
}

/// Runs a build with `run`, and once more after clearing the incremental cache of `target_dir`
/// when the first failed to link because of it.
fn heal(
    target_dir: &Path,
    run: impl Fn() -> std::io::Result<std::process::Output>,
) -> Result<std::process::Output> {
    let run = || run().context("cannot run cargo (is Rust installed? https://rustup.rs)");
    let output = run()?;
    if output.status.success() || !stale_incremental(&output) {
        return Ok(output);
    }
    let cache = target_dir.join("debug").join("incremental");
    eprintln!(
        "mlings: rustc's incremental cache no longer links; clearing {} and building again",
        cache.display()
    );
    let _ = std::fs::remove_dir_all(&cache);
    run()
}

/// Runs a `--message-format json` cargo command, counting the crates it compiles on a spinner
/// (drawn only when stderr is a terminal), and returns its output as `Command::output` would.
fn output_with_progress(
    mut command: Command,
    label: &str,
) -> std::io::Result<std::process::Output> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut bytes);
        bytes
    });
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.set_message(format!("building {label}…"));
    let mut stdout = Vec::new();
    let mut compiled = 0usize;
    let mut reader = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line)? > 0 {
        if let Ok(Message::CompilerArtifact(artifact)) = serde_json::from_slice::<Message>(&line) {
            if !artifact.fresh {
                compiled += 1;
                bar.set_message(format!(
                    "building {label}: {compiled} crates compiled ({}); a first build \
                     compiles the dependencies once and takes a few minutes",
                    artifact.target.name
                ));
            }
        }
        stdout.extend_from_slice(&line);
        line.clear();
    }
    let status = child.wait()?;
    bar.finish_and_clear();
    Ok(std::process::Output {
        status,
        stdout,
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Whether a failed build is the incremental cache's link failure rather than the code's fault.
pub fn stale_incremental(output: &std::process::Output) -> bool {
    [&output.stdout, &output.stderr].iter().any(|text| {
        let text = String::from_utf8_lossy(text);
        text.contains("undefined hidden symbol")
            || (text.contains("undefined symbol") && text.contains(".llvm."))
            || (text.contains("undefined reference") && text.contains(".llvm."))
    })
}

fn run(executable: &Path, crate_dir: &Path) -> Result<Outcome> {
    let report_file = tempfile::Builder::new()
        .prefix("mlings-report-")
        .suffix(".json")
        .tempfile()
        .context("cannot create a temporary report file")?;
    let report_path = report_file.path().to_path_buf();
    // The suite appends one record per line; a report without its `end` record means the
    // process died before it finished.
    let output = Command::new(executable)
        .current_dir(crate_dir)
        .env(REPORT_ENV, &report_path)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", executable.display()))?;
    let text = std::fs::read_to_string(&report_path).unwrap_or_default();
    let stream = read_stream(&text).context("the suite's report is not valid")?;
    match stream.into_report() {
        Some(report) => Ok(Outcome::Graded(report)),
        None => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Ok(Outcome::Crashed(format!(
                "the suite's process ended ({}) without a report:\n{}",
                output.status,
                tail(&stderr, 20)
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{ExitStatus, Output};

    use std::path::{Path, PathBuf};

    use super::{executable, executable_keeping_tests_private, stale_incremental};

    fn failed(stdout: &str) -> Output {
        Output {
            status: ExitStatus::from_raw(101 << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
        }
    }

    #[test]
    fn a_stale_incremental_cache_is_told_from_the_learners_errors() {
        assert!(stale_incremental(&failed(
            "rust-lld: error: undefined hidden symbol: anon.ece5188d.44.llvm.5660372537407268921"
        )));
        assert!(stale_incremental(&failed(
            "ld: undefined reference to `anon.3397d7d7.2.llvm.13934392132103289839'"
        )));
        assert!(!stale_incremental(&failed(
            "error[E0425]: cannot find value `x` in this scope"
        )));
        assert!(!stale_incremental(&failed(
            "rust-lld: error: undefined symbol: my_extern_function"
        )));
    }

    /// One rustc error as cargo's JSON reports it, in target `name` of kind `kind`.
    fn error(kind: &str, name: &str, src_path: &str, headline: &str, rendered: &str) -> String {
        serde_json::json!({
            "reason": "compiler-message",
            "package_id": "path+file:///kit/exercises/01-tiny#tiny@0.1.0",
            "manifest_path": "/kit/exercises/01-tiny/Cargo.toml",
            "target": {
                "kind": [kind], "crate_types": ["lib"], "name": name, "src_path": src_path,
                "edition": "2024", "doc": true, "doctest": true, "test": true
            },
            "message": {
                "$message_type": "diagnostic", "rendered": rendered, "message": headline,
                "code": null, "level": "error", "spans": [], "children": []
            }
        })
        .to_string()
    }

    #[test]
    fn batch_builds_show_the_suites_errors_by_headline_only() {
        let stream = [
            error(
                "lib",
                "tiny",
                "/kit/exercises/01-tiny/src/lib.rs",
                "unused variable",
                "error: unused variable `x`\n --> src/lib.rs:2:9\n",
            ),
            error(
                "test",
                "grade",
                "/kit/exercises/01-tiny/tests/grade.rs",
                "mismatched types",
                "error[E0308]: mismatched types\n --> tests/01-tiny/hidden.rs:9\n9 | SECRET_EXPECTED\n",
            ),
        ]
        .join("\n");
        let output = failed(&stream);
        let crate_dir = Path::new("/kit/exercises/01-tiny");
        let private = executable_keeping_tests_private(&output, "grade", crate_dir, &[crate_dir])
            .unwrap_err();
        assert!(private.contains("unused variable `x`"), "{private}");
        assert!(private.contains("error: mismatched types"), "{private}");
        assert!(!private.contains("SECRET_EXPECTED"), "{private}");
        assert!(!private.contains("hidden.rs"), "{private}");
        // In the learner's own kit the suite is theirs to read: everything, in full.
        let full = executable(&output, "grade", crate_dir).unwrap_err();
        assert!(full.contains("SECRET_EXPECTED"), "{full}");
    }

    /// The artefact message of the suite `grade` of the exercise in `dir`, built.
    fn built(dir: &str) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": format!("path+file://{dir}#0.1.0"),
            "manifest_path": format!("{dir}/Cargo.toml"),
            "target": {
                "kind": ["test"], "crate_types": ["bin"], "name": "grade",
                "src_path": format!("{dir}/tests/grade.rs"),
                "edition": "2024", "doc": false, "doctest": false, "test": true
            },
            "profile": {
                "opt_level": "0", "debuginfo": 0, "debug_assertions": true,
                "overflow_checks": true, "test": true
            },
            "features": [], "filenames": [format!("{dir}/grade")],
            "executable": format!("{dir}/grade"), "fresh": false
        })
        .to_string()
    }

    #[test]
    fn a_build_of_several_exercises_gives_each_its_own_executable_and_errors() {
        let (one, two, three) = (
            "/kit/exercises/01-tiny",
            "/kit/exercises/02-small",
            "/kit/exercises/03-wee",
        );
        let stream = [
            built(one),
            error(
                "lib",
                "small",
                &format!("{two}/src/lib.rs"),
                "unused variable",
                "error: unused variable `y` in 02\n",
            ),
            built(three),
        ]
        .join("\n");
        // One exercise failed, so cargo did; the others were built all the same.
        let output = failed(&stream);
        let dirs = [Path::new(one), Path::new(two), Path::new(three)];
        let first = executable_keeping_tests_private(&output, "grade", dirs[0], &dirs);
        assert_eq!(first, Ok(PathBuf::from(format!("{one}/grade"))));
        let third = executable_keeping_tests_private(&output, "grade", dirs[2], &dirs);
        assert_eq!(third, Ok(PathBuf::from(format!("{three}/grade"))));
        let second = executable_keeping_tests_private(&output, "grade", dirs[1], &dirs);
        assert!(second.unwrap_err().contains("`y` in 02"));
        // An exercise that was not built never shows another's errors as its own.
        let alone = [Path::new(one), Path::new(two)];
        let stream = error(
            "lib",
            "small",
            &format!("{two}/src/lib.rs"),
            "unused variable",
            "error: unused variable `y` in 02\n",
        );
        let first = executable_keeping_tests_private(&failed(&stream), "grade", alone[0], &alone);
        assert!(!first.unwrap_err().contains("`y` in 02"));
    }

    #[test]
    fn a_crate_folder_reached_through_dot_dot_is_the_one_cargo_names() {
        // A batch's scratch kit lies under the target directory, which may be given as
        // `kit/mlings/../target`; cargo names the suite's source by its canonical path.
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp
            .path()
            .canonicalize()
            .unwrap()
            .join("kit/exercises/01-tiny");
        std::fs::create_dir_all(&real).unwrap();
        std::fs::create_dir_all(tmp.path().join("mlings")).unwrap();
        let roundabout = tmp.path().join("mlings/../kit/exercises/01-tiny");
        let output = failed(&built(real.to_str().unwrap()));
        let found = executable_keeping_tests_private(&output, "grade", &roundabout, &[&roundabout]);
        assert_eq!(found, Ok(real.join("grade")));
    }

    #[test]
    fn a_failed_dependency_is_shown_when_the_learners_crate_has_no_error() {
        let stream = error(
            "lib",
            "mlings_benches",
            "/kit/benches/lib.rs",
            "unresolved import",
            "error[E0432]: unresolved import `mlings_grader`\n",
        );
        let shown = executable(
            &failed(&stream),
            "grade",
            Path::new("/kit/exercises/01-tiny"),
        )
        .unwrap_err();
        assert!(
            shown.contains("unresolved import `mlings_grader`"),
            "{shown}"
        );
    }
}
