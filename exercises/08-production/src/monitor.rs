//! Step 7: a drift monitor over a stream of windows: feature PSI per column, label PSI, and
//! the first window that alerts.

use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::error::StatsError;

/// A window of traffic: features `(N, D)` and one label in `0..K` per row.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// The features, `(N, D)`.
    pub features: Array2<f64>,
    /// The labels, `(N,)`.
    pub labels: Vec<usize>,
}

/// What the monitor compares and when it alerts.
#[derive(Clone, Debug, PartialEq)]
pub struct MonitorConfig {
    /// Bins per feature, cut at the baseline's quantiles. Default 10.
    pub n_bins: usize,
    /// Alert when a PSI is above this. Default 0.25 (a major shift, by convention).
    pub threshold: f64,
    /// Number of classes K. Default 3.
    pub classes: usize,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        MonitorConfig {
            n_bins: 10,
            threshold: 0.25,
            classes: 3,
        }
    }
}

/// A window's drift from the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowDrift {
    /// [`psi_samples`](crate::psi_samples) of each feature column against the baseline's, `(D,)`.
    pub features: Vec<f64>,
    /// [`psi`](crate::psi) of the window's class proportions against the baseline's.
    pub labels: f64,
}

/// The first alert of a stream.
#[derive(Clone, Debug, PartialEq)]
pub enum Alert {
    /// Feature `feature`'s PSI is above the threshold in window `window`.
    Feature {
        /// The window's index in the stream.
        window: usize,
        /// The column.
        feature: usize,
        /// Its PSI.
        psi: f64,
    },
    /// The label mix's PSI is above the threshold in window `window`.
    Labels {
        /// The window's index in the stream.
        window: usize,
        /// Its PSI.
        psi: f64,
    },
}

/// The drift of `window` from `baseline`: each feature's PSI in `n_bins` bins of the
/// baseline's quantiles, and the PSI of the class proportions (K bins, one per class).
///
/// # Errors
///
/// [`StatsError::LengthMismatch`] when the windows' widths differ or labels do not match rows;
/// [`StatsError::OutOfRange`] for a label ≥ K; as [`psi_samples`](crate::psi_samples).
pub fn window_drift(
    baseline: &Window,
    window: &Window,
    config: &MonitorConfig,
) -> Result<WindowDrift, StatsError> {
    // TODO: psi_samples per feature column against the baseline's, and psi of the class shares.
    todo!(
        "drift of a window {:?} against a baseline {:?} ({config:?})",
        window.features.shape(),
        baseline.features.shape()
    )
}

/// The first alert of `stream` against `baseline`: the first window, in order, with a feature
/// or the label mix above `threshold`; in that window, the first feature above it, else the
/// labels. `None` when no window drifts.
///
/// # Errors
///
/// As [`window_drift`].
pub fn first_alert(
    baseline: &Window,
    stream: &[Window],
    config: &MonitorConfig,
) -> Result<Option<Alert>, StatsError> {
    // TODO: window_drift of each window in order; the first feature, then the labels, above the threshold.
    todo!(
        "first alert of {} windows against a baseline {:?} ({config:?})",
        stream.len(),
        baseline.features.shape()
    )
}

/// A seeded synthetic stream: a baseline and `windows` windows of three standard normal
/// features and labels drawn from the class mix (0.5, 0.3, 0.2). From window `feature_shift_at`
/// on, feature 1's mean is +1 (one standard deviation); from window `label_shift_at` on, the
/// class mix is (0.2, 0.3, 0.5).
#[derive(Clone, Debug, PartialEq)]
pub struct StreamConfig {
    /// The generator's seed.
    pub seed: u64,
    /// Rows of the baseline.
    pub baseline_size: usize,
    /// Rows per window.
    pub window_size: usize,
    /// Windows in the stream.
    pub windows: usize,
    /// First window of the feature shift, if any.
    pub feature_shift_at: Option<usize>,
    /// First window of the label shift, if any.
    pub label_shift_at: Option<usize>,
}

/// The baseline window and the stream of [`StreamConfig`].
pub fn synthetic_stream(config: &StreamConfig) -> (Window, Vec<Window>) {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut window = |n: usize, shift: f64, mix: [f64; 3]| {
        let mut normal = || {
            // Box–Muller: two uniforms give one standard normal (the other is dropped).
            let u: f64 = rng.random_range(f64::EPSILON..1.0);
            let v: f64 = rng.random_range(0.0..1.0);
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        };
        let features =
            Array2::from_shape_fn((n, 3), |(_, j)| normal() + if j == 1 { shift } else { 0.0 });
        let labels = (0..n)
            .map(|_| {
                let u: f64 = rng.random_range(0.0..1.0);
                if u < mix[0] {
                    0
                } else if u < mix[0] + mix[1] {
                    1
                } else {
                    2
                }
            })
            .collect();
        Window { features, labels }
    };
    let base_mix = [0.5, 0.3, 0.2];
    let baseline = window(config.baseline_size, 0.0, base_mix);
    let stream = (0..config.windows)
        .map(|t| {
            let shifted = |at: Option<usize>| at.is_some_and(|a| t >= a);
            let shift = if shifted(config.feature_shift_at) {
                1.0
            } else {
                0.0
            };
            let mix = if shifted(config.label_shift_at) {
                [0.2, 0.3, 0.5]
            } else {
                base_mix
            };
            window(config.window_size, shift, mix)
        })
        .collect();
    (baseline, stream)
}
