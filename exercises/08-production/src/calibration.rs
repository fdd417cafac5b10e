//! Step 5: calibration: reliability bins, ECE, Brier score, log loss, temperature scaling.

use ndarray::ArrayView2;

use crate::error::StatsError;

/// One bin of a reliability diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    /// How many predictions fell in the bin.
    pub count: usize,
    /// Their mean predicted probability (confidence); NaN when the bin is empty.
    pub mean_predicted: f64,
    /// The fraction of them that were positive (accuracy); NaN when the bin is empty.
    pub fraction_positive: f64,
}

/// The reliability diagram of predictions `p` of outcomes `y`, in `n_bins` equal-width bins of
/// [0, 1]: bin m holds m/M ≤ p < (m+1)/M, and the **last bin also holds p = 1**.
///
/// ```text
/// m(p) = min(⌊p·M⌋, M − 1)                    y: (N,), p: (N,) in [0, 1]  →  M bins
/// y = [0,0,0,0,1,1,1,1,1], p = [.1,.2,.3,.4,.65,.7,.8,.9,1], M = 3
///   → counts [3, 2, 4], mean predicted [0.2, 0.525, 0.85], fraction positive [0, 0.5, 1]
/// ```
///
/// # Errors
///
/// [`StatsError::Empty`]; [`StatsError::LengthMismatch`]; [`StatsError::OutOfRange`] for a
/// probability outside [0, 1] (or NaN) or `n_bins` = 0.
pub fn reliability_bins(y: &[bool], p: &[f64], n_bins: usize) -> Result<Vec<Bin>, StatsError> {
    // TODO: Put each p in bin min(⌊p·M⌋, M − 1), then average p and y per bin. p = 1 -> the last bin
    todo!(
        "{n_bins} reliability bins of {} outcomes and {} probabilities",
        y.len(),
        p.len()
    )
}

/// The expected calibration error: the gap between accuracy and confidence per bin, weighted
/// by the bin's share of the predictions (empty bins weigh 0).
///
/// ```text
/// ECE = Σₘ (|Bₘ| / N) · |acc(Bₘ) − conf(Bₘ)|
/// the example of reliability_bins: (3·0.2 + 2·0.025 + 4·0.15) / 9 = 0.1388889
/// ```
///
/// # Errors
///
/// As [`reliability_bins`].
pub fn ece(y: &[bool], p: &[f64], n_bins: usize) -> Result<f64, StatsError> {
    // TODO: Sum |fraction positive − mean predicted| over the bins, each weighted by count / N.
    todo!(
        "ECE in {n_bins} bins of {} outcomes and {} probabilities",
        y.len(),
        p.len()
    )
}

/// The Brier score of binary outcomes: the mean squared error of the positive class's
/// probability (scikit-learn's `brier_score_loss`; summing over both classes would double it).
///
/// ```text
/// BS = (1/N) Σᵢ (pᵢ − yᵢ)²
/// y = [0, 1, 1, 0], p = [.1, .9, .8, .3]  →  (0.01 + 0.01 + 0.04 + 0.09) / 4 = 0.0375
/// ```
///
/// # Errors
///
/// As [`reliability_bins`].
pub fn brier(y: &[bool], p: &[f64]) -> Result<f64, StatsError> {
    // TODO: Average (p − y)² over the samples. y = [0, 1, 1, 0], p = [.1, .9, .8, .3] -> 0.0375
    todo!(
        "Brier score of {} outcomes and {} probabilities",
        y.len(),
        p.len()
    )
}

/// The smallest probability [`log_loss`] takes the log of, as scikit-learn clips.
pub const LOG_LOSS_FLOOR: f64 = 1e-15;

/// The multiclass log loss (mean negative log-likelihood) of class probabilities
/// `probs: (N, K)` for `labels: (N,)` in `0..K`, each probability floored at
/// [`LOG_LOSS_FLOOR`].
///
/// ```text
/// L = −(1/N) Σᵢ ln max(pᵢ,yᵢ, 10⁻¹⁵)
/// ```
///
/// # Errors
///
/// [`StatsError::Empty`]; [`StatsError::LengthMismatch`]; [`StatsError::OutOfRange`] for a label
/// ≥ K.
pub fn log_loss(probs: ArrayView2<'_, f64>, labels: &[usize]) -> Result<f64, StatsError> {
    // TODO: Average −ln of each row's probability of its label, floored at LOG_LOSS_FLOOR.
    todo!(
        "log loss of probabilities {:?} for {} labels",
        probs.shape(),
        labels.len()
    )
}

/// The temperature T > 0 that minimises the NLL of `softmax(logits / T)` for `labels`
/// (Guo et al., 2017), to 10⁻⁶ relative or better (the NLL is flat at its minimum: a search on
/// its values alone finds T to about 10⁻⁸, one on its derivative closer). Dividing logits by T
/// keeps the predicted class and softens (T > 1) or sharpens (T < 1) the probabilities.
///
/// ```text
/// NLL(T) = (1/N) Σᵢ [ln Σₖ e^{zᵢₖ/T} − zᵢ,yᵢ/T]        logits: (N, K), labels: (N,)
/// ```
///
/// # Errors
///
/// As [`log_loss`]; [`StatsError::OutOfRange`] for a non-finite logit.
pub fn fit_temperature(logits: ArrayView2<'_, f64>, labels: &[usize]) -> Result<f64, StatsError> {
    // TODO: Minimise NLL(T) over T > 0 (Newton in β = 1/T, or a bracketing search); return T.
    todo!(
        "temperature for logits {:?} and {} labels",
        logits.shape(),
        labels.len()
    )
}

/// For each row of class probabilities `probs: (N, K)`, whether its top class (the first
/// maximum) is the label, and its top probability: the binary outcomes and confidences whose
/// reliability diagram is the multiclass model's.
pub fn top_label(probs: ArrayView2<'_, f64>, labels: &[usize]) -> (Vec<bool>, Vec<f64>) {
    probs
        .rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &y)| {
            let (k, &p) = row
                .iter()
                .enumerate()
                .fold((0, &f64::NEG_INFINITY), |best, (k, p)| {
                    if *p > *best.1 { (k, p) } else { best }
                });
            (k == y, p)
        })
        .unzip()
}
