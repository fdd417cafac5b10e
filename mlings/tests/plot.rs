//! `mlings plot` on the real kit: every exercise with a plot program draws each of its figures
//! from the reference solution as a well-formed SVG and a decodable, non-blank PNG; the learner's
//! crate, whatever state it is in, gets its figures drawn or skipped with a reason, never a crash.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The kit: the repository this crate lives in.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the mlings crate sits in the kit")
        .to_path_buf()
}

fn mlings(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlings"))
        .args(args)
        .env("MLINGS_ROOT", root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("mlings runs")
}

fn text(output: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The stems of the pictures in `dir`, after checking that each `<stem>.svg` is a well-formed
/// SVG document with text in it and each `<stem>.png` decodes to a picture that is not blank.
fn well_formed_pictures(dir: &Path) -> BTreeSet<String> {
    let mut stems = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("svg") => {
                let svg = std::fs::read_to_string(&path).unwrap();
                let doc = roxmltree::Document::parse(&svg)
                    .unwrap_or_else(|e| panic!("{} is not well formed: {e}", path.display()));
                assert_eq!(doc.root_element().tag_name().name(), "svg");
                let words: usize = doc
                    .descendants()
                    .filter(|n| n.has_tag_name("text"))
                    .filter_map(|n| n.text())
                    .map(|t| t.split_whitespace().count())
                    .sum();
                assert!(words >= 5, "{} has no title or labels", path.display());
                assert!(
                    png_partner(&path).is_file(),
                    "{} has no PNG",
                    path.display()
                );
                stems.insert(stem);
            }
            Some("png") => {
                let decoder =
                    png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
                let mut reader = decoder
                    .read_info()
                    .unwrap_or_else(|e| panic!("{} does not decode: {e}", path.display()));
                let mut pixels = vec![0; reader.output_buffer_size()];
                let frame = reader.next_frame(&mut pixels).unwrap();
                assert!(
                    frame.width >= 400 && frame.height >= 300,
                    "{}",
                    path.display()
                );
                let pixels = &pixels[..frame.buffer_size()];
                let distinct: BTreeSet<&[u8]> = pixels.chunks(3).take(200_000).collect();
                assert!(distinct.len() > 8, "{} is nearly blank", path.display());
            }
            _ => panic!("unexpected file {}", path.display()),
        }
    }
    stems
}

fn png_partner(svg: &Path) -> PathBuf {
    svg.with_extension("png")
}

/// The figures a run reported: `✓ path` per picture and `○ name: reason` per skipped figure.
fn reported(stdout: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut drawn = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    for line in stdout.lines() {
        if let Some(path) = line.strip_prefix("✓ ") {
            drawn.insert(
                Path::new(path.trim())
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        } else if let Some(rest) = line.strip_prefix("○ ") {
            let (name, reason) = rest.split_once(": ").expect("`○ name: reason`");
            assert!(!reason.trim().is_empty(), "{line}");
            skipped.insert(name.to_owned());
        }
    }
    (drawn, skipped)
}

/// Every exercise whose solution has a plot program.
fn exercises_with_plots() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("solutions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("examples/plot.rs").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_exercise_has_a_plot_program_for_learner_and_reference() {
    let exercises = exercises_with_plots();
    assert!(
        exercises.len() >= 3,
        "plot programs in solutions/: {exercises:?}"
    );
    for dir in &exercises {
        assert!(
            root()
                .join("exercises")
                .join(dir)
                .join("examples/plot.rs")
                .is_file(),
            "exercises/{dir} has no examples/plot.rs"
        );
    }
}

#[test]
fn the_reference_draws_every_figure_well_formed() {
    for dir in exercises_with_plots() {
        let out = tempfile::tempdir().unwrap();
        let run = mlings(&[
            "plot",
            &dir,
            "--reference",
            "--out",
            out.path().to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{dir}: {}", text(&run));
        let (drawn, skipped) = reported(&String::from_utf8_lossy(&run.stdout));
        assert!(skipped.is_empty(), "{dir}: skipped {skipped:?}");
        assert!(drawn.len() >= 2, "{dir}: drew only {drawn:?}");
        assert_eq!(well_formed_pictures(out.path()), drawn, "{dir}");
    }
}

#[test]
fn the_learners_crate_gets_each_figure_drawn_or_skipped_with_a_reason() {
    for dir in exercises_with_plots() {
        let out = tempfile::tempdir().unwrap();
        let run = mlings(&["plot", &dir, "--out", out.path().to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        // 0: every figure drawn; 1: some skipped or the crate does not compile. Never a crash.
        assert!(
            matches!(run.status.code(), Some(0 | 1)),
            "{dir}: {}",
            text(&run)
        );
        assert!(!stdout.contains("panicked"), "{dir}: {}", text(&run));
        if stdout.contains("does not compile") {
            continue;
        }
        let (drawn, skipped) = reported(&stdout);
        assert!(
            !drawn.is_empty() || !skipped.is_empty(),
            "{dir}: {}",
            text(&run)
        );
        assert!(drawn.is_disjoint(&skipped));
        assert_eq!(well_formed_pictures(out.path()), drawn, "{dir}");
    }
}
