//! `mlings release OUT`: the students' copy of the kit: the stubs, the public checks, the CLI and
//! a README for students; no solutions, no hidden checks, and of `data/` only the files the
//! exercises' manifests declare public (with the sources' READMEs and licences).
//!
//! The stubs are generated from the solutions (the code `mlings sync` uses), never copied from the
//! author's working `exercises/`, which may hold answers tried out in the kit. A pristine copy of
//! each stub goes to `exercises/.pristine/`, from which `mlings reset` restores in the release.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use syn::spanned::Spanned;
use syn::visit::Visit;
use walkdir::WalkDir;

use crate::kit::Kit;
use crate::learner::reset::{self, PRISTINE_DIR};

/// Top-level folders never shipped: build products, the solutions and what compares with them
/// (benches, the mistake corpus), the author's tooling and CI (the release gets its own).
const DROPPED: &[&str] = &[
    "target",
    ".git",
    ".mlings",
    "plots",
    "solutions",
    "benches",
    "corpus",
    "scripts",
    ".ci",
];

/// The kit's own integration tests never ship: they grade the solutions and carry fixtures with
/// hidden values. The fixtures of the CLI's unit tests do.
const KIT_TESTS: &str = "mlings/tests";
const UNIT_TEST_FIXTURES: &str = "mlings/tests/fixtures";

/// Writes the student release of `kit` into `out`, which must not exist or be empty.
pub fn run(kit: &Kit, out: &Path) -> Result<bool> {
    if out.exists() {
        let mut entries =
            std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() {
            bail!("{} is not empty: give a new or empty folder", out.display());
        }
    }
    let root = kit.root.canonicalize()?;
    let out_abs = std::path::absolute(out)?;
    // What ships, before the data files are sorted out.
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(&root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
            let top = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy());
            let dropped_top = rel.components().count() == 1
                && top.as_deref().is_some_and(|t| DROPPED.contains(&t));
            let hidden =
                rel.starts_with("tests") && e.file_name().to_string_lossy().starts_with("hidden");
            let nested_target = e.file_name() == "target" && e.file_type().is_dir();
            let dropped_path = rel.starts_with(KIT_TESTS)
                && rel != Path::new(KIT_TESTS)
                && !rel.starts_with(UNIT_TEST_FIXTURES);
            // The learner's sources are generated below, from the solutions.
            let learner_src = rel.starts_with("exercises")
                && (rel
                    .components()
                    .nth(2)
                    .is_some_and(|c| c.as_os_str() == "src")
                    || rel
                        .components()
                        .nth(1)
                        .is_some_and(|c| c.as_os_str() == ".pristine"));
            !(dropped_top
                || dropped_path
                || hidden
                || nested_target
                || learner_src
                || e.path() == out_abs)
        })
    {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push(entry.path().strip_prefix(&root)?.to_path_buf());
        }
    }
    // A data file ships when an exercise's manifest declares it public; the sources' READMEs
    // and licences always do.
    let public = crate::agreement::public_data(kit)?;
    files.retain(|f| {
        let path = f.to_string_lossy().replace('\\', "/");
        !path.starts_with("data/")
            || crate::agreement::is_source_notice(&path)
            || public.contains(&path)
    });

    std::fs::create_dir_all(out)?;
    for rel in &files {
        let dest = out.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let is_suite_mod =
            rel.starts_with("tests") && rel.file_name().is_some_and(|n| n == "mod.rs");
        if rel == Path::new("Cargo.toml") {
            std::fs::write(
                &dest,
                workspace_manifest(&std::fs::read_to_string(root.join(rel))?)?,
            )?;
        } else if is_suite_mod {
            let text = std::fs::read_to_string(root.join(rel))?;
            let stripped = strip_hidden(&text).with_context(|| {
                format!("cannot strip the hidden checks from {}", rel.display())
            })?;
            std::fs::write(&dest, stripped)?;
        } else {
            std::fs::copy(root.join(rel), &dest)
                .with_context(|| format!("cannot copy {}", rel.display()))?;
        }
    }
    let mut stubs = 0;
    for exercise in kit.exercises()? {
        let pristine = reset::pristine(kit, &exercise)
            .with_context(|| format!("cannot generate the stubs of {}", exercise.dir))?;
        let src = exercise.path().join("src");
        for (path, content) in &pristine {
            let relative = Path::new(path)
                .strip_prefix(&src)
                .with_context(|| format!("{path} is not under {}", src.display()))?;
            for dest in [
                out.join(path),
                out.join(PRISTINE_DIR)
                    .join(&exercise.dir)
                    .join("src")
                    .join(relative),
            ] {
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&dest, content)
                    .with_context(|| format!("cannot write {}", dest.display()))?;
            }
            stubs += 1;
        }
    }
    // The learner's crates' generated files, from the manifests rather than the working copy.
    for (exercise, manifest) in crate::manifest::authored(kit)? {
        for (path, content) in crate::generate::files_of(kit, &exercise, &manifest)? {
            if path.starts_with("exercises/") {
                let dest = out.join(&path);
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&dest, content)
                    .with_context(|| format!("cannot write {}", dest.display()))?;
            }
        }
    }
    std::fs::write(out.join("README.md"), STUDENT_README)?;
    trim_lock_file(out)?;
    let ci = out.join(".ci").join("run");
    std::fs::create_dir_all(ci.parent().expect("a parent"))?;
    std::fs::write(&ci, STUDENT_CI)?;
    set_executable(&ci)?;
    println!(
        "student release written to {} ({} files, {stubs} stubs generated from the solutions): \
         stubs, public checks, the CLI",
        out.display(),
        files.len() + stubs
    );
    Ok(true)
}

/// Drops the solutions' and benches' packages from the copied `Cargo.lock`, keeping every other
/// version as locked, so that `cargo … --locked` works in the release.
fn trim_lock_file(out: &Path) -> Result<()> {
    if !out.join("Cargo.lock").is_file() {
        return Ok(());
    }
    // `update --workspace` only drops what no member needs; offline first, as the kit's builds
    // have the index cached.
    let update = |offline: bool| {
        crate::cargo::cargo()
            .current_dir(out)
            .args(["update", "--workspace", "--quiet"])
            .args(offline.then_some("--offline"))
            .stdin(std::process::Stdio::null())
            .output()
            .context("cannot run cargo (is Rust installed? https://rustup.rs)")
    };
    let mut output = update(true)?;
    if !output.status.success() {
        output = update(false)?;
    }
    if !output.status.success() {
        bail!(
            "cannot update the release's Cargo.lock: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

fn set_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mut permissions = std::fs::metadata(path)?.permissions();
    permissions.set_mode(0o755);
    std::fs::set_permissions(path, permissions)?;
    Ok(())
}

/// The workspace manifest without the solutions and the benches (which compare with them).
fn workspace_manifest(text: &str) -> Result<String> {
    let mut table: toml::Table = toml::from_str(text).context("Cargo.toml is not valid TOML")?;
    let dropped = |path: &str| {
        let top = path.split('/').next().unwrap_or_default();
        DROPPED.contains(&top)
    };
    if let Some(workspace) = table.get_mut("workspace").and_then(|w| w.as_table_mut()) {
        for key in ["members", "default-members"] {
            if let Some(list) = workspace.get_mut(key).and_then(|m| m.as_array_mut()) {
                list.retain(|m| m.as_str().is_none_or(|m| !dropped(m)));
            }
        }
        if let Some(deps) = workspace
            .get_mut("dependencies")
            .and_then(|d| d.as_table_mut())
        {
            deps.retain(|_, dep| {
                dep.get("path")
                    .and_then(|p| p.as_str())
                    .is_none_or(|p| !dropped(p))
            });
        }
    }
    Ok(toml::to_string(&table)?)
}

/// `mod.rs` of a suite without `mod hidden;` and without `.with(hidden::…)` calls.
pub fn strip_hidden(text: &str) -> Result<String> {
    let file = syn::parse_file(text)?;
    let mut finder = HiddenFinder::default();
    finder.visit_file(&file);
    let offsets = line_offsets(text);
    let to_byte = |lc: proc_macro2::LineColumn| -> usize {
        let start = offsets[lc.line - 1];
        let line = &text[start..];
        start
            + line
                .char_indices()
                .nth(lc.column)
                .map_or(line.len(), |(i, _)| i)
    };
    let mut cuts: Vec<(usize, usize)> = finder
        .ranges
        .iter()
        .map(|(a, b)| (to_byte(*a), to_byte(*b)))
        .collect();
    cuts.sort();
    let mut result = String::new();
    let mut at = 0;
    for (start, end) in cuts {
        if start < at {
            continue;
        }
        result.push_str(&text[at..start]);
        at = end;
    }
    result.push_str(&text[at..]);
    if result.contains("hidden") {
        let stray = result
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("hidden") && !l.trim_start().starts_with("//"));
        if let Some((n, line)) = stray {
            bail!(
                "line {} still names the hidden checks: `{}` (declare them with `mod hidden;` \
                 and add them with `.with(hidden::checks())` only; see docs/authoring.md)",
                n + 1,
                line.trim()
            );
        }
    }
    Ok(result)
}

fn line_offsets(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[derive(Default)]
struct HiddenFinder {
    ranges: Vec<(proc_macro2::LineColumn, proc_macro2::LineColumn)>,
}

impl<'ast> Visit<'ast> for HiddenFinder {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.ident == "hidden" {
            self.ranges.push((item.span().start(), item.span().end()));
        }
        syn::visit::visit_item_mod(self, item);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let names_hidden = call.args.iter().any(|arg| {
            let mut tokens = String::new();
            for token in quote::ToTokens::to_token_stream(arg) {
                tokens.push_str(&token.to_string());
            }
            tokens.starts_with("hidden")
        });
        if call.method == "with" && names_hidden {
            self.ranges.push((
                call.dot_token.span.start(),
                call.paren_token.span.close().end(),
            ));
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

const STUDENT_README: &str = r#"# mlings

Graded, hands-on exercises in machine-learning fundamentals, in Rust. You implement the math
yourself with nothing but ndarray, and a grading suite checks your code, gives points per step and
explains each failure.

## Start

```sh
cargo run --release   # builds and runs `mlings`: your progress, and the next thing to fix
```

Then open `exercises/01-linear-regression/src/lib.rs`, replace a `todo!(…)` with your code and run
`cargo run --release` again (or `cargo test -p linear-regression` for one exercise). Read an
exercise's statement with `cargo doc -p linear-regression --open`.

The checks here are the public ones, so the points `mlings` shows are out of the public checks'
points: fewer than the step tables in the statements, which count every check. Your instructor grades
your work with the hidden checks too (the same behaviours on more inputs, and the certified figures),
so make your code right for every input the statement allows, not just the examples.

## While you work

- `cargo run --release` stays open and watches `exercises/`: save a file and the current exercise
  is graded again. Keys: `n` next exercise, `p` previous, `h` next hint, `l` list, `r` re-run,
  `q` quit.
- `cargo run --release -- hint` shows the next hint for the first failing step: a nudge, then the
  method, then a near-solution.
- `cargo run --release -- reset 01 [--step N]` restores the pristine stub (your files are backed up
  under `.mlings/backups/` first).
- [docs/learner.md](docs/learner.md) has the rest.

## Handing in

Hand in the `exercises/` folder (only `exercises/*/src/**/*.rs` is graded; changes to other files
are ignored). Your code is graded in a sandbox: it may not use `unsafe`, `std::fs`, `std::process`,
`std::net`, `std::env`, `extern`, `include!`-style macros or `#[path]` — no exercise needs them.
"#;

/// The release's CI: everything the release ships builds and passes its own tests.
const STUDENT_CI: &str = r#"#!/usr/bin/env bash
# CI of the student release: the kit builds, its own tests pass, and the CLI lists the exercises.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked
cargo test --locked
cargo run --locked -q -p mlings -- list
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_hidden_module_and_its_checks() {
        let text = "//! Suite.\nuse x::Suite;\n\nmod hidden;\nmod public;\n\npub fn suite() -> Suite {\n    Suite::new(\"01\", STEPS)\n        .with(public::checks())\n        .with(hidden::checks())\n}\n";
        let stripped = strip_hidden(text).unwrap();
        assert!(!stripped.contains("hidden"), "{stripped}");
        assert!(stripped.contains(".with(public::checks())"), "{stripped}");
        syn::parse_file(&stripped).unwrap();
    }

    #[test]
    fn refuses_a_suite_that_names_hidden_elsewhere() {
        let text = "mod hidden;\nfn f() { let c = hidden::checks(); }\n";
        assert!(strip_hidden(text).is_err());
    }
}
