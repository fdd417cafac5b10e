//! `mlings sync`: regenerating the learner's stubs from the reference solutions, and each
//! exercise's boilerplate (both crates' `Cargo.toml`, `tests/grade.rs`, `examples/plot.rs`, the
//! learner's copy of the manifest, the README's table) from its manifest ([`crate::generate`]).
//!
//! A manifest (`exercises/.stubs.sha256`) records the hash of every stub file as generated, so sync
//! can tell a stale stub (safe to replace) from a learner's edit (never replaced without `--force`,
//! and then only after a backup). Generated boilerplate is never the learner's work: it is
//! replaced whenever it differs, after a backup when it was edited by hand. A stub whose solution
//! file is gone (an orphan) is removed the same way: at once when it is as generated, only with
//! `--force` and after a backup when it was edited.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::fsutil::{backup, rust_files, write_atomic};
use crate::kit::{Exercise, Kit};
use crate::{generate, manifest, stubs};

const MANIFEST: &str = "exercises/.stubs.sha256";

/// What `sync` should do.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Only report drift; write nothing.
    pub check: bool,
    /// Replace files a learner has edited, after backing them up.
    pub force: bool,
}

/// One file as the solutions generate it.
struct Planned {
    /// Relative to the kit root, with `/` separators.
    path: String,
    content: String,
    /// Boilerplate from a manifest rather than a stub of the learner's sources.
    generated: bool,
}

/// Runs `sync`; returns whether everything is (or now is) in sync.
pub fn run(kit: &Kit, options: Options) -> Result<bool> {
    if !kit.root.join("solutions").is_dir() {
        bail!(
            "this kit has no solutions/ to generate stubs from (a student release has none): \
             sync is for the kit's authors"
        );
    }
    let planned = plan(kit)?;
    let manifest = read_manifest(&kit.root);
    let mut drifted = Vec::new();
    let mut edited = Vec::new();
    let mut hand_edited = Vec::new();
    for file in &planned {
        let target = kit.root.join(&file.path);
        match std::fs::read_to_string(&target) {
            Ok(current) if current == file.content => {}
            Ok(current) if manifest.get(&file.path) == Some(&hash(&current)) => drifted.push(file),
            Ok(_) if file.generated => hand_edited.push(file),
            Ok(_) => edited.push(file),
            Err(_) => drifted.push(file),
        }
    }

    let (stale_orphans, edited_orphans) = orphans(&kit.root, &planned, &manifest);

    let readme = readme_update(kit)?;
    if options.check {
        for file in drifted.iter().chain(&edited).chain(&hand_edited) {
            println!("out of sync: {}", file.path);
        }
        for path in stale_orphans.iter().chain(&edited_orphans) {
            println!("out of sync: {path} (no solution file generates it any more)");
        }
        if readme.is_some() {
            println!("out of sync: README.md (its table of exercises)");
        }
        let in_sync = drifted.is_empty()
            && edited.is_empty()
            && hand_edited.is_empty()
            && stale_orphans.is_empty()
            && edited_orphans.is_empty()
            && readme.is_none();
        if in_sync {
            println!("stubs in sync with solutions ({} files)", planned.len());
        } else {
            println!("run `mlings sync` to regenerate the stubs from solutions/");
        }
        return Ok(in_sync);
    }

    if (!edited.is_empty() || !edited_orphans.is_empty()) && !options.force {
        for file in &edited {
            println!("edited by hand: {}", file.path);
        }
        for path in &edited_orphans {
            println!("edited by hand, and no solution file generates it any more: {path}");
        }
        bail!(
            "{} stub file(s) differ from what mlings generated last: they look like a learner's \
             work, so nothing was written. `mlings sync --force` backs them up under .mlings/backups/ \
             and regenerates (or, without a solution file, removes) them",
            edited.len() + edited_orphans.len()
        );
    }
    // Generated files edited by hand are an author's, not a learner's: kept aside, then replaced.
    // Every edited file, replaced or removed, goes into one backup before anything is written.
    edited.extend(hand_edited);
    let kept: Vec<&str> = edited
        .iter()
        .map(|f| f.path.as_str())
        .chain(edited_orphans.iter().map(String::as_str))
        .collect();
    if !kept.is_empty() {
        let backup = backup(&kit.root, &kept)?;
        println!(
            "backed up {} edited file(s) to {}",
            kept.len(),
            backup.display()
        );
    }
    for path in stale_orphans.iter().chain(&edited_orphans) {
        std::fs::remove_file(kit.root.join(path))
            .with_context(|| format!("cannot remove {path}"))?;
        println!("removed {path}: no solution file generates it any more");
    }
    for file in drifted.iter().chain(&edited) {
        let target = kit.root.join(&file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomic(&target, file.content.as_bytes())?;
        println!("generated {}", file.path);
    }
    if let Some(text) = readme {
        write_atomic(&kit.root.join("README.md"), text.as_bytes())?;
        println!("generated README.md's table of exercises");
    }
    write_manifest(&kit.root, &planned)?;
    println!("stubs in sync with solutions ({} files)", planned.len());
    Ok(true)
}

/// The files the record says sync generated but no solution generates any more, and that still
/// exist: those unchanged since (safe to remove), then those edited since (a learner's work).
fn orphans(
    root: &Path,
    planned: &[Planned],
    manifest: &BTreeMap<String, String>,
) -> (Vec<String>, Vec<String>) {
    let mut stale = Vec::new();
    let mut edited = Vec::new();
    for (path, recorded) in manifest {
        if planned.iter().any(|file| file.path == *path) {
            continue;
        }
        // A record is data, not trust: only a plain relative path under exercises/ is touched.
        let relative = Path::new(path);
        let plain = path.starts_with("exercises/")
            && relative
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            continue;
        }
        let Ok(current) = std::fs::read(root.join(relative)) else {
            continue;
        };
        if hash_bytes(&current) == *recorded {
            stale.push(path.clone());
        } else {
            edited.push(path.clone());
        }
    }
    (stale, edited)
}

/// Every file the solutions and their manifests generate, stubs formatted. An exercise without a
/// manifest gets its stubs only.
fn plan(kit: &Kit) -> Result<Vec<Planned>> {
    let mut planned = Vec::new();
    let authored = manifest::authored(kit)?;
    for (exercise, manifest) in &authored {
        for (path, content) in generate::files_of(kit, exercise, manifest)? {
            planned.push(Planned {
                path,
                content,
                generated: true,
            });
        }
    }
    let mut exercises: Vec<Exercise> = authored.into_iter().map(|(e, _)| e).collect();
    for exercise in kit.exercises()? {
        if !exercises.iter().any(|e| e.dir == exercise.dir) {
            exercises.push(exercise);
        }
    }
    for exercise in &exercises {
        for (path, content) in stubs_of(kit, exercise)? {
            planned.push(Planned {
                path,
                content,
                generated: false,
            });
        }
    }
    Ok(planned)
}

/// The README with its table of exercises regenerated, when that changes it.
fn readme_update(kit: &Kit) -> Result<Option<String>> {
    let path = kit.root.join("README.md");
    let Ok(current) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let authored = manifest::authored(kit)?;
    Ok(generate::readme(&current, &authored).filter(|text| *text != current))
}

/// The stub files `exercise`'s solution generates: path relative to the kit root (`/` separators)
/// → content, formatted as `cargo fmt` would. Empty when the exercise has no solution sources.
pub(crate) fn stubs_of(kit: &Kit, exercise: &Exercise) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let src = kit.root.join(exercise.solution_path()).join("src");
    if !src.is_dir() {
        return Ok(files);
    }
    let learner_lib = exercise.package.replace('-', "_");
    let solution_lib = exercise.solution_package().replace('-', "_");
    for source in rust_files(&src)? {
        let relative = source.strip_prefix(&src).expect("walked under src");
        let text = std::fs::read_to_string(&source)
            .with_context(|| format!("cannot read {}", source.display()))?;
        // Doc examples name the crate they document: the learner's crate, not the solution's.
        let text = text.replace(&solution_lib, &learner_lib);
        let content = if stubs::has_regions(&text) {
            let stub =
                stubs::generate(&text).with_context(|| format!("in {}", source.display()))?;
            rustfmt(&stub)
                .with_context(|| format!("formatting the stub of {}", source.display()))?
        } else {
            text
        };
        let path = exercise.path().join("src").join(relative);
        files.insert(path.to_string_lossy().replace('\\', "/"), content);
    }
    Ok(files)
}

/// Formats a generated stub as `cargo fmt` would, so `cargo fmt --check` passes on the exercises.
pub(crate) fn rustfmt(source: &str) -> Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .expect("writer thread")
        .context("writing to rustfmt")?;
    if !output.status.success() {
        bail!(
            "rustfmt rejected the generated stub:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

fn hash(text: &str) -> String {
    hash_bytes(text.as_bytes())
}

fn hash_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_manifest(root: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(root.join(MANIFEST)) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let (hash, path) = line.split_once("  ")?;
            Some((path.to_owned(), hash.to_owned()))
        })
        .collect()
}

fn write_manifest(root: &Path, planned: &[Planned]) -> Result<()> {
    let mut text =
        String::from("# sha256 of each stub as `mlings sync` generated it; do not edit\n");
    // The learner's side only: the record ships in the student release.
    for file in planned.iter().filter(|f| f.path.starts_with("exercises/")) {
        text.push_str(&format!("{}  {}\n", hash(&file.content), file.path));
    }
    write_atomic(&root.join(MANIFEST), text.as_bytes())
}
