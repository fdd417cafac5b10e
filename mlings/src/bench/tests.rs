//! The tests of `mlings bench`, on criterion's files and a manifest in `mlings/tests/fixtures/`.

use super::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/criterion")
}

/// The kernels of the results in [`fixtures`], as a manifest declares them.
fn declared() -> Declared {
    Declared::read(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        Path::new("tests/fixtures/criterion-kernels.toml"),
    )
    .unwrap()
}

#[test]
fn loads_the_files_criterion_writes() {
    let all = load(&fixtures()).unwrap();
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "epoch/reference/1437",
            "nn_step/learner/32",
            "nn_step/naive/256",
            "nn_step/naive/32",
            "nn_step/reference/256",
            "nn_step/reference/32",
        ]
    );
    let step = &all[5];
    assert_eq!(
        (
            step.group.as_str(),
            step.function.as_str(),
            step.size.as_str()
        ),
        ("nn_step", "reference", "32")
    );
    assert!(
        (step.median_ns - 66594.718).abs() < 1e-2,
        "{}",
        step.median_ns
    );
}

#[test]
fn a_missing_directory_has_no_results_and_a_broken_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(load(&dir.path().join("criterion")).unwrap().is_empty());
    let new = dir.path().join("g/f/1/new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(new.join("benchmark.json"), "{not json").unwrap();
    let err = format!("{:#}", load(dir.path()).unwrap_err());
    assert!(err.contains("benchmark.json"), "{err}");
}

#[test]
fn reads_skips_and_measured_ids_from_the_bench_output() {
    // As criterion 0.8 prints them on stdout (its progress goes to stderr).
    let output = "\
skipping learner/nn_step: not implemented yet (run `cargo test -p <exercise>` to see why)
nn_step/reference/32    time:   [65.756 µs 66.070 µs 66.596 µs]
                    thrpt:  [480.51 Kelem/s 484.34 Kelem/s 486.65 Kelem/s]
Found 1 outliers among 10 measurements (10.00%)
  1 (10.00%) high mild
normal_equations/reference/1000000x32
                    time:   [38.123 ms 38.456 ms 38.901 ms]
skipping learner/qr: it panicked: index out of bounds
";
    let mut reader = OutputReader::default();
    let events: Vec<Event> = output.lines().filter_map(|l| reader.feed(l)).collect();
    assert_eq!(
        events,
        [
            Event::Skipped {
                kernel: "nn_step".into(),
                reason: "not implemented yet".into()
            },
            Event::Measured {
                id: "nn_step/reference/32".into(),
                time: "[65.756 µs 66.070 µs 66.596 µs]".into()
            },
            Event::Measured {
                id: "normal_equations/reference/1000000x32".into(),
                time: "[38.123 ms 38.456 ms 38.901 ms]".into()
            },
            Event::Skipped {
                kernel: "qr".into(),
                reason: "it panicked: index out of bounds".into()
            },
        ]
    );
}

#[test]
fn long_titles_are_matched_by_their_prefix() {
    let m = Measurement {
        id: "group/function/size".into(),
        group: "group".into(),
        function: "function".into(),
        size: "size".into(),
        median_ns: 1.0,
        written: SystemTime::UNIX_EPOCH,
    };
    assert!(is_titled(&m, "group/function/size"));
    assert!(is_titled(&m, "group/func..."));
    assert!(!is_titled(&m, "group/function"));
}

#[test]
fn the_summary_gives_ratios_rates_and_skips_at_a_glance() {
    let all = load(&fixtures()).unwrap();
    let skipped = BTreeMap::from([("epoch".to_owned(), "not implemented yet".to_owned())]);
    let text = summary(&all, &skipped, &declared(), Peaks::default());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("kernel   size  reference"), "{text}");
    assert!(lines[0].contains("learner ÷ reference"), "{text}");
    assert!(lines[0].contains("naive ÷ reference"), "{text}");
    // Kernels in the order given, sizes in numeric order: 32 before 256.
    assert!(lines[1].starts_with("epoch "), "{text}");
    let row32 = lines[2];
    assert!(row32.starts_with("nn_step  32 "), "{text}");
    assert!(row32.contains("66.59 µs"), "{text}");
    // 2·32·(2·64·128 + 3·128·10) FLOPs in 66.59 µs: 19.4 GFLOP/s, 40% of 49.
    assert!(row32.contains("19.4 GFLOP/s (40%)"), "{text}");
    // The hand-written learner fixture takes twice the reference's time.
    assert!(row32.contains("2.00×, 9.72 GFLOP/s (20%)"), "{text}");
    assert!(lines[3].starts_with("nn_step  256"), "{text}");
    assert!(lines[3].contains("skipped"), "{text}");
    assert!(lines[3].contains("13.7×"), "{text}");
    let epoch = lines[1];
    assert!(epoch.contains("skipped: not implemented yet"), "{text}");
    assert!(epoch.contains('—'), "no naive epoch: {text}");
    // No work declared for the epoch: its time without a rate, and which declaration is missing.
    assert!(
        epoch.contains("3.578 ms") && !epoch.contains("/s"),
        "{text}"
    );
    assert!(
        lines[4].starts_with("epoch: times without rates: tests/fixtures/criterion-kernels.toml has no [[kernel]] with group = \"epoch\""),
        "{text}"
    );
}

#[test]
fn a_size_without_declared_work_says_so() {
    let all = load(&fixtures()).unwrap();
    let mut declared = declared();
    declared.kernels[0].work.retain(|w| w.size != "256");
    let text = summary(&all, &BTreeMap::new(), &declared, Peaks::default());
    assert!(text.contains("GFLOP/s"), "32 still has its rate: {text}");
    assert!(text.contains("declares no work for size \"256\""), "{text}");
}

#[test]
fn skipped_kernels_with_no_rows_still_say_why() {
    let skipped = BTreeMap::from([("qr".to_owned(), "it does not match".to_owned())]);
    let text = summary(&[], &skipped, &Declared::default(), Peaks::default());
    assert!(
        text.contains("qr: learner skipped: it does not match"),
        "{text}"
    );
}

#[test]
fn stale_learner_rows_are_dropped() {
    let at = |secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    let row = |function: &str, written| Measurement {
        id: format!("g/{function}/1"),
        group: "g".into(),
        function: function.into(),
        size: "1".into(),
        median_ns: 1.0,
        written,
    };
    let fresh = vec![row("learner", at(1000)), row("reference", at(1002))];
    assert_eq!(without_stale_learner_rows(fresh).len(), 2);
    let stale = vec![row("learner", at(1000)), row("reference", at(5000))];
    let kept = without_stale_learner_rows(stale);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].function, "reference");
}

/// A bench of a made-up exercise in a kit of its own.
fn write_bench(root: &Path, dir: &str, package: &str, bench: &str, manifest: Option<&str>) {
    let crate_dir = root.join("solutions").join(dir);
    std::fs::create_dir_all(crate_dir.join("benches")).unwrap();
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!("[package]\nname = \"{package}\"\n"),
    )
    .unwrap();
    std::fs::write(
        crate_dir.join("benches").join(format!("{bench}.rs")),
        "fn f(c: &mut Criterion) { c.benchmark_group(\"g\"); c.benchmark_group(\"h\"); }",
    )
    .unwrap();
    if let Some(manifest) = manifest {
        std::fs::write(crate_dir.join("exercise.toml"), manifest).unwrap();
    }
}

#[test]
fn benches_are_found_with_their_solution_and_kernels() {
    let kit = tempfile::tempdir().unwrap();
    let root = kit.path();
    assert!(
        discover(root).unwrap().is_empty(),
        "a release has no solutions"
    );
    write_bench(
        root,
        "09-second",
        "second-solution",
        "second",
        Some("[[kernel]]\ngroup = \"g\"\nbound = \"memory\"\n"),
    );
    write_bench(root, "08-first", "first-solution", "first", None);
    // A solution without benches has none to find.
    std::fs::create_dir_all(root.join("solutions/10-none/src")).unwrap();
    let found = discover(root).unwrap();
    let names: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|b| (b.dir.as_str(), b.package.as_str(), b.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("08-first", "first-solution", "first"),
            ("09-second", "second-solution", "second"),
        ]
    );
    assert!(found[0].declared.kernels.is_empty());
    assert_eq!(
        found[1].declared.manifest,
        Path::new("solutions/09-second/exercise.toml")
    );
    assert!(found[1].declared.has("g"));
    assert!(found[1].owns("h"), "named in the source");
    assert!(!found[1].owns("i"));
    assert_eq!(
        found[1].command(),
        "cargo bench -p second-solution --bench second"
    );
}

#[test]
fn a_broken_manifest_is_an_error_naming_it() {
    let kit = tempfile::tempdir().unwrap();
    write_bench(
        kit.path(),
        "08-x",
        "x-solution",
        "x",
        Some("[[kernel]]\ngroup = 1\n"),
    );
    let err = format!("{:#}", discover(kit.path()).unwrap_err());
    assert!(err.contains("solutions/08-x/exercise.toml"), "{err}");
}

/// The kit's own benches: every declared kernel is a group the bench measures, with its work at
/// some size, and no two exercises share a group (criterion keeps results by group, so one
/// would overwrite the other's). A group without a declaration is allowed: the summary shows its
/// times and names the declaration it lacks.
#[test]
fn the_kits_manifests_declare_kernels_their_benches_measure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    if !root.join(SOLUTIONS).is_dir() {
        return; // a student release: no solutions, so no benches
    }
    let benches = discover(root).unwrap();
    assert!(!benches.is_empty(), "the kit has benches");
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for bench in &benches {
        assert!(
            !bench.groups.is_empty(),
            "{}: no benchmark group",
            bench.name
        );
        for kernel in &bench.declared.kernels {
            assert!(
                bench.groups.contains(&kernel.group),
                "{}: [[kernel]] \"{}\" is not a group of benches/{}.rs",
                bench.declared.manifest.display(),
                kernel.group,
                bench.name
            );
            assert!(!kernel.work.is_empty(), "{}: no work", kernel.group);
        }
        for group in &bench.groups {
            if let Some(other) = seen.insert(group, &bench.dir) {
                assert_eq!(other, bench.dir, "group \"{group}\" in two exercises");
            }
        }
    }
}

#[test]
fn a_bench_names_its_kernels_in_its_benchmark_groups() {
    let source = r#"
        let mut group = c.benchmark_group("step");
        let mut other = c.benchmark_group( "product" );
        c.benchmark_group("step");
        c.benchmark_group(name); // not a literal: left out
    "#;
    assert_eq!(bench_groups(source), ["step", "product"]);
    assert!(bench_groups("//! placeholder\nfn main() {}").is_empty());
}

#[test]
fn times_read_like_criterion() {
    assert_eq!(format_time(66_594.7), "66.59 µs");
    assert_eq!(format_time(3_588_600.0), "3.589 ms");
    assert_eq!(format_time(1.1e9), "1.100 s");
    assert_eq!(format_time(512.0), "512.0 ns");
}

#[test]
fn peaks_come_from_the_environment_when_set() {
    // Only the default path: the environment is shared by the tests of this process.
    assert_eq!(Peaks::default().gflops, DEFAULT_PEAK_GFLOPS);
    assert!(!Peaks::default().from_env);
}
