//! What `mlings verify` checks against each exercise's manifest: the suite's steps and points, the
//! step table of the crate's docs, and the data files the suite, the plot and the solution read.
//! The manifest is where an exercise's identity is written; everything else that repeats it must
//! agree.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use mlings_grader::Report;

use crate::fsutil::rust_files;
use crate::kit::{Exercise, Kit};
use crate::manifest::{Manifest, Visibility};

/// Every disagreement between `exercise`'s manifest and its suite (as graded on the reference,
/// `report`), its `lib.rs` step table and its data files, one line each.
pub fn problems(
    kit: &Kit,
    exercise: &Exercise,
    manifest: &Manifest,
    report: Option<&Report>,
) -> Result<Vec<String>> {
    let mut found = Vec::new();
    if let Some(report) = report {
        found.extend(suite_steps(manifest, report));
    }
    let lib = kit.root.join(exercise.solution_path()).join("src/lib.rs");
    if let Ok(text) = std::fs::read_to_string(&lib) {
        found.extend(step_table(manifest, &text));
    }
    found.extend(data_files(kit, exercise, manifest)?);
    Ok(found
        .into_iter()
        .map(|p| format!("{}: {p}", exercise.dir))
        .collect())
}

/// The manifest's steps (numbers, names, points) against the suite's.
fn suite_steps(manifest: &Manifest, report: &Report) -> Vec<String> {
    let ours: Vec<(u32, &str, u32)> = manifest
        .step
        .iter()
        .map(|s| (s.number, s.name.as_str(), s.points))
        .collect();
    let suite: Vec<(u32, &str, u32)> = report
        .steps
        .iter()
        .map(|s| (s.number, s.name.as_str(), report.step_score(s.number).1))
        .collect();
    if ours == suite {
        return Vec::new();
    }
    let show = |steps: &[(u32, &str, u32)]| {
        steps
            .iter()
            .map(|(n, name, points)| format!("{n} {name} ({points})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![format!(
        "the manifest's steps are [{}] but the suite's are [{}] (number, name, points of its \
         checks)",
        show(&ours),
        show(&suite)
    )]
}

/// The `## Steps (N points)` table of the crate's docs against the manifest: its total, and each
/// row's number, name, files and points.
fn step_table(manifest: &Manifest, lib: &str) -> Vec<String> {
    let docs: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let Some(heading) = docs.iter().position(|l| l.starts_with("## Steps")) else {
        return vec!["src/lib.rs has no `## Steps (N points)` table".to_owned()];
    };
    let mut found = Vec::new();
    let total = format!("## Steps ({} points)", manifest.points());
    if docs[heading] != total {
        found.push(format!(
            "src/lib.rs says `{}`, the manifest's steps add up to `{total}`",
            docs[heading]
        ));
    }
    let rows: Vec<Vec<&str>> = docs[heading + 1..]
        .iter()
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and its rule
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    if rows.len() != manifest.step.len() {
        found.push(format!(
            "src/lib.rs's step table has {} rows, the manifest {} steps",
            rows.len(),
            manifest.step.len()
        ));
    }
    for (row, step) in rows.iter().zip(&manifest.step) {
        let (Some(first), Some(last)) = (row.first(), row.last()) else {
            continue;
        };
        let identity = format!("{} {}", step.number, step.name);
        if *first != identity {
            found.push(format!(
                "src/lib.rs's step table says `{first}` where the manifest has `{identity}`"
            ));
        }
        if *last != step.points.to_string() {
            found.push(format!(
                "src/lib.rs's step table gives step {identity} {last} points, the manifest {}",
                step.points
            ));
        }
        let files: BTreeSet<String> = row
            .iter()
            .flat_map(|cell| cell.split('`'))
            .filter(|piece| piece.ends_with(".rs") && !piece.contains(' '))
            .map(|piece| format!("src/{piece}"))
            .collect();
        let declared: BTreeSet<String> = step.files.iter().cloned().collect();
        if !step.files.is_empty() && files != declared {
            found.push(format!(
                "src/lib.rs's step table puts step {identity} in {files:?}, the manifest's \
                 `files` in {declared:?}"
            ));
        }
    }
    found
}

/// Every data file the suite, the plot or the solution names is declared; every declared file
/// exists; a hidden one is named by hidden checks only, a public one by something that ships.
fn data_files(kit: &Kit, exercise: &Exercise, manifest: &Manifest) -> Result<Vec<String>> {
    let mut found = Vec::new();
    // What reads data, and whether it ships: the suite's hidden files do not.
    let mut readers: Vec<(String, bool)> = Vec::new();
    let suite = kit.root.join("tests").join(&exercise.dir);
    let solution = kit.root.join(exercise.solution_path());
    let mut sources = Vec::new();
    for dir in [
        suite.clone(),
        solution.join("src"),
        solution.join("examples"),
        solution.join("benches"),
    ] {
        if dir.is_dir() {
            sources.extend(rust_files(&dir)?);
        }
    }
    for file in sources {
        let hidden = file
            .strip_prefix(&suite)
            .ok()
            .and_then(|rel| rel.components().next())
            .is_some_and(|first| first.as_os_str().to_string_lossy().starts_with("hidden"));
        readers.push((std::fs::read_to_string(&file)?, !hidden));
    }
    let data = kit.root.join("data");
    let mut on_disk = Vec::new();
    if data.is_dir() {
        for entry in walkdir::WalkDir::new(&data).sort_by_file_name() {
            let entry = entry?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&kit.root)?;
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    for declared in &manifest.data {
        if !kit.root.join(&declared.path).is_file() {
            found.push(format!("declares {}, which does not exist", declared.path));
        }
    }
    for path in on_disk.iter().filter(|p| !is_source_notice(p)) {
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let named_by_shipped = readers.iter().any(|(t, ships)| *ships && t.contains(&name));
        let named = readers.iter().any(|(t, _)| t.contains(&name));
        match manifest.data.iter().find(|d| &d.path == path) {
            None if named => found.push(format!(
                "its suite, plot or solution reads {path}, which its manifest does not declare \
                 (a [[data]] entry, \"hidden\" when only hidden checks read it)"
            )),
            Some(d) if d.visibility == Visibility::Hidden && named_by_shipped => {
                found.push(format!(
                    "{path} is declared hidden, but a public check, the plot or the learner's \
                     crate reads it: the student release would lack it"
                ))
            }
            Some(d) if d.visibility == Visibility::Public && named && !named_by_shipped => found
                .push(format!(
                    "{path} is declared public, but only hidden checks read it: declare it \
                     hidden so it stays out of the student release"
                )),
            _ => {}
        }
    }
    Ok(found)
}

/// A data source's README or licence: it cites the source and ships whatever the exercises read.
pub fn is_source_notice(path: &str) -> bool {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.starts_with("README") || n.starts_with("LICENSE"))
}

/// Every data file some exercise's manifest declares public, relative to the kit root.
pub fn public_data(kit: &Kit) -> Result<BTreeSet<String>> {
    Ok(crate::manifest::authored(kit)?
        .iter()
        .flat_map(|(_, m)| m.data.iter())
        .filter(|d| d.visibility == Visibility::Public)
        .map(|d| d.path.clone())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
title = "Tiny"
package = "tiny"
summary = "adding."
[[step]]
number = 1
name = "add"
points = 3
files = ["src/add.rs"]
nudge = "n"
method = "m"
near_solution = "s"
[[step]]
number = 2
name = "double"
points = 2
files = ["src/double.rs"]
nudge = "n"
method = "m"
near_solution = "s"
"#;

    fn manifest() -> Manifest {
        Manifest::parse(MANIFEST, Path::new("exercise.toml")).unwrap()
    }

    #[test]
    fn a_matching_step_table_passes_and_each_disagreement_is_named() {
        let lib = "//! # Tiny\n//!\n//! ## Steps (5 points)\n//!\n//! | step | what you write | where | points |\n//! |---|---|---|---|\n//! | 1 add | [`add`] | `add.rs` | 3 |\n//! | 2 double | [`double`] | `double.rs` | 2 |\n//!\n//! More.\n";
        assert_eq!(step_table(&manifest(), lib), Vec::<String>::new());
        let wrong = lib.replace("(5 points)", "(6 points)").replace(
            "| 2 double | [`double`] | `double.rs` | 2 |",
            "| 2 twice | [`double`] | `twice.rs` | 3 |",
        );
        let found = step_table(&manifest(), &wrong).join("\n");
        for expected in ["(6 points)", "`2 twice`", "3 points", "twice.rs"] {
            assert!(found.contains(expected), "{expected} in {found}");
        }
    }

    #[test]
    fn the_kits_manifests_agree_with_their_step_tables_and_data_files() {
        let kit = Kit {
            root: Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        };
        if !kit.root.join("solutions").is_dir() {
            eprintln!("skipped: a student release has no solutions, so no authored manifests");
            return;
        }
        let authored = crate::manifest::authored(&kit).unwrap();
        assert!(!authored.is_empty());
        for (exercise, manifest) in &authored {
            let found = problems(&kit, exercise, manifest, None).unwrap();
            assert!(found.is_empty(), "{}", found.join("\n"));
        }
    }
}
