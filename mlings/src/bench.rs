//! `mlings bench [EXERCISE]`: runs an exercise's criterion bench through cargo, then reads
//! criterion's result files and prints a summary a person can read at a glance: per kernel and
//! size, the reference's time, the learner's and the naive versions' times as ratios of it, and
//! the rate each reaches against what one core of the machine can do.
//!
//! Nothing here knows an exercise: the benches are found (every `solutions/*/benches/*.rs`, a
//! target of the solution's crate), and the work behind the rates is what the exercise's manifest
//! declares in its `[[kernel]]` tables ([`kernels`]).
//!
//! criterion (0.8) writes, per benchmark, `<criterion>/<group>/<function>/<size>/new/` with
//! `benchmark.json` (the ids and the throughput) and `estimates.json` (mean, median, slope… in
//! nanoseconds per iteration), where `<criterion>` is `$CRITERION_HOME`, else
//! `<cargo target dir>/criterion`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::cargo;
use crate::kit::Kit;
use crate::show::Paint;

mod kernels;

pub use kernels::{Bound, Declared, Missing, Work};

/// The arguments of `mlings bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The exercise, by directory, crate or number; every exercise with a bench when omitted.
    pub exercise: Option<String>,
    /// Do not run anything: summarise the results of the last `cargo bench`.
    #[arg(long)]
    pub no_run: bool,
}

/// One core's f64 peak when `MLINGS_PEAK_GFLOPS` is not set: an AMD EPYC core (two 256-bit FMA
/// units, 4 f64 lanes, 2 FLOPs per FMA, about 3 GHz).
const DEFAULT_PEAK_GFLOPS: f64 = 49.0;
/// What one thread streams from memory when `MLINGS_PEAK_GBS` is not set (the same machine).
const DEFAULT_PEAK_GBS: f64 = 18.0;

/// What one core can do: the denominators of the rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peaks {
    /// f64 GFLOP/s of one core.
    pub gflops: f64,
    /// GB/s one thread streams from memory.
    pub gbs: f64,
    /// Whether the figures come from the environment rather than the defaults.
    pub from_env: bool,
    /// Whether the figures were measured on this machine.
    pub measured: bool,
}

impl Peaks {
    /// `MLINGS_PEAK_GFLOPS` and `MLINGS_PEAK_GBS` when set, else the defaults.
    pub fn from_env() -> Result<Peaks> {
        let read = |name: &str, default: f64| -> Result<Option<f64>> {
            match std::env::var(name) {
                Err(_) => Ok(None),
                Ok(text) => match text.trim().parse::<f64>() {
                    Ok(value) if value > 0.0 && value.is_finite() => Ok(Some(value)),
                    _ => bail!("{name} must be a positive number (like {default}), not `{text}`"),
                },
            }
        };
        let gflops = read("MLINGS_PEAK_GFLOPS", DEFAULT_PEAK_GFLOPS)?;
        let gbs = read("MLINGS_PEAK_GBS", DEFAULT_PEAK_GBS)?;
        Ok(Peaks {
            from_env: gflops.is_some() || gbs.is_some(),
            gflops: gflops.unwrap_or(DEFAULT_PEAK_GFLOPS),
            gbs: gbs.unwrap_or(DEFAULT_PEAK_GBS),
            measured: false,
        })
    }

    /// The environment's figures when set, else this machine's, measured once and kept in
    /// `file` (see [`crate::calibrate`]).
    pub fn of_this_machine(file: &Path, say: impl Fn(&str)) -> Result<Peaks> {
        let from_env = Peaks::from_env()?;
        if from_env.from_env {
            return Ok(from_env);
        }
        let measured = crate::calibrate::peaks(file, say)?;
        Ok(Peaks {
            gflops: measured.gflops,
            gbs: measured.gbs,
            from_env: false,
            measured: true,
        })
    }
}

impl Default for Peaks {
    fn default() -> Peaks {
        Peaks {
            gflops: DEFAULT_PEAK_GFLOPS,
            gbs: DEFAULT_PEAK_GBS,
            from_env: false,
            measured: false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// criterion's files
// ---------------------------------------------------------------------------------------------

/// `new/benchmark.json`.
#[derive(Debug, Deserialize)]
struct BenchmarkFile {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    full_id: String,
}

/// One statistic of `new/estimates.json`.
#[derive(Debug, Deserialize)]
struct Estimate {
    point_estimate: f64,
}

/// `new/estimates.json` (nanoseconds per iteration).
#[derive(Debug, Deserialize)]
struct EstimatesFile {
    median: Estimate,
}

/// One benchmark's last result.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// criterion's full id, `group/function/size`.
    pub id: String,
    /// The kernel: criterion's group.
    pub group: String,
    /// The implementation: `reference`, `learner`, `naive`…
    pub function: String,
    /// The size: the `BenchmarkId` parameter.
    pub size: String,
    /// The median time per iteration, in nanoseconds.
    pub median_ns: f64,
    /// When criterion wrote it.
    pub written: SystemTime,
}

/// Where criterion writes its results: `$CRITERION_HOME`, else `<target dir>/criterion`, where
/// the target dir is cargo's (so `CARGO_TARGET_DIR` and cargo's config are respected).
pub fn criterion_dir(kit: &Kit) -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Ok(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Ok(kit.root.join(target).join("criterion"));
    }
    let metadata = cargo_metadata::MetadataCommand::new()
        .current_dir(&kit.root)
        .no_deps()
        .exec()
        .context("cannot ask cargo where its target directory is")?;
    Ok(metadata
        .target_directory
        .into_std_path_buf()
        .join("criterion"))
}

/// Every result under `dir` (criterion's output directory); none when it does not exist.
pub fn load(dir: &Path) -> Result<Vec<Measurement>> {
    let mut found = Vec::new();
    if !dir.is_dir() {
        return Ok(found);
    }
    for entry in WalkDir::new(dir).into_iter().filter_map(|entry| entry.ok()) {
        let path = entry.path();
        let in_new = path.parent().and_then(Path::file_name) == Some("new".as_ref());
        if entry.file_name() != "benchmark.json" || !in_new {
            continue;
        }
        let new = path.parent().expect("a file in new/ has a parent");
        found.push(
            read_one(new).with_context(|| format!("cannot read criterion's {}", new.display()))?,
        );
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

/// The result in one `new/` directory.
fn read_one(new: &Path) -> Result<Measurement> {
    let benchmark: BenchmarkFile = read_json(&new.join("benchmark.json"))?;
    let estimates_path = new.join("estimates.json");
    let estimates: EstimatesFile = read_json(&estimates_path)?;
    let written = std::fs::metadata(&estimates_path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH);
    Ok(Measurement {
        id: benchmark.full_id,
        group: benchmark.group_id,
        function: benchmark.function_id.unwrap_or_default(),
        size: benchmark.value_str.unwrap_or_default(),
        median_ns: estimates.median.point_estimate,
        written,
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not what criterion writes", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The bench's output
// ---------------------------------------------------------------------------------------------

/// What the summary needs from a bench's stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `skipping learner/<kernel>: <reason> (…)`, printed by `mlings_benches::learner_ready`.
    Skipped {
        /// The kernel (criterion group) whose learner rows were skipped.
        kernel: String,
        /// Why, such as "not implemented yet".
        reason: String,
    },
    /// `<id>  time:   [low estimate high]`: criterion measured `<id>` in this run.
    Measured {
        /// criterion's id (its title: the full id, cut with `...` past 100 bytes).
        id: String,
        /// criterion's interval, such as `[65.8 µs 66.0 µs 66.6 µs]`.
        time: String,
    },
}

/// Reads a bench's stdout line by line. criterion prints its progress on stderr and each result
/// on stdout as `<id>  time:   […]`, with the id on a line of its own when it is long.
#[derive(Debug, Default)]
pub struct OutputReader {
    previous: String,
}

impl OutputReader {
    /// The event on `line`, if any.
    pub fn feed(&mut self, line: &str) -> Option<Event> {
        let previous = std::mem::replace(&mut self.previous, line.trim().to_owned());
        if let Some(rest) = line.strip_prefix("skipping learner/") {
            let (kernel, reason) = rest.split_once(": ")?;
            let reason = match reason.rfind(" (") {
                Some(at) if reason.ends_with(')') => &reason[..at],
                _ => reason,
            };
            return Some(Event::Skipped {
                kernel: kernel.trim().to_owned(),
                reason: reason.trim().to_owned(),
            });
        }
        let (before, after) = line.split_once("time:")?;
        let time = after.trim();
        if !time.starts_with('[') {
            return None;
        }
        let id = match before.trim() {
            "" => previous,
            id => id.to_owned(),
        };
        (!id.is_empty()).then(|| Event::Measured {
            id,
            time: time.to_owned(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------------

/// A duration the way criterion prints it: four significant digits and a unit.
pub fn format_time(ns: f64) -> String {
    let (value, unit) = if ns >= 1e9 {
        (ns / 1e9, "s")
    } else if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    let decimals = match value {
        v if v >= 100.0 => 1,
        v if v >= 10.0 => 2,
        _ => 3,
    };
    format!("{value:.decimals$} {unit}")
}

/// The rate a kernel reaches in `ns` per iteration, against the peak: `12.3 GFLOP/s (25%)`.
fn format_rate(work: Work, ns: f64, peaks: Peaks) -> String {
    let (rate, peak, unit) = match work.bound {
        Bound::Compute => (work.flops / ns, peaks.gflops, "GFLOP/s"),
        Bound::Memory => (work.bytes / ns, peaks.gbs, "GB/s"),
    };
    let precision = if rate >= 10.0 { 1 } else { 2 };
    format!("{rate:.precision$} {unit} ({:.0}%)", 100.0 * rate / peak)
}

/// The implementation every other is compared with.
const REFERENCE: &str = "reference";
/// The learner's implementation.
const LEARNER: &str = "learner";

/// The summary table of `measurements`, with the skipped learner kernels and why; the rates
/// come from the work `declared`, and a kernel or size without it says which declaration is
/// missing.
pub fn summary(
    measurements: &[Measurement],
    skipped: &BTreeMap<String, String>,
    declared: &Declared,
    peaks: Peaks,
) -> String {
    // Kernels in order of first appearance (the bench's order), sizes in numeric order.
    let mut kernels: Vec<&str> = Vec::new();
    for m in measurements {
        if !kernels.contains(&m.group.as_str()) {
            kernels.push(&m.group);
        }
    }
    let others: BTreeSet<&str> = measurements
        .iter()
        .map(|m| m.function.as_str())
        .filter(|f| *f != REFERENCE && *f != LEARNER)
        .collect();

    let mut header = vec![
        "kernel".to_owned(),
        "size".to_owned(),
        "reference".to_owned(),
        "reference rate (% of peak)".to_owned(),
        "learner ÷ reference".to_owned(),
    ];
    header.extend(others.iter().map(|f| format!("{f} ÷ reference")));
    let mut rows = vec![header];
    let mut undeclared: Vec<(&str, Vec<&str>, Missing)> = Vec::new();

    for kernel in &kernels {
        let mut sizes: Vec<&str> = measurements
            .iter()
            .filter(|m| m.group == *kernel)
            .map(|m| m.size.as_str())
            .collect();
        sizes.sort_by(|a, b| size_key(a).partial_cmp(&size_key(b)).unwrap_or(a.cmp(b)));
        sizes.dedup();
        for size in sizes {
            let find = |function: &str| {
                measurements
                    .iter()
                    .find(|m| m.group == *kernel && m.size == size && m.function == function)
            };
            let work = declared.work(kernel, size);
            if let Err(missing) = &work {
                match undeclared
                    .iter_mut()
                    .find(|(k, _, m)| k == kernel && m == missing)
                {
                    Some((_, sizes, _)) => sizes.push(size),
                    None => undeclared.push((kernel, vec![size], missing.clone())),
                }
            }
            let reference = find(REFERENCE);
            let rate = |m: &Measurement| match work {
                Ok(work) => format_rate(work, m.median_ns, peaks),
                Err(_) => "—".to_owned(),
            };
            let ratio = |m: &Measurement| match reference {
                Some(r) if r.median_ns > 0.0 => {
                    let ratio = m.median_ns / r.median_ns;
                    let precision = if ratio >= 10.0 { 1 } else { 2 };
                    format!("{ratio:.precision$}×")
                }
                _ => format_time(m.median_ns),
            };
            let learner = match (find(LEARNER), skipped.get(*kernel)) {
                (Some(m), _) if reference.is_some() => format!("{}, {}", ratio(m), rate(m)),
                (Some(m), _) => ratio(m),
                (None, Some(reason)) => format!("skipped: {reason}"),
                (None, None) => "skipped".to_owned(),
            };
            let mut row = vec![
                (*kernel).to_owned(),
                size.to_owned(),
                reference.map_or("—".to_owned(), |r| format_time(r.median_ns)),
                reference.map_or("—".to_owned(), rate),
                learner,
            ];
            row.extend(others.iter().map(|f| find(f).map_or("—".to_owned(), ratio)));
            rows.push(row);
        }
    }
    let mut text = table(&rows);
    for (kernel, sizes, missing) in &undeclared {
        text.push_str(&declared.missing_note(kernel, sizes, missing));
        text.push('\n');
    }
    // Kernels whose learner rows were skipped before any row ran (none measured at all).
    for (kernel, reason) in skipped {
        if !kernels.contains(&kernel.as_str()) {
            text.push_str(&format!("{kernel}: learner skipped: {reason}\n"));
        }
    }
    text
}

/// A sortable key for a size: its numbers' product (`500x500` after `100x100`).
fn size_key(size: &str) -> f64 {
    dims(size).map_or(f64::MAX, |d| d.iter().product())
}

/// The numbers in a size: `1000000x32` → [1e6, 32], `500×500` → [500, 500], `32` → [32].
fn dims(size: &str) -> Option<Vec<f64>> {
    let numbers: Vec<f64> = size
        .split(|ch: char| !ch.is_ascii_digit() && ch != '_')
        .filter(|part| !part.is_empty())
        .map(|part| part.replace('_', "").parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    (!numbers.is_empty()).then_some(numbers)
}

/// Left-aligned columns, two spaces apart.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(cell);
            line.push_str(&" ".repeat(width - cell.chars().count() + 2));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// The footer: what the numbers mean and which peaks the rates are against.
pub fn legend(peaks: Peaks) -> String {
    let source = if peaks.from_env {
        "from MLINGS_PEAK_GFLOPS / MLINGS_PEAK_GBS"
    } else if peaks.measured {
        "measured on this machine by a triad and a matrix product; an optimised build keeps \
         them in target/mlings/peaks.json: delete it to measure again"
    } else {
        "one AMD EPYC core; measure yours with `python benches/peers/peaks.py` and set \
         MLINGS_PEAK_GFLOPS / MLINGS_PEAK_GBS"
    };
    format!(
        "Times are criterion's median per iteration; a ratio above 1 is slower than the reference.\n\
         Rates count the math's FLOPs (or the bytes it must move, for memory-bound kernels) against \
         one core's peak: {:.1} GFLOP/s f64, {:.1} GB/s ({source}).\n",
        peaks.gflops, peaks.gbs
    )
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

/// The criterion groups a bench's source names: the literal of every `benchmark_group("…")` call,
/// in order. They tell a bench's results apart with `--no-run` (a group its manifest forgot is
/// still shown) and let a test hold each manifest to its bench.
pub fn bench_groups(source: &str) -> Vec<String> {
    let mut groups = Vec::new();
    for (at, _) in source.match_indices("benchmark_group(") {
        let rest = source[at + "benchmark_group(".len()..].trim_start();
        let Some(literal) = rest.strip_prefix('"') else {
            continue;
        };
        if let Some(end) = literal.find('"') {
            let group = literal[..end].to_owned();
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
    }
    groups
}

/// Where the benches live: `solutions/<exercise>/benches/<name>.rs`, each a `[[bench]]` target of
/// the exercise's solution crate.
const SOLUTIONS: &str = "solutions";
/// The folder of a solution crate's benches.
const BENCHES: &str = "benches";
/// The manifest of an exercise, in its solution's folder, which declares the bench's kernels.
const MANIFEST: &str = "exercise.toml";

/// One bench of the kit.
#[derive(Debug)]
pub struct Bench {
    /// The exercise's folder, `NN-topic`.
    pub dir: String,
    /// The solution's package, which `cargo bench -p` builds.
    pub package: String,
    /// The bench target: the file's name without `.rs`.
    pub name: String,
    /// The kernels the exercise's manifest declares.
    pub declared: Declared,
    /// The criterion groups the bench's source names.
    pub groups: Vec<String>,
}

impl Bench {
    /// Whether criterion's results of `group` are this bench's: it declares or names the group.
    fn owns(&self, group: &str) -> bool {
        self.declared.has(group) || self.groups.iter().any(|g| g == group)
    }

    /// The command that runs it, as the summary shows it.
    fn command(&self) -> String {
        format!("cargo bench -p {} --bench {}", self.package, self.name)
    }
}

/// Every bench under `root`: each `solutions/*/benches/*.rs`, in order of exercise and name, with
/// the kernels of `solutions/*/exercise.toml`. None when the kit has no solutions (a student
/// release).
pub fn discover(root: &Path) -> Result<Vec<Bench>> {
    let solutions = root.join(SOLUTIONS);
    if !solutions.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&solutions)
        .with_context(|| format!("cannot read {}", solutions.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join(BENCHES).is_dir())
        .collect();
    dirs.sort();
    for crate_dir in dirs {
        let dir = crate_dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(crate_dir.join(BENCHES))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs") && path.is_file())
            .collect();
        if files.is_empty() {
            continue;
        }
        files.sort();
        let package = package_name(&crate_dir.join("Cargo.toml"))?;
        let declared = Declared::read(root, &Path::new(SOLUTIONS).join(&dir).join(MANIFEST))?;
        for file in files {
            let source = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            found.push(Bench {
                dir: dir.clone(),
                package: package.clone(),
                name: file
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                declared: declared.clone(),
                groups: bench_groups(&source),
            });
        }
    }
    Ok(found)
}

/// The `package.name` of a `Cargo.toml`.
fn package_name(manifest: &Path) -> Result<String> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
    table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{} names no package", manifest.display()))
}

/// `mlings bench [EXERCISE] [--no-run]`: returns whether every bench ran.
pub fn run(kit: &Kit, args: &BenchArgs) -> Result<bool> {
    let mut benches = discover(&kit.root)?;
    if let Some(name) = &args.exercise {
        let exercise = kit.find(name)?;
        benches.retain(|bench| bench.dir == exercise.dir);
    }
    if !kit.root.join(SOLUTIONS).is_dir() {
        bail!(
            "this kit has no benches: they compare your kernels with the reference solutions, \
             which a student release leaves out"
        );
    }
    if benches.is_empty() {
        bail!(
            "no bench to run for {}: a bench is solutions/NN-topic/benches/<crate>.rs, a [[bench]] \
             target of the solution's crate",
            args.exercise.as_deref().unwrap_or("any exercise")
        );
    }
    let peaks = Peaks::of_this_machine(&kit.target_dir().join("mlings").join("peaks.json"), |m| {
        eprintln!("{m}")
    })?;
    let paint = Paint::stdout();
    let dir = criterion_dir(kit)?;
    let mut all_ran = true;
    for bench in &benches {
        let (measurements, skipped) = if args.no_run {
            let mine: Vec<Measurement> = load(&dir)?
                .into_iter()
                .filter(|m| bench.owns(&m.group))
                .collect();
            (without_stale_learner_rows(mine), BTreeMap::new())
        } else {
            eprintln!(
                "{}",
                paint.dim(&format!("running {} (about a minute)…", bench.command()))
            );
            let ran = run_bench(kit, bench)?;
            all_ran &= ran.success;
            if !ran.success && ran.measured.is_empty() && ran.skipped.is_empty() {
                // Nothing ran: the benches did not build, and the next ones would not either.
                println!(
                    "{} {}",
                    paint.strong(&bench.dir),
                    paint.bad("the benches did not build (cargo's errors are above)")
                );
                return Ok(false);
            }
            // In the order the bench ran them.
            let results = load(&dir)?;
            let fresh: Vec<Measurement> = ran
                .measured
                .iter()
                .filter_map(|title| results.iter().find(|m| is_titled(m, title)))
                .filter(|m| m.written >= ran.started)
                .cloned()
                .collect();
            (fresh, ran.skipped)
        };
        println!();
        println!(
            "{} {}",
            paint.strong(&bench.dir),
            paint.dim(&format!("({})", bench.command()))
        );
        if measurements.is_empty() && skipped.is_empty() {
            if args.no_run {
                println!(
                    "no results in {}: run `mlings bench {}` first",
                    dir.display(),
                    bench.dir
                );
            } else {
                println!("the bench measured nothing (see cargo's output above)");
            }
        } else {
            print!(
                "{}",
                summary(&measurements, &skipped, &bench.declared, peaks)
            );
        }
    }
    println!();
    print!("{}", paint.dim(&legend(peaks)));
    println!(
        "{}",
        paint.dim(&format!(
            "criterion's HTML report, with plots: {}",
            dir.join("report").join("index.html").display()
        ))
    );
    Ok(all_ran)
}

/// Learner rows older than the reference's row of the same kernel and size come from an earlier
/// run (the learner's kernel has been skipped since): they are dropped.
fn without_stale_learner_rows(all: Vec<Measurement>) -> Vec<Measurement> {
    // Within one run a learner row is written one benchmark before its reference row.
    let slack = Duration::from_secs(120);
    all.iter()
        .filter(|m| {
            m.function != LEARNER
                || !all.iter().any(|r| {
                    r.function == REFERENCE
                        && r.group == m.group
                        && r.size == m.size
                        && r.written > m.written + slack
                })
        })
        .cloned()
        .collect()
}

/// Whether criterion's `title` (printed with the result) names `m`.
fn is_titled(m: &Measurement, title: &str) -> bool {
    match title.strip_suffix("...") {
        Some(cut) => m.id.starts_with(cut),
        None => m.id == title,
    }
}

/// What one `cargo bench` run left.
struct Ran {
    success: bool,
    started: SystemTime,
    measured: Vec<String>,
    skipped: BTreeMap<String, String>,
}

/// Runs one bench through cargo; cargo's progress and criterion's warnings go to stderr, the
/// skipped kernels and criterion's result lines are echoed from stdout.
fn run_bench(kit: &Kit, bench: &Bench) -> Result<Ran> {
    // File times have a coarse resolution on some file systems.
    let started = SystemTime::now() - Duration::from_secs(1);
    let mut child = cargo::cargo()
        .current_dir(&kit.root)
        .args(["bench", "-p", &bench.package, "--bench", &bench.name])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run cargo (is Rust installed? https://rustup.rs)")?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    // cargo's progress and errors and criterion's warnings pass through; criterion's progress
    // lines ("Benchmarking <id>: Warming up…") are left out.
    let forward = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(|line| line.ok()) {
            let progress = line
                .trim_start_matches(|ch: char| ch == '\r' || ch.is_control())
                .starts_with("Benchmarking ");
            if !progress {
                eprintln!("{line}");
            }
        }
    });
    let mut reader = OutputReader::default();
    let mut measured = Vec::new();
    let mut skipped = BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("cannot read the bench's output")?;
        match reader.feed(&line) {
            Some(Event::Skipped { kernel, reason }) => {
                eprintln!("  learner/{kernel}: skipped, {reason}");
                skipped.insert(kernel, reason);
            }
            Some(Event::Measured { id, time }) => {
                eprintln!("  {id:<32} {time}");
                measured.push(id);
            }
            None => {}
        }
    }
    let status = child.wait().context("cannot wait for cargo bench")?;
    let _ = forward.join();
    if !status.success() {
        eprintln!(
            "{} failed ({status}); the results below are what it measured before (does the \
             exercise compile? `mlings grade` says)",
            bench.command()
        );
    }
    Ok(Ran {
        success: status.success(),
        started,
        measured,
        skipped,
    })
}

#[cfg(test)]
mod tests;
