//! `mlings release OUT`: the students' copy of the kit: the stubs, the public checks, the CLI and
//! a README for students; no solutions, no hidden checks, no fixture only hidden checks read.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use syn::spanned::Spanned;
use syn::visit::Visit;
use walkdir::WalkDir;

use crate::kit::Kit;

/// Top-level folders never shipped.
const DROPPED: &[&str] = &[
    "target",
    ".git",
    ".mlings",
    "plots",
    "solutions",
    "benches",
    "corpus",
];

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
            !(dropped_top || hidden || nested_target || e.path() == out_abs)
        })
    {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push(entry.path().strip_prefix(&root)?.to_path_buf());
        }
    }
    // A data file ships only when something that ships names it.
    let texts: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with("data"))
        .filter_map(|f| std::fs::read_to_string(root.join(f)).ok())
        .collect();
    files.retain(|f| {
        !f.starts_with("data")
            || f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .is_some_and(|name| {
                    name.starts_with("README")
                        || name.starts_with("LICENSE")
                        || texts.iter().any(|t| t.contains(&name))
                })
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
    std::fs::write(out.join("README.md"), STUDENT_README)?;
    println!(
        "student release written to {} ({} files): stubs, public checks, the CLI",
        out.display(),
        files.len()
    );
    Ok(true)
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

The checks here are the public ones. Your instructor grades your work with more checks of the same
behaviours, so make your code right for every input the statement allows, not just the examples.

## Handing in

Hand in the `exercises/` folder (only `exercises/*/src/**/*.rs` is graded; changes to other files
are ignored). Your code is graded in a sandbox: it may not use `unsafe`, `std::fs`, `std::process`,
`std::net`, `std::env`, `extern`, `include!`-style macros or `#[path]` — no exercise needs them.
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
