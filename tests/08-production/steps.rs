//! The steps of exercise 08, declared once: every check names one, and so does the plot
//! program when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `crc32`, `encode`, `decode`, in `artefact.rs`.
pub const ARTEFACT: Step = Step::new(1, "artefact");
/// Step 2: `Registry::{versions, register, load, set_alias, resolve}`, in `registry.rs`.
pub const REGISTRY: Step = Step::new(2, "registry");
/// Step 3: `Server::submit`, `next_batch`, `serve_batch`, in `serving.rs`.
pub const SERVING: Step = Step::new(3, "serving");
/// Step 4: percentiles and `Histogram`, in `percentiles.rs`.
pub const PERCENTILES: Step = Step::new(4, "percentiles");
/// Step 5: reliability bins, ECE, Brier, log loss, temperature, in `calibration.rs`.
pub const CALIBRATION: Step = Step::new(5, "calibration");
/// Step 6: PSI and Kolmogorov–Smirnov, in `drift.rs`.
pub const DRIFT: Step = Step::new(6, "drift");
/// Step 7: `window_drift`, `first_alert`, in `monitor.rs`.
pub const MONITOR: Step = Step::new(7, "monitor");

/// The exercise's steps, in order: the manifest's (`solutions/08-production/exercise.toml`).
pub const STEPS: &[Step] = &[
    ARTEFACT,
    REGISTRY,
    SERVING,
    PERCENTILES,
    CALIBRATION,
    DRIFT,
    MONITOR,
];
