//! `mlings bench [EXERCISE]`: runs an exercise's criterion bench through cargo, then reads
//! criterion's result files and prints a summary a person can read at a glance: per kernel and
//! size, the reference's time, the learner's and the naive versions' times as ratios of it, and
//! the rate each reaches against what one core of the machine can do.
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
use crate::kit::{Exercise, Kit};
use crate::show::Paint;

/// The arguments of `mlings bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The exercise, by directory, crate or number; every exercise with a bench when omitted.
    pub exercise: Option<String>,
    /// Do not run anything: summarise the results of the last `cargo bench`.
    #[arg(long)]
    pub no_run: bool,
}

/// The package that holds the benches.
const BENCH_PACKAGE: &str = "mlings-benches";

/// One core's f64 peak when `MLINGS_PEAK_GFLOPS` is not set: an AMD EPYC core (two 256-bit FMA
/// units, 4 f64 lanes, 2 FLOPs per FMA, about 3 GHz).
const DEFAULT_PEAK_GFLOPS: f64 = 49.0;
/// What one thread streams from memory when `MLINGS_PEAK_GBS` is not set (the same machine).
const DEFAULT_PEAK_GBS: f64 = 18.0;

// ---------------------------------------------------------------------------------------------
// The work each kernel does
// ---------------------------------------------------------------------------------------------

/// What limits a kernel, and so which rate the summary shows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Arithmetic: the rate is in GFLOP/s.
    Compute,
    /// Memory traffic: the rate is in GB/s.
    Memory,
}

/// The work of one iteration of a kernel at one size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Floating-point operations (a fused multiply-add counts 2).
    pub flops: f64,
    /// The bytes the kernel cannot avoid moving (its inputs read once, its outputs written once).
    pub bytes: f64,
    /// Which of the two is the kernel's limit.
    pub bound: Bound,
}

/// The 64-128-10 network of exercise 02: inputs D, hidden units H, classes C.
const NN: (f64, f64, f64) = (64.0, 128.0, 10.0);
/// Actions of the gridworld of exercise 03.
const ACTIONS: f64 = 4.0;
/// Features of the linear-regression benches when the size names only the rows.
const FEATURES: f64 = 32.0;

/// The work of one iteration of `group` at `size` (criterion's group id and `BenchmarkId`
/// parameter), or `None` for a kernel this table does not know. The one place the FLOP and byte
/// counts are defined; counts are the standard ones for the math, not for any one implementation,
/// so a faster algorithm shows as a higher rate.
pub fn work(group: &str, size: &str) -> Option<Work> {
    let dims = dims(size)?;
    // A gridworld's size is `ROWSxCOLS` or one side of a square.
    let grid_states = |dims: &[f64]| match dims {
        [rows, cols, ..] => Some(rows * cols),
        [side] => Some(side * side),
        [] => None,
    };
    let (d, h, c) = NN;
    let compute = |flops: f64, bytes: f64| Work {
        flops,
        bytes,
        bound: Bound::Compute,
    };
    match group {
        // x (n, D) · W (D, H) + b: n·H dot products of length D, then the bias.
        "matmul" => {
            let n = dims[0];
            Some(compute(
                2.0 * n * d * h + n * h,
                8.0 * (n * d + d * h + h + n * h),
            ))
        }
        // Forward + backward of dense-ReLU-dense at batch n, matrix products only (the
        // element-wise work is O(n·H), negligible): forward x·W₁ (2nDH) and h·W₂ (2nHC); backward
        // dW₂ = hᵀ·ds (2nHC), dh = ds·W₂ᵀ (2nHC), dW₁ = xᵀ·dh (2nDH); no dx for the input layer.
        "nn_step" => {
            let n = dims[0];
            Some(compute(
                2.0 * n * (2.0 * d * h + 3.0 * h * c),
                8.0 * (n * d + 2.0 * (d * h + h * c)),
            ))
        }
        // One epoch over n training samples: the step's work for every sample. The optimiser's
        // update is not counted: Adam's ~10 FLOPs per parameter per batch add about 7% at batch
        // 32, but its square root and division per parameter cost far more time than that.
        "epoch" => {
            let n = dims[0];
            Some(compute(
                2.0 * n * (2.0 * d * h + 3.0 * h * c),
                8.0 * (n * d + 2.0 * (d * h + h * c)),
            ))
        }
        // One synchronous optimality sweep over S states and A actions of a deterministic
        // gridworld, one transition per state-action: q = r + γ·V(s′) then the max over actions,
        // 3 FLOPs per state-action. Memory-bound: V is read and V′ written (16 B per state), and
        // each transition read once (next state and reward, 12 B per state-action; a
        // deterministic model has no probability to read).
        "sweep" | "value_iteration" | "vi_sweep" => {
            let states = grid_states(&dims)?;
            Some(Work {
                flops: 3.0 * states * ACTIONS,
                bytes: 16.0 * states + 12.0 * states * ACTIONS,
                bound: Bound::Memory,
            })
        }
        // One synchronous policy-evaluation sweep of the same gridworld: the optimality sweep's
        // q, weighted by π(a|s) and summed instead of maximised (4 FLOPs per state-action), and
        // π read too (8 B more per state-action).
        "evaluation_sweep" | "policy_evaluation" => {
            let states = grid_states(&dims)?;
            Some(Work {
                flops: 4.0 * states * ACTIONS,
                bytes: 16.0 * states + 20.0 * states * ACTIONS,
                bound: Bound::Memory,
            })
        }
        // Normal equations on X (n, p) plus an intercept column, q = p + 1: AᵀA, symmetric, so
        // q(q+1)/2 dot products of length n (n·q·(q+1)); Aᵀy (2nq); Cholesky (q³/3); forward and
        // back substitution (2q²).
        "normal_equations" | "xtx" | "cholesky" => {
            let (n, p) = rows_features(&dims);
            let q = p + 1.0;
            Some(compute(
                n * q * (q + 1.0) + 2.0 * n * q + q * q * q / 3.0 + 2.0 * q * q,
                8.0 * (n * p + n),
            ))
        }
        // One batch gradient-descent step on the MSE: r = Xw + b − y (2np), g = Xᵀr (2np), the
        // update (O(p)). Memory-bound: X and y must be read (8np + 8n bytes).
        "gradient_step" | "gd_step" | "gradient_descent" => {
            let (n, p) = rows_features(&dims);
            Some(Work {
                flops: 4.0 * n * p + 3.0 * n,
                bytes: 8.0 * (n * p + n),
                bound: Bound::Memory,
            })
        }
        // Householder QR of X (n, p): 2np² − 2p³/3; Qᵀy (4np); back substitution (p²).
        "qr" | "qr_solve" | "least_squares" => {
            let (n, p) = rows_features(&dims);
            Some(compute(
                2.0 * n * p * p - 2.0 * p * p * p / 3.0 + 4.0 * n * p + p * p,
                8.0 * (n * p + n),
            ))
        }
        _ => None,
    }
}

/// `n×p` from a size's numbers; the features default to [`FEATURES`].
fn rows_features(dims: &[f64]) -> (f64, f64) {
    (dims[0], dims.get(1).copied().unwrap_or(FEATURES))
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

/// The summary table of `measurements`, with the skipped learner kernels and why.
pub fn summary(
    measurements: &[Measurement],
    skipped: &BTreeMap<String, String>,
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
            let work = work(kernel, size);
            let reference = find(REFERENCE);
            let rate = |m: &Measurement| match work {
                Some(work) => format_rate(work, m.median_ns, peaks),
                None => "—".to_owned(),
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
    // Kernels whose learner rows were skipped before any row ran (none measured at all).
    let mut text = table(&rows);
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

/// The bench target of an exercise: its crate's name with `_`, such as `neural_network`.
fn bench_name(exercise: &Exercise) -> String {
    exercise.package.replace('-', "_")
}

/// The kernels (criterion groups) a bench's source names: the literal of every
/// `benchmark_group("…")` call, in order; none for a bench with no benchmark yet.
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

/// An exercise's bench: its target name and the kernels its source names.
struct Bench {
    exercise: Exercise,
    name: String,
    groups: Vec<String>,
}

/// `mlings bench [EXERCISE] [--no-run]`: returns whether every bench ran.
pub fn run(kit: &Kit, args: &BenchArgs) -> Result<bool> {
    let peaks = Peaks::of_this_machine(&kit.target_dir().join("mlings").join("peaks.json"), |m| {
        eprintln!("{m}")
    })?;
    let exercises: Vec<Exercise> = match &args.exercise {
        Some(name) => vec![kit.find(name)?],
        None => kit.exercises()?,
    };
    let paint = Paint::stdout();
    let mut benches = Vec::new();
    for exercise in exercises {
        let name = bench_name(&exercise);
        let file = kit.root.join("benches").join(format!("{name}.rs"));
        let groups = match std::fs::read_to_string(&file) {
            Ok(source) => bench_groups(&source),
            Err(_) => Vec::new(),
        };
        if groups.is_empty() {
            // One clear line, and the other exercises' benches still run.
            println!(
                "{} {}",
                paint.strong(&exercise.dir),
                paint.dim(&format!(
                    "has no bench yet (benches/{name}.rs defines no benchmark group)"
                ))
            );
            continue;
        }
        benches.push(Bench {
            exercise,
            name,
            groups,
        });
    }
    if benches.is_empty() {
        bail!(
            "no bench to run for {}: a bench is benches/<crate>.rs with criterion groups, such as \
             benches/neural_network.rs",
            args.exercise.as_deref().unwrap_or("any exercise")
        );
    }
    let dir = criterion_dir(kit)?;
    let mut all_ran = true;
    for bench in &benches {
        let name = &bench.name;
        let (measurements, skipped) = if args.no_run {
            let mine: Vec<Measurement> = load(&dir)?
                .into_iter()
                .filter(|m| bench.groups.contains(&m.group))
                .collect();
            (without_stale_learner_rows(mine), BTreeMap::new())
        } else {
            eprintln!(
                "{}",
                paint.dim(&format!(
                    "running cargo bench -p {BENCH_PACKAGE} --bench {name} (about a minute)…"
                ))
            );
            let ran = run_bench(kit, name)?;
            all_ran &= ran.success;
            if !ran.success && ran.measured.is_empty() && ran.skipped.is_empty() {
                // Nothing ran: the benches did not build, and the next ones would not either.
                println!(
                    "{} {}",
                    paint.strong(&bench.exercise.dir),
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
            paint.strong(&bench.exercise.dir),
            paint.dim(&format!("(cargo bench -p {BENCH_PACKAGE} --bench {name})"))
        );
        if measurements.is_empty() && skipped.is_empty() {
            if args.no_run {
                println!(
                    "no results in {}: run `mlings bench {}` first",
                    dir.display(),
                    bench.exercise.dir
                );
            } else {
                println!("the bench measured nothing (see cargo's output above)");
            }
        } else {
            print!("{}", summary(&measurements, &skipped, peaks));
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
fn run_bench(kit: &Kit, name: &str) -> Result<Ran> {
    // File times have a coarse resolution on some file systems.
    let started = SystemTime::now() - Duration::from_secs(1);
    let mut child = cargo::cargo()
        .current_dir(&kit.root)
        .args(["bench", "-p", BENCH_PACKAGE, "--bench", name])
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
            "cargo bench --bench {name} failed ({status}); the results below are what it measured \
             before (does every exercise compile? `mlings grade` says)"
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
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/criterion")
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
        let text = summary(&all, &skipped, Peaks::default());
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
    }

    #[test]
    fn skipped_kernels_with_no_rows_still_say_why() {
        let skipped = BTreeMap::from([("qr".to_owned(), "it does not match".to_owned())]);
        let text = summary(&[], &skipped, Peaks::default());
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

    #[test]
    fn the_work_table_uses_the_formulas() {
        // 64-128-10 at batch 32: 2·32·(2·8192 + 3·1280).
        let step = work("nn_step", "32").unwrap();
        assert_eq!(step.flops, 1_294_336.0);
        assert_eq!(step.bound, Bound::Compute);
        // 1,000,000 × 32 plus the intercept: q = 33.
        let normal = work("normal_equations", "1000000x32").unwrap();
        let (n, q) = (1e6, 33.0);
        assert_eq!(
            normal.flops,
            n * q * (q + 1.0) + 2.0 * n * q + q * q * q / 3.0 + 2.0 * q * q
        );
        assert_eq!(work("normal_equations", "1000000").unwrap(), normal);
        let sweep = work("sweep", "500x500").unwrap();
        assert_eq!(sweep.bound, Bound::Memory);
        assert_eq!(sweep.bytes, 250_000.0 * (16.0 + 48.0));
        assert_eq!(work("sweep", "500").unwrap(), sweep);
        let evaluation = work("evaluation_sweep", "100x100").unwrap();
        assert_eq!(evaluation.bytes, 10_000.0 * (16.0 + 80.0));
        assert_eq!(
            work("gradient_step", "1_000_000x32").unwrap().bytes,
            8.0 * 33e6
        );
        assert!(work("unknown", "32").is_none());
        assert!(work("nn_step", "big").is_none());
    }

    #[test]
    fn a_bench_names_its_kernels_in_its_benchmark_groups() {
        let source = r#"
            let mut group = c.benchmark_group("nn_step");
            let mut other = c.benchmark_group( "matmul" );
            c.benchmark_group("nn_step");
            c.benchmark_group(name); // not a literal: left out
        "#;
        assert_eq!(bench_groups(source), ["nn_step", "matmul"]);
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
}
