//! `mlings bench --no-run` on a kit of its own: the bench is found in the solution's folder, its
//! kernels in the manifest, and a measured kernel the manifest does not declare is shown without
//! rates, with the declaration it lacks.

use std::path::Path;
use std::process::Command;

/// criterion's files of a bench that measured `nn_step` and `epoch`.
const CRITERION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/criterion");

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_summary_from_the_manifest_names_what_it_lacks() {
    let kit = tempfile::tempdir().unwrap();
    let root = kit.path();
    write(root, "Cargo.toml", "[workspace]\n");
    write(
        root,
        "exercises/07-tiny/Cargo.toml",
        "[package]\nname = \"tiny\"\n",
    );
    write(
        root,
        "solutions/07-tiny/Cargo.toml",
        "[package]\nname = \"tiny-solution\"\n",
    );
    write(
        root,
        "solutions/07-tiny/benches/tiny.rs",
        "c.benchmark_group(\"nn_step\"); c.benchmark_group(\"epoch\");",
    );
    write(
        root,
        "solutions/07-tiny/exercise.toml",
        "title = \"Tiny\"\n\n[[kernel]]\ngroup = \"nn_step\"\nbound = \"compute\"\n\
         work = [{ size = \"32\", flops = 1_294_336, bytes = 167_936 }]\n",
    );
    let run = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", root)
        .env("CRITERION_HOME", CRITERION)
        .env("MLINGS_PEAK_GFLOPS", "49")
        .env("MLINGS_PEAK_GBS", "18")
        .env("NO_COLOR", "1")
        .args(["bench", "7", "--no-run"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("07-tiny (cargo bench -p tiny-solution --bench tiny)"),
        "{stdout}"
    );
    // Declared at 32: a rate. Not at 256: times only, and the size it lacks.
    assert!(stdout.contains("19.4 GFLOP/s (40%)"), "{stdout}");
    assert!(
        stdout.contains(
            "the [[kernel]] \"nn_step\" of solutions/07-tiny/exercise.toml declares no work for \
             size \"256\""
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "epoch: times without rates: solutions/07-tiny/exercise.toml has no [[kernel]] with \
             group = \"epoch\""
        ),
        "{stdout}"
    );
}
