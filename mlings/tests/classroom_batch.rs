//! Batch grading end to end on a tiny fixture kit (one exercise, no learner dependencies) with
//! the hostile-submission corpus in `tests/hostile/`: every submission scores exactly what it
//! earns, the batch completes, and the gradebook and feedback are right.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;

use common::{HOSTILE, batch, fixture_kit, outcome, result, submission};

/// The lines of a Markdown text outside its fenced code blocks.
fn outside_fences(markdown: &str) -> Vec<&str> {
    let mut fence: Option<String> = None;
    let mut outside = Vec::new();
    for line in markdown.lines() {
        let ticks: String = line.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(open) if ticks.len() >= open.len() && line.trim_end() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => outside.push(line),
        }
    }
    outside
}

/// Hostile submissions that are more than a `lib.rs`: links, huge and many files, odd names.
fn hostile_layouts(kit: &Path, subs: &Path, work: &Path) {
    let correct = std::fs::read_to_string(Path::new(HOSTILE).join("correct.rs")).unwrap();
    // `exercises` is a link to a classmate's work.
    std::fs::create_dir_all(subs.join("link_exercises")).unwrap();
    std::os::unix::fs::symlink(
        "../correct/exercises",
        subs.join("link_exercises/exercises"),
    )
    .unwrap();
    // `src` is a link to a copy of the solutions.
    let solutions = work.join("solutions/01-tiny/src");
    std::fs::create_dir_all(&solutions).unwrap();
    std::fs::write(solutions.join("lib.rs"), &correct).unwrap();
    let linked = subs.join("link_src/exercises/01-tiny");
    std::fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(&solutions, linked.join("src")).unwrap();
    // The whole submission is a link.
    std::os::unix::fs::symlink(subs.join("correct"), subs.join("link_root")).unwrap();
    // 100,000 nested parentheses in a file no module declares.
    submission(subs, "deep_parens", &correct);
    let deep = format!(
        "pub fn f() -> i64 {{ {}1{} }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    std::fs::write(subs.join("deep_parens/exercises/01-tiny/src/deep.rs"), deep).unwrap();
    // A 1 GiB sparse file outside src/: flagged without being read.
    submission(subs, "sparse_file", &correct);
    let sparse = std::fs::File::create(subs.join("sparse_file/notes.bin")).unwrap();
    sparse.set_len(1 << 30).unwrap();
    // 300 source files: over the intake limit.
    submission(subs, "many_files", &correct);
    for i in 0..300 {
        std::fs::write(
            subs.join(format!("many_files/exercises/01-tiny/src/m{i}.rs")),
            "pub fn f() {}\n",
        )
        .unwrap();
    }
    // A name a spreadsheet would run.
    submission(subs, "=HYPERLINK(\"x\")", &correct);
    // Unchanged files of the kit around the sources are not flagged.
    let whole = subs.join("whole_kit");
    submission(subs, "whole_kit", &correct);
    std::fs::create_dir_all(whole.join("tests/01-tiny")).unwrap();
    std::fs::copy(
        kit.join("tests/01-tiny/public.rs"),
        whole.join("tests/01-tiny/public.rs"),
    )
    .unwrap();
    std::fs::copy(
        kit.join("exercises/01-tiny/Cargo.toml"),
        whole.join("exercises/01-tiny/Cargo.toml"),
    )
    .unwrap();
}

#[test]
fn hostile_corpus_scores_exactly_what_it_earns() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    for entry in std::fs::read_dir(HOSTILE).unwrap() {
        let path = entry.unwrap().path();
        // `hostile/os/` holds the corpus of `classroom_sandbox.rs`, graded without the policy.
        if !path.is_file() {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        submission(&subs, &name, &std::fs::read_to_string(&path).unwrap());
    }
    // Edits the tests, the manifest and adds a build script; its sources are the stub.
    let tampered = subs.join("tampered");
    submission(
        &subs,
        "tampered",
        &std::fs::read_to_string(kit.join("exercises/01-tiny/src/lib.rs")).unwrap(),
    );
    std::fs::create_dir_all(tampered.join("tests/01-tiny")).unwrap();
    std::fs::write(
        tampered.join("tests/01-tiny/hidden.rs"),
        "pub fn checks() -> Vec<()> { vec![] }",
    )
    .unwrap();
    std::fs::write(
        tampered.join("exercises/01-tiny/Cargo.toml"),
        "[package]\nname = \"tiny\"\nbuild = \"build.rs\"\n",
    )
    .unwrap();
    std::fs::write(
        tampered.join("exercises/01-tiny/build.rs"),
        "fn main() { std::process::exit(0) }",
    )
    .unwrap();
    // Only `exercises/*/src` handed in, without the kit around it.
    let bare = subs.join("bare-src/01-tiny/src");
    std::fs::create_dir_all(&bare).unwrap();
    std::fs::copy(Path::new(HOSTILE).join("partial.rs"), bare.join("lib.rs")).unwrap();
    // A file name that tries to add a heading to the feedback.
    std::fs::write(tampered.join("evil\n# Heading.txt"), "x").unwrap();
    hostile_layouts(&kit, &subs, work.path());

    let out = work.path().join("out");
    let run = batch(&kit, &subs, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let expected: &[(&str, &str, u64)] = &[
        ("correct", "graded", 5),
        ("partial", "graded", 3),
        ("bare-src", "graded", 3),
        ("broken", "does_not_compile", 0),
        ("fake_output", "graded", 0),
        ("exit_zero", "refused", 0),
        ("write_report", "refused", 0),
        ("read_hidden", "refused", 0),
        ("fork_bomb", "refused", 0),
        ("infinite_loop", "graded", 2),
        ("huge_output", "graded", 2),
        ("panic_in_drop", "graded", 2),
        // These crash the whole suite; each check is then run alone.
        ("thread_bomb", "graded", 2),
        ("unbounded_alloc", "graded", 0),
        ("stack_overflow", "graded", 0),
        ("tampered", "graded", 0),
        // Forgeries reach no run: the policy refuses `std::env` and `std::fs`.
        ("forged_weight", "refused", 0),
        ("forged_names", "refused", 0),
        ("forged_duplicate", "refused", 0),
        // Crashes the whole process in one check and hangs it in another.
        ("crash_then_hang", "graded", 2),
        ("huge_panic", "graded", 4),
        ("markdown_fence", "graded", 4),
        ("link_exercises", "missing", 0),
        ("link_src", "missing", 0),
        ("link_root", "missing", 0),
        ("deep_parens", "refused", 0),
        ("sparse_file", "graded", 5),
        ("many_files", "not_taken", 0),
        ("=HYPERLINK(\"x\")", "graded", 5),
        ("whole_kit", "graded", 5),
    ];
    for (student, kind, score) in expected {
        let got = result(&out, student);
        assert_eq!(outcome(&got), (*kind, *score), "{student}: {got:#}");
    }
    for student in ["unbounded_alloc", "stack_overflow"] {
        let got = result(&out, student);
        assert!(
            got["exercises"]["01-tiny"]["note"].is_string(),
            "{student}: {got:#}"
        );
        assert_eq!(
            got["exercises"]["01-tiny"]["report"]["max_score"], 5,
            "{student}: {got:#}"
        );
    }
    let flags = result(&out, "tampered")["flags"].to_string();
    for file in [
        "tests/01-tiny/hidden.rs",
        "exercises/01-tiny/Cargo.toml",
        "exercises/01-tiny/build.rs",
    ] {
        assert!(flags.contains(file), "{file} not flagged: {flags}");
    }
    let flags_of = |student: &str| result(&out, student)["flags"].to_string();
    assert!(flags_of("link_exercises").contains("symbolic link not followed: exercises"));
    assert!(flags_of("link_src").contains("symbolic link not followed: exercises/01-tiny/src"));
    assert!(flags_of("link_root").contains("the submission is a symbolic link"));
    assert!(
        flags_of("sparse_file").contains("changed file ignored (the kit's is used): notes.bin")
    );
    assert!(flags_of("many_files").contains("sources over the limits"));
    assert_eq!(result(&out, "whole_kit")["flags"], serde_json::json!([]));
    assert!(
        flags_of("tampered").contains(r"evil\\n# Heading.txt"),
        "{}",
        flags_of("tampered")
    );
    let deep = result(&out, "deep_parens")["exercises"]["01-tiny"]["violations"].to_string();
    assert!(
        deep.contains("deep.rs:1: could not parse: nesting deeper than 256"),
        "{deep}"
    );

    // A crash then a hang: the checks that finished keep their results, the rest earn nothing,
    // and the checks left ran once more in one process, not one by one.
    let crashed = result(&out, "crash_then_hang");
    let checks = crashed["exercises"]["01-tiny"]["report"]["checks"]
        .as_array()
        .unwrap();
    let statuses: Vec<(&str, &str)> = checks
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses.len(), 4, "{crashed:#}");
    for (name, status) in statuses {
        assert_eq!(
            status == "passed",
            name == "add_matches_secret_sum",
            "{crashed:#}"
        );
    }
    assert!(
        crashed["exercises"]["01-tiny"]["note"].is_string(),
        "{crashed:#}"
    );

    // A 15 MB panic message is kept as 4 KiB, cut visibly.
    let shouted = result(&out, "huge_panic");
    let message = shouted["exercises"]["01-tiny"]["report"]["checks"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.len() <= 4096 && message.ends_with("… (cut)"),
        "{}",
        message.len()
    );
    let size = std::fs::metadata(out.join("results/huge_panic.json"))
        .unwrap()
        .len();
    assert!(size < 64 << 10, "{size} bytes of results");

    let refused = result(&out, "read_hidden")["exercises"]["01-tiny"]["violations"].to_string();
    assert!(
        refused.contains("lib.rs:2") && refused.contains("include_str"),
        "{refused}"
    );

    // The gradebook: a row per student, a column per exercise, step, total and flags.
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let header = gradebook.lines().next().unwrap();
    assert_eq!(
        header,
        "student,01-tiny,01-tiny step 1 add,01-tiny step 2 double,01-tiny status,total,max_total,flags"
    );
    assert_eq!(gradebook.lines().count(), expected.len() + 1);
    // The other students' rows are what they earned, out of the suite's own maximum.
    for row in [
        "partial,3,3,0,graded,3,5,",
        "correct,5,3,2,graded,5,5,",
        "forged_weight,0,0,0,refused by the source policy,0,5,",
    ] {
        assert!(
            gradebook.lines().any(|l| l.starts_with(row)),
            "{row}\n{gradebook}"
        );
    }
    // A name a spreadsheet would run is text.
    assert!(
        gradebook
            .lines()
            .any(|l| l.starts_with(r#""'=HYPERLINK(""x"")",5,3,2,graded,5,5,"#)),
        "{gradebook}"
    );
    let feedback_names: Vec<String> = std::fs::read_dir(out.join("feedback"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        feedback_names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))),
        "{feedback_names:?}"
    );
    assert!(
        feedback_names
            .iter()
            .any(|n| n.starts_with("_HYPERLINK__x__-")),
        "{feedback_names:?}"
    );

    // Student text never becomes Markdown: not a panic message, not a file name.
    for student in ["markdown_fence", "tampered"] {
        let path = out.join(format!("feedback/{student}.md"));
        let feedback = std::fs::read_to_string(path).unwrap();
        for line in outside_fences(&feedback) {
            assert!(
                !line.contains("Forged")
                    && !line.starts_with("# Heading")
                    && !line.contains("Full marks"),
                "{student}: {line}\n{feedback}"
            );
        }
    }
    let fenced = std::fs::read_to_string(out.join("feedback/markdown_fence.md")).unwrap();
    assert!(fenced.contains("# Forged heading"), "{fenced}");

    // Feedback: hidden checks show pass or fail and points, never their message.
    let feedback = std::fs::read_to_string(out.join("feedback/partial.md")).unwrap();
    assert!(
        feedback.contains("double_matches_secret_negative (hidden) | fail | 0 / 1"),
        "{feedback}"
    );
    assert!(!feedback.contains("-42"), "{feedback}");
    assert!(feedback.contains("double(4): got 12"), "{feedback}");

    // A re-run skips every unchanged submission; --regrade grades again.
    let before = std::fs::metadata(out.join("results/correct.json"))
        .unwrap()
        .modified()
        .unwrap();
    // A submission withdrawn since the last run leaves no feedback or result behind.
    std::fs::remove_dir_all(subs.join("partial")).unwrap();
    let again = batch(&kit, &subs, &out, &[]);
    assert!(again.status.success());
    let after = std::fs::metadata(out.join("results/correct.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "an unchanged submission was graded again");
    assert!(!out.join("feedback/partial.md").exists());
    assert!(!out.join("results/partial.json").exists());
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(
        said.contains("graded 0 submissions,") && said.contains("unchanged since the last run"),
        "{said}"
    );
}

#[test]
fn sandbox_alone_catches_exit_zero_without_a_report() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    submission(
        &subs,
        "exit_zero",
        &std::fs::read_to_string(Path::new(HOSTILE).join("exit_zero.rs")).unwrap(),
    );
    let out = work.path().join("out");
    let run = batch(&kit, &subs, &out, &["--no-policy"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // No report: the suite counts as crashed, each check alone crashes too.
    let got = result(&out, "exit_zero");
    assert_eq!(outcome(&got), ("graded", 0), "{got:#}");
    assert!(got["exercises"]["01-tiny"]["note"].is_string(), "{got:#}");
}

#[test]
fn gradescope_writes_results_and_hides_hidden_messages() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    submission(
        &subs,
        "partial",
        &std::fs::read_to_string(Path::new(HOSTILE).join("partial.rs")).unwrap(),
    );
    let results = work.path().join("results/results.json");
    let run = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .env("CARGO_TARGET_DIR", kit.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .arg("gradescope")
        .arg("--submission")
        .arg(subs.join("partial"))
        .arg("--results")
        .arg(&results)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(json["score"], 3);
    assert_eq!(json["max_score"], 5);
    let tests = json["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 4);
    let hidden = tests
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .unwrap()
                .ends_with("double_matches_secret_negative")
        })
        .unwrap();
    assert_eq!(hidden["output"], "failed");
    assert_eq!(hidden["visibility"], "after_published");
    for key in ["name", "score", "max_score", "output", "visibility"] {
        assert!(tests.iter().all(|t| !t[key].is_null()), "{key}");
    }

    let zip_path = work.path().join("autograder.zip");
    let made = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .arg("gradescope-bundle")
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let bytes = std::fs::read(&zip_path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for name in [
        "setup.sh",
        "run_autograder",
        "kit/Cargo.toml",
        "kit/exercises/01-tiny/src/lib.rs",
    ] {
        assert!(text.contains(name), "{name} missing from the bundle");
    }
    assert!(
        !text.contains("kit/target/"),
        "the bundle holds build products"
    );
}

#[test]
fn forged_reports_score_nothing_and_change_no_other_row() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    for student in [
        "correct",
        "partial",
        "forged_weight",
        "forged_names",
        "forged_duplicate",
    ] {
        let lib = std::fs::read_to_string(Path::new(HOSTILE).join(format!("{student}.rs")));
        submission(&subs, student, &lib.unwrap());
    }
    let out = work.path().join("out");
    // With the policy and the operating system's walls off the forgeries reach the report: the
    // trusted listing alone is what stops them. (With the walls on they cannot even open it:
    // classroom_sandbox.rs.)
    let run = batch(&kit, &subs, &out, &["--no-policy", "--no-walls"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (student, why) in [
        ("forged_weight", "1000 of 1000 points"),
        ("forged_names", "`extra_credit` is not a check of the suite"),
        ("forged_duplicate", "finished twice"),
    ] {
        let got = result(&out, student);
        assert_eq!(outcome(&got), ("crashed", 0), "{student}: {got:#}");
        let detail = got["exercises"]["01-tiny"]["detail"].as_str().unwrap();
        assert!(
            detail.contains("does not match the suite") && detail.contains(why),
            "{student}: {detail}"
        );
    }
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let header = gradebook.lines().next().unwrap();
    assert_eq!(
        header,
        "student,01-tiny,01-tiny step 1 add,01-tiny step 2 double,01-tiny status,total,max_total,flags"
    );
    for row in [
        "correct,5,3,2,graded,5,5,",
        "partial,3,3,0,graded,3,5,",
        "forged_weight,0,0,0,crashed,0,5,",
        "forged_names,0,0,0,crashed,0,5,",
        "forged_duplicate,0,0,0,crashed,0,5,",
    ] {
        assert!(
            gradebook.lines().any(|l| l.starts_with(row)),
            "{row}\n{gradebook}"
        );
    }
}
