//! `mlings corpus`: the kit tests its own grader. Each exercise may keep, in
//! `corpus/NN-topic/corpus.toml`, known mistakes and correct variants, each a few exact
//! find/replace edits of the reference solution:
//!
//! ```toml
//! [[mistake]]
//! name = "mse-over-n-minus-1"            # kebab-case, unique in the file
//! about = "MSE divides SSE by n − 1"
//! check = "mse_of_a_hand_example"         # a check that must fail
//! hint = "divide by n"                    # a substring of that check's hint
//! public = true                           # that check must be public
//! relation = "…"                          # optional: a substring of that check's message
//! [[mistake.edit]]
//! file = "src/metrics.rs"                 # relative to solutions/NN-topic/
//! find = "…"                              # must occur exactly once in the file
//! replace = "…"
//!
//! [[variant]]                             # a correct alternative: must score full marks
//! name = "…"
//! about = "…"
//! [[variant.edit]]
//! file = "…"
//! find = "…"
//! replace = "…"
//! ```
//!
//! Every case is graded with the full suite in one scratch copy of the kit with its own target
//! directory, reused across cases and runs, so only the solution crate and its suite recompile;
//! the edited files are restored after each case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use mlings_grader::{Report, Status, Visibility};
use serde::Deserialize;

use crate::cargo::{self, Outcome, Target, Workspace};
use crate::kit::{Exercise, Kit};
use crate::show::Paint;

/// Where an exercise's corpus lives, relative to the kit root.
pub fn corpus_path(exercise: &Exercise) -> PathBuf {
    Path::new("corpus").join(&exercise.dir).join("corpus.toml")
}

/// One exact find/replace edit of a solution file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// The file, relative to the solution's crate (`src/qr.rs`).
    pub file: String,
    /// Text that must occur exactly once in the file.
    pub find: String,
    /// What it becomes.
    pub replace: String,
}

/// A known mistake: the suite must catch it with the named check and hint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    /// Kebab-case, unique in the file.
    pub name: String,
    /// What the mistake is, in a sentence.
    pub about: String,
    /// The name of a check that must fail.
    pub check: String,
    /// A substring that must appear in that check's hint.
    pub hint: String,
    /// Whether that check must be public (shipped to students).
    #[serde(default)]
    pub public: bool,
    /// A substring that must appear in that check's message.
    #[serde(default)]
    pub relation: Option<String>,
    /// The edits that make the mistake.
    pub edit: Vec<Edit>,
}

/// A correct alternative to the reference: it must score full marks.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Kebab-case, unique in the file.
    pub name: String,
    /// What differs from the reference, in a sentence.
    pub about: String,
    /// The edits that make the variant.
    pub edit: Vec<Edit>,
}

/// An exercise's corpus file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corpus {
    /// Known mistakes.
    #[serde(default)]
    pub mistake: Vec<Mistake>,
    /// Correct variants.
    #[serde(default)]
    pub variant: Vec<Variant>,
}

impl Corpus {
    /// Reads and validates a corpus file.
    pub fn load(path: &Path) -> Result<Corpus> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let corpus: Corpus =
            toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
        let mut seen = std::collections::BTreeSet::new();
        let names = corpus
            .mistake
            .iter()
            .map(|m| (&m.name, m.edit.is_empty()))
            .chain(corpus.variant.iter().map(|v| (&v.name, v.edit.is_empty())));
        for (name, no_edit) in names {
            if !seen.insert(name) {
                bail!("{}: two cases are named `{name}`", path.display());
            }
            if no_edit {
                bail!("{}: the case `{name}` has no [[…edit]]", path.display());
            }
        }
        Ok(corpus)
    }
}

/// Applies `edits` to `originals` (file → text): the new text of every edited file, or an error
/// naming `case` when an edit's `find` does not occur exactly once, after the edits before it.
pub fn apply_edits(
    case: &str,
    edits: &[Edit],
    originals: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut edited: BTreeMap<String, String> = BTreeMap::new();
    for (number, edit) in edits.iter().enumerate() {
        let text = match edited.get(&edit.file) {
            Some(text) => text,
            None => originals.get(&edit.file).with_context(|| {
                format!(
                    "case `{case}`, edit {}: no file {} in the solution",
                    number + 1,
                    edit.file
                )
            })?,
        };
        let count = text.matches(edit.find.as_str()).count();
        if count != 1 || edit.find.is_empty() {
            bail!(
                "case `{case}`, edit {} of {}: its `find` occurs {count} times, expected exactly \
                 once:\n{}",
                number + 1,
                edit.file,
                edit.find
            );
        }
        let new = text.replacen(edit.find.as_str(), &edit.replace, 1);
        edited.insert(edit.file.clone(), new);
    }
    Ok(edited)
}

/// How one case went: `None` when it behaved as the corpus says, else why not.
fn judge_mistake(mistake: &Mistake, outcome: &Outcome) -> Option<String> {
    let report = match outcome {
        Outcome::Graded(report) => report,
        Outcome::DoesNotCompile(detail) => {
            return Some(format!("does not compile, so it tests no check:\n{detail}"));
        }
        Outcome::Crashed(detail) => return Some(format!("crashed the suite:\n{detail}")),
    };
    if report.score >= report.max_score {
        return Some(format!(
            "scores full marks ({}/{})",
            report.score, report.max_score
        ));
    }
    let Some(check) = report.checks.iter().find(|c| c.name == mistake.check) else {
        return Some(format!("the suite has no check `{}`", mistake.check));
    };
    let failed = |c: &mlings_grader::CheckReport| {
        format!(
            "{} ({:?}){}",
            c.name,
            c.status,
            c.hint
                .as_deref()
                .map_or(String::new(), |h| format!(", hint \"{h}\""))
        )
    };
    if check.status == Status::Passed {
        let others: Vec<String> = report
            .checks
            .iter()
            .filter(|c| c.status != Status::Passed)
            .map(failed)
            .collect();
        return Some(format!(
            "`{}` passes; what fails: {}",
            check.name,
            others.join("; ")
        ));
    }
    if mistake.public && check.visibility != Visibility::Public {
        return Some(format!(
            "`{}` is {}, expected a public check",
            check.name, check.visibility
        ));
    }
    match &check.hint {
        Some(hint) if hint.contains(&mistake.hint) => {}
        Some(hint) => {
            return Some(format!(
                "`{}` fails with the hint \"{hint}\", expected one containing \"{}\" (message: {})",
                check.name, mistake.hint, check.message
            ));
        }
        None => {
            return Some(format!(
                "`{}` fails with no hint, expected one containing \"{}\" (message: {})",
                check.name, mistake.hint, check.message
            ));
        }
    }
    if let Some(relation) = &mistake.relation {
        if !check.message.contains(relation.as_str()) {
            return Some(format!(
                "`{}`'s message does not contain \"{relation}\": {}",
                check.name, check.message
            ));
        }
    }
    None
}

/// `None` when the variant scores full marks, else why not.
fn judge_variant(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Graded(report) if report.all_passed() && report.score == report.max_score => None,
        Outcome::Graded(report) => Some(format!(
            "loses points ({}/{}): {}",
            report.score,
            report.max_score,
            failures(report)
        )),
        Outcome::DoesNotCompile(detail) => Some(format!("does not compile:\n{detail}")),
        Outcome::Crashed(detail) => Some(format!("crashed the suite:\n{detail}")),
    }
}

fn failures(report: &Report) -> String {
    report
        .checks
        .iter()
        .filter(|c| c.status != Status::Passed)
        .map(|c| format!("{} ({:?}): {}", c.name, c.status, c.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The tallies of one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Mistakes caught by their check with their hint.
    pub mistakes_caught: usize,
    /// Mistakes in the corpora.
    pub mistakes: usize,
    /// Variants at full marks.
    pub variants_full: usize,
    /// Variants in the corpora.
    pub variants: usize,
}

impl Tally {
    /// Whether every case behaved as its corpus says.
    pub fn all_good(&self) -> bool {
        self.mistakes_caught == self.mistakes && self.variants_full == self.variants
    }
}

/// A scratch copy of the kit with its own target directory, locked while in use.
pub struct Scratch {
    /// The copy's root.
    pub root: PathBuf,
    /// Its cargo target directory.
    pub target_dir: PathBuf,
    _lock: nix::fcntl::Flock<std::fs::File>,
}

impl Scratch {
    /// Brings the scratch copy under the kit's target directory up to date with the kit (only
    /// changed files are rewritten, so cargo's fingerprints stay valid across runs).
    pub fn prepare(kit: &Kit) -> Result<Scratch> {
        let root = kit.target_dir().join("mlings-corpus").join("kit");
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create {}", root.display()))?;
        let lock = crate::classroom::batch::scratch::lock_slot(&root, |m| eprintln!("{m}"))?;
        crate::classroom::batch::scratch::prepare_scratch(kit, &root, &[])?;
        Ok(Scratch {
            target_dir: root.join("target"),
            root,
            _lock: lock,
        })
    }

    /// The workspace to build in.
    pub fn workspace(&self) -> Workspace<'_> {
        Workspace {
            root: &self.root,
            target_dir: &self.target_dir,
        }
    }
}

/// Runs every case of `exercise`'s corpus in `scratch`, printing one line per case; returns the
/// tallies and the problems (one line each).
pub fn run_exercise(
    scratch: &Scratch,
    kit: &Kit,
    exercise: &Exercise,
    paint: Paint,
) -> Result<(Tally, Vec<String>)> {
    let corpus = Corpus::load(&kit.root.join(corpus_path(exercise)))?;
    let crate_dir = scratch.root.join(exercise.solution_path());
    let files: std::collections::BTreeSet<&String> = corpus
        .mistake
        .iter()
        .flat_map(|m| &m.edit)
        .chain(corpus.variant.iter().flat_map(|v| &v.edit))
        .map(|e| &e.file)
        .collect();
    let mut originals = BTreeMap::new();
    for file in files {
        let path = crate_dir.join(file);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{}: cannot read {} of the solution",
                corpus_path(exercise).display(),
                file
            )
        })?;
        originals.insert(file.clone(), text);
    }
    // Every edit is checked before anything is graded: a stale corpus fails in a second.
    let mistakes = corpus
        .mistake
        .iter()
        .map(|m| Ok((m, apply_edits(&m.name, &m.edit, &originals)?)))
        .collect::<Result<Vec<_>>>()?;
    let variants = corpus
        .variant
        .iter()
        .map(|v| Ok((v, apply_edits(&v.name, &v.edit, &originals)?)))
        .collect::<Result<Vec<_>>>()?;

    let mut tally = Tally::default();
    let mut problems = Vec::new();
    let mut report = |kind: &str, name: &str, problem: Option<String>, secs: f64| {
        let label = format!("{} {kind} {name}", exercise.dir);
        match problem {
            None => println!("{} {label} ({secs:.0} s)", paint.good("✓")),
            Some(problem) => {
                println!("{} {label} ({secs:.0} s): {problem}", paint.bad("✗"));
                problems.push(format!("{label}: {problem}"));
            }
        }
    };
    for (mistake, edited) in &mistakes {
        let start = Instant::now();
        let outcome = grade_edited(scratch, exercise, &crate_dir, edited, &originals)?;
        let problem = judge_mistake(mistake, &outcome);
        tally.mistakes += 1;
        tally.mistakes_caught += usize::from(problem.is_none());
        report(
            "mistake",
            &mistake.name,
            problem,
            start.elapsed().as_secs_f64(),
        );
    }
    for (variant, edited) in &variants {
        let start = Instant::now();
        let outcome = grade_edited(scratch, exercise, &crate_dir, edited, &originals)?;
        let problem = judge_variant(&outcome);
        tally.variants += 1;
        tally.variants_full += usize::from(problem.is_none());
        report(
            "variant",
            &variant.name,
            problem,
            start.elapsed().as_secs_f64(),
        );
    }
    Ok((tally, problems))
}

/// Writes `edited` into the scratch solution, grades it, and restores `originals`, whatever
/// happened.
fn grade_edited(
    scratch: &Scratch,
    exercise: &Exercise,
    crate_dir: &Path,
    edited: &BTreeMap<String, String>,
    originals: &BTreeMap<String, String>,
) -> Result<Outcome> {
    let write = |files: &BTreeMap<String, String>| -> Result<()> {
        for (file, text) in files {
            let path = crate_dir.join(file);
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    };
    let graded = write(edited)
        .and_then(|()| cargo::grade_in(scratch.workspace(), exercise, Target::Reference, false));
    let restored = write(
        &originals
            .iter()
            .filter(|(file, _)| edited.contains_key(*file))
            .map(|(f, t)| (f.clone(), t.clone()))
            .collect(),
    );
    let outcome = graded?;
    restored?;
    Ok(outcome)
}

/// The exercises among `exercises` that have a corpus.
pub fn with_corpus(kit: &Kit, exercises: &[Exercise]) -> Vec<Exercise> {
    exercises
        .iter()
        .filter(|e| kit.root.join(corpus_path(e)).is_file())
        .cloned()
        .collect()
}

/// Runs the corpora of `exercises` in `scratch`; prints a line per case and the summary.
pub fn run_all(
    kit: &Kit,
    scratch: &Scratch,
    exercises: &[Exercise],
    paint: Paint,
) -> Result<(Tally, Vec<String>)> {
    let mut total = Tally::default();
    let mut problems = Vec::new();
    if exercises.is_empty() {
        return Ok((total, problems));
    }
    let start = Instant::now();
    for exercise in exercises {
        let (tally, found) = run_exercise(scratch, kit, exercise, paint)?;
        total.mistakes += tally.mistakes;
        total.mistakes_caught += tally.mistakes_caught;
        total.variants += tally.variants;
        total.variants_full += tally.variants_full;
        problems.extend(found);
    }
    println!(
        "mistakes: {}/{} caught with their hint; variants: {}/{} at full marks ({:.0} s)",
        total.mistakes_caught,
        total.mistakes,
        total.variants_full,
        total.variants,
        start.elapsed().as_secs_f64()
    );
    Ok((total, problems))
}

/// `mlings corpus [EXERCISE…]`: returns whether every case behaved as its corpus says.
pub fn run(kit: &Kit, names: &[String]) -> Result<bool> {
    let paint = Paint::stdout();
    let selected = kit.select(names)?;
    let exercises = with_corpus(kit, &selected);
    if !names.is_empty() {
        if let Some(missing) = selected.iter().find(|e| !exercises.contains(e)) {
            bail!(
                "{} has no mistake corpus ({} does not exist)",
                missing.dir,
                corpus_path(missing).display()
            );
        }
    }
    if exercises.is_empty() {
        println!("no exercise has a mistake corpus (corpus/NN-topic/corpus.toml)");
        return Ok(true);
    }
    let scratch = Scratch::prepare(kit)?;
    let (tally, _) = run_all(kit, &scratch, &exercises, paint)?;
    Ok(tally.all_good())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn originals() -> BTreeMap<String, String> {
        BTreeMap::from([(
            "src/a.rs".to_owned(),
            "let x = 1;\nlet y = x + 1;\nlet z = x + 1;\n".to_owned(),
        )])
    }

    fn edit(find: &str, replace: &str) -> Edit {
        Edit {
            file: "src/a.rs".into(),
            find: find.into(),
            replace: replace.into(),
        }
    }

    #[test]
    fn an_edit_found_once_is_applied() {
        let edited = apply_edits("c", &[edit("let x = 1;", "let x = 2;")], &originals()).unwrap();
        assert_eq!(
            edited["src/a.rs"],
            "let x = 2;\nlet y = x + 1;\nlet z = x + 1;\n"
        );
    }

    #[test]
    fn later_edits_see_earlier_ones() {
        let edits = [edit("let x = 1;", "let x = 2;"), edit("x = 2", "x = 3")];
        let edited = apply_edits("c", &edits, &originals()).unwrap();
        assert!(edited["src/a.rs"].starts_with("let x = 3;"));
    }

    #[test]
    fn a_find_that_occurs_twice_is_an_error_naming_the_case() {
        let err = apply_edits("off-by-one", &[edit("x + 1", "x")], &originals()).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("case `off-by-one`"), "{text}");
        assert!(text.contains("occurs 2 times"), "{text}");
    }

    #[test]
    fn a_find_that_does_not_occur_is_an_error_naming_the_case() {
        let err = apply_edits("sign-flip", &[edit("let w", "let v")], &originals()).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("case `sign-flip`"), "{text}");
        assert!(text.contains("occurs 0 times"), "{text}");
    }

    #[test]
    fn an_edit_of_a_missing_file_is_an_error_naming_the_case() {
        let mut e = edit("x", "y");
        e.file = "src/b.rs".into();
        let err = apply_edits("elsewhere", &[e], &originals()).unwrap_err();
        assert!(format!("{err:#}").contains("case `elsewhere`"));
    }

    #[test]
    fn a_corpus_file_reads_as_the_team_wrote_it() {
        let text = r#"
[[mistake]]
name = "m"
about = "a"
check = "c"
hint = "h"
public = true
[[mistake.edit]]
file = "src/a.rs"
find = '''let x = 1;'''
replace = '''let x = 2;'''

[[variant]]
name = "v"
about = "b"
[[variant.edit]]
file = "src/a.rs"
find = "x"
replace = "y"
"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.toml");
        std::fs::write(&path, text).unwrap();
        let corpus = Corpus::load(&path).unwrap();
        assert_eq!(corpus.mistake.len(), 1);
        assert!(corpus.mistake[0].public);
        assert_eq!(corpus.mistake[0].relation, None);
        assert_eq!(corpus.variant[0].edit[0].replace, "y");
        std::fs::write(&path, text.replace("name = \"v\"", "name = \"m\"")).unwrap();
        assert!(
            format!("{:#}", Corpus::load(&path).unwrap_err()).contains("two cases are named `m`")
        );
    }
}
