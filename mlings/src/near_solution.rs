//! Near-solutions that compile and pass: a hint step with `near_solution_file = "src/metrics.rs"`
//! gives, as its near-solution, Rust items for that file of the learner's crate:
//!
//! - each `fn` replaces the stub's function of the same name (signature and body; its docs stay),
//!   or is added at the end of the file when the stub has none (a helper);
//! - each `fn` inside `impl Type { … }` replaces the method of that name in the stub's `impl Type`;
//! - each `use` is added after the stub's own `use` lines (name only what the stub lacks);
//! - anything else (a `const`, a `struct`) is added at the end of the file.
//!
//! A step whose code spans several files lists them, `near_solution_file = ["src/mdp.rs",
//! "src/gridworld.rs"]`, and heads each file's part of the near-solution with a line naming it,
//! `// src/gridworld.rs` (see [`crate::manifest::Step::near_solution_parts`]).
//!
//! `mlings verify` (and `mlings near-solutions`) splices every step's near-solution into a scratch
//! copy of the stub and grades the crate: the code a learner is shown compiles against the
//! exercise's API and fails no check, and the score shows how much of each step it covers (full
//! marks when a learner who follows every near-solution finishes the exercise).

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use syn::spanned::Spanned;

use mlings_grader::{Report, Status};

use crate::cargo::{self, Outcome, Target};
use crate::corpus::Scratch;
use crate::kit::{Exercise, Kit};
use crate::learner::hints::Hints;
use crate::show::Paint;

/// Byte offsets of the start of every line of `text`.
fn line_offsets(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// A span's byte range in `text` (proc-macro2 counts columns in characters).
fn byte_range(text: &str, offsets: &[usize], span: proc_macro2::Span) -> (usize, usize) {
    let to_byte = |lc: proc_macro2::LineColumn| {
        let start = offsets[lc.line - 1];
        let line = &text[start..];
        start
            + line
                .char_indices()
                .nth(lc.column)
                .map_or(line.len(), |(i, _)| i)
    };
    (to_byte(span.start()), to_byte(span.end()))
}

/// A function from its visibility (or `fn`) to its closing brace: its attributes and docs left out.
fn fn_range(
    text: &str,
    offsets: &[usize],
    vis: &syn::Visibility,
    sig: &syn::Signature,
    block: &syn::Block,
) -> (usize, usize) {
    let start = match vis {
        syn::Visibility::Inherited => byte_range(text, offsets, sig.span()).0,
        vis => byte_range(text, offsets, vis.span()).0,
    };
    let end = byte_range(text, offsets, block.brace_token.span.close()).1;
    (start, end)
}

/// The name of an `impl`'s self type (`LinearRegression` for `impl LinearRegression`).
fn self_type_name(item: &syn::ItemImpl) -> Option<String> {
    match item.self_ty.as_ref() {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Where each function of `file` is: `(impl self type or "", name) → byte range`.
fn functions(text: &str, file: &syn::File) -> BTreeMap<(String, String), (usize, usize)> {
    let offsets = line_offsets(text);
    let mut found = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => {
                let range = fn_range(text, &offsets, &f.vis, &f.sig, &f.block);
                found.insert((String::new(), f.sig.ident.to_string()), range);
            }
            syn::Item::Impl(imp) => {
                let Some(ty) = self_type_name(imp) else {
                    continue;
                };
                for inner in &imp.items {
                    if let syn::ImplItem::Fn(m) = inner {
                        let range = fn_range(text, &offsets, &m.vis, &m.sig, &m.block);
                        found.insert((ty.clone(), m.sig.ident.to_string()), range);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `file` (the text of a stub's source file) with the items of `snippet` spliced in, as the module
/// docs describe.
pub fn splice(file: &str, snippet: &str) -> Result<String> {
    let target = syn::parse_file(file).context("the stub's file is not valid Rust")?;
    let code = syn::parse_file(snippet)
        .context("the near-solution is not a list of Rust items (use, fn, impl)")?;
    let places = functions(file, &target);
    let offsets = line_offsets(snippet);
    let text_of = |span: proc_macro2::Span| {
        let (a, b) = byte_range(snippet, &offsets, span);
        snippet[a..b].to_owned()
    };
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    let mut uses = Vec::new();
    let mut appended = Vec::new();
    for item in &code.items {
        match item {
            syn::Item::Use(u) => uses.push(text_of(u.span())),
            syn::Item::Fn(f) => {
                let (a, b) = fn_range(snippet, &offsets, &f.vis, &f.sig, &f.block);
                let new = snippet[a..b].to_owned();
                match places.get(&(String::new(), f.sig.ident.to_string())) {
                    Some(&(start, end)) => replacements.push((start, end, new)),
                    None => appended.push(text_of(f.span())),
                }
            }
            syn::Item::Impl(imp) => {
                let ty = self_type_name(imp).context("an impl of a type that is not a path")?;
                for inner in &imp.items {
                    let syn::ImplItem::Fn(m) = inner else {
                        bail!("impl {ty}: only methods can be spliced into the stub");
                    };
                    let name = m.sig.ident.to_string();
                    let Some(&(start, end)) = places.get(&(ty.clone(), name.clone())) else {
                        bail!("the stub has no method {ty}::{name} in this file");
                    };
                    let (a, b) = fn_range(snippet, &offsets, &m.vis, &m.sig, &m.block);
                    replacements.push((start, end, snippet[a..b].to_owned()));
                }
            }
            other => appended.push(text_of(other.span())),
        }
    }
    if !uses.is_empty() {
        let target_offsets = line_offsets(file);
        let last_use = target.items.iter().rev().find_map(|item| match item {
            syn::Item::Use(u) => Some(byte_range(file, &target_offsets, u.span()).1),
            _ => None,
        });
        let at = match (last_use, target.items.first()) {
            (Some(end), _) => end,
            (None, Some(first)) => byte_range(file, &target_offsets, first.span()).0,
            (None, None) => file.len(),
        };
        replacements.push((at, at, format!("\n{}\n", uses.join("\n"))));
    }
    replacements.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let mut out = file.to_owned();
    for (start, end, new) in replacements {
        out.replace_range(start..end, &new);
    }
    for item in appended {
        out.push('\n');
        out.push_str(&item);
        out.push('\n');
    }
    Ok(out)
}

/// What checking one exercise's near-solutions found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Steps whose near-solution compiled (with every other step's, in one crate).
    pub compiled: Vec<u32>,
    /// Steps with no `near_solution_file`: prose, not compiled.
    pub prose: Vec<u32>,
    /// The score of the stub with every near-solution spliced in, `(points, max)`, once it
    /// compiled and was graded.
    pub score: Option<(u32, u32)>,
    /// Steps whose near-solution shows part of the step's code: `(step, points, max)`, the
    /// points lost only to functions the near-solutions leave at `todo!()`.
    pub partial: Vec<(u32, u32, u32)>,
    /// What is wrong, one line each.
    pub problems: Vec<String>,
}

impl Checked {
    /// One line saying what was compiled and how it scored.
    pub fn summary(&self) -> String {
        let score = self.score.map_or(String::new(), |(got, max)| {
            format!(", spliced they score {got}/{max}")
        });
        let partial = if self.partial.is_empty() {
            String::new()
        } else {
            let steps: Vec<String> = self
                .partial
                .iter()
                .map(|(step, got, max)| format!("{step} ({got}/{max})"))
                .collect();
            format!(" (steps {} leave functions at todo!())", steps.join(", "))
        };
        format!(
            "near-solutions compiled: steps {:?}{score}{partial}; prose, not compiled: steps {:?}",
            self.compiled, self.prose
        )
    }
}

/// Splices every near-solution of `exercise` into the stub in `scratch`, grades the learner's
/// crate, and restores the stub. With every near-solution spliced in, no check of a step whose
/// near-solution is code may fail other than at a `todo!()` they leave; a step left short that
/// way is listed as partial, with its score.
pub fn check(kit: &Kit, scratch: &Scratch, exercise: &Exercise) -> Result<Checked> {
    let hints = Hints::load(kit, exercise)?;
    let crate_dir = scratch.root.join(exercise.path());
    let mut checked = Checked::default();
    let mut originals: BTreeMap<String, String> = BTreeMap::new();
    let mut spliced: BTreeMap<String, String> = BTreeMap::new();
    let mut steps = Vec::new();
    for step in &hints.step {
        let parts = match step.near_solution_parts() {
            Ok(parts) if parts.is_empty() => {
                checked.prose.push(step.number);
                continue;
            }
            Ok(parts) => parts,
            Err(err) => {
                checked
                    .problems
                    .push(format!("{}: step {}: {err:#}", exercise.dir, step.number));
                continue;
            }
        };
        // A step's parts go in together or not at all.
        let mut with_step = spliced.clone();
        let mut fits = true;
        for (file, code) in parts {
            if !originals.contains_key(file) {
                let path = crate_dir.join(file);
                let text = std::fs::read_to_string(&path).with_context(|| {
                    format!(
                        "{}: step {}'s near_solution_file {file} cannot be read",
                        exercise.dir, step.number
                    )
                })?;
                originals.insert(file.to_owned(), text);
            }
            let current = with_step.get(file).unwrap_or(&originals[file]);
            match splice(current, &code) {
                Ok(text) => {
                    with_step.insert(file.to_owned(), text);
                }
                Err(err) => {
                    checked.problems.push(format!(
                        "{}: step {}'s near-solution does not fit {file}: {err:#}",
                        exercise.dir, step.number
                    ));
                    fits = false;
                }
            }
        }
        if fits {
            spliced = with_step;
            steps.push(step.number);
        }
    }
    if spliced.is_empty() {
        return Ok(checked);
    }
    let write = |files: &BTreeMap<String, String>| -> Result<()> {
        for (file, text) in files {
            let path = crate_dir.join(file);
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    };
    let graded = write(&spliced)
        .and_then(|()| cargo::grade_in(scratch.workspace(), exercise, Target::Learner, false));
    let restored = write(&originals);
    match graded? {
        Outcome::Graded(report) => {
            checked.score = Some((report.score, report.max_score));
            for &step in &steps {
                let (got, max) = report.step_score(step);
                let wrong = wrong_checks(step, &report);
                if !wrong.is_empty() {
                    checked.problems.push(format!(
                        "{}: step {step}'s near-solution, spliced into the stub with the \
                         others, scores {got}/{max} and fails: {}",
                        exercise.dir,
                        wrong.join("; ")
                    ));
                } else if got < max {
                    checked.partial.push((step, got, max));
                }
            }
            checked.compiled = steps;
        }
        Outcome::DoesNotCompile(errors) => checked.problems.push(format!(
            "{}: the near-solutions of steps {steps:?} do not compile in the stub:\n{errors}",
            exercise.dir
        )),
        Outcome::Crashed(detail) => checked.problems.push(format!(
            "{}: the stub with the near-solutions of steps {steps:?} crashed the suite:\n{detail}",
            exercise.dir
        )),
    }
    restored?;
    Ok(checked)
}

/// The checks of `step` that the spliced stub fails other than at a `todo!()` it leaves, each
/// with its message: what a near-solution gets wrong.
fn wrong_checks(step: u32, report: &Report) -> Vec<String> {
    report
        .checks
        .iter()
        .filter(|c| c.step == step && !matches!(c.status, Status::Passed | Status::NotImplemented))
        .map(|c| format!("{} ({})", c.name, c.message))
        .collect()
}

/// `mlings near-solutions [EXERCISE…]`: checks the near-solutions of the named exercises (every
/// exercise when none is named) in a scratch copy of the kit; returns whether all of them compile
/// and fail no check.
pub fn run(kit: &Kit, names: &[String]) -> Result<bool> {
    let paint = Paint::stdout();
    let exercises = kit.select(names)?;
    let scratch = Scratch::prepare(kit)?;
    let mut good = true;
    for exercise in &exercises {
        let checked = check(kit, &scratch, exercise)?;
        println!("{:<26} {}", exercise.dir, checked.summary());
        for problem in &checked.problems {
            println!("{} {problem}", paint.bad("✗"));
        }
        good &= checked.problems.is_empty();
    }
    Ok(good)
}

#[cfg(test)]
mod tests {
    use super::splice;

    const STUB: &str = r#"//! A module.

use ndarray::ArrayView1;

/// The mean.
pub fn mean(x: ArrayView1<'_, f64>) -> f64 {
    // TODO: Average.
    todo!("mean of {:?}", x.shape())
}

/// A model.
pub struct Model;

impl Model {
    /// Predicts.
    pub fn predict(&self, x: f64) -> f64 {
        todo!("predict {x}")
    }
}
"#;

    #[test]
    fn functions_replace_the_stubs_and_keep_their_docs() {
        let out = splice(
            STUB,
            "pub fn mean(x: ArrayView1<'_, f64>) -> f64 {\n    x.sum() / x.len() as f64\n}",
        )
        .unwrap();
        assert!(out.contains("/// The mean.\npub fn mean(x: ArrayView1<'_, f64>) -> f64 {\n    x.sum() / x.len() as f64\n}"), "{out}");
        assert!(!out.contains("todo!(\"mean"), "{out}");
        assert!(out.contains("todo!(\"predict {x}\")"), "{out}");
    }

    #[test]
    fn methods_uses_and_helpers_land_where_they_belong() {
        let snippet = "use ndarray::Array1;\n\nimpl Model {\n    pub fn predict(&self, x: f64) -> f64 {\n        twice(x)\n    }\n}\n\nfn twice(x: f64) -> f64 {\n    2.0 * x\n}\n";
        let out = splice(STUB, snippet).unwrap();
        assert!(
            out.contains("use ndarray::ArrayView1;\nuse ndarray::Array1;\n"),
            "{out}"
        );
        assert!(out.contains("    /// Predicts.\n    pub fn predict(&self, x: f64) -> f64 {\n        twice(x)\n    }"), "{out}");
        assert!(
            out.trim_end()
                .ends_with("fn twice(x: f64) -> f64 {\n    2.0 * x\n}"),
            "{out}"
        );
        syn::parse_file(&out).unwrap();
    }

    #[test]
    fn a_method_the_stub_lacks_or_prose_is_refused() {
        let err = splice(STUB, "impl Model { fn fit(&self) {} }").unwrap_err();
        assert!(format!("{err:#}").contains("no method Model::fit"));
        assert!(splice(STUB, "mse: sse / n").is_err());
    }
}
