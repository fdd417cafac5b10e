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
    // BEGIN SOLUTION
    check_binary(y, p)?;
    if n_bins == 0 {
        return Err(StatsError::OutOfRange {
            what: "n_bins",
            value: 0.0,
            range: "1, 2, …",
        });
    }
    let mut count = vec![0usize; n_bins];
    let mut sum_p = vec![0.0; n_bins];
    let mut positives = vec![0usize; n_bins];
    for (&yi, &pi) in y.iter().zip(p) {
        let m = ((pi * n_bins as f64) as usize).min(n_bins - 1);
        count[m] += 1;
        sum_p[m] += pi;
        positives[m] += usize::from(yi);
    }
    Ok((0..n_bins)
        .map(|m| {
            let c = count[m] as f64;
            Bin {
                count: count[m],
                mean_predicted: if count[m] == 0 {
                    f64::NAN
                } else {
                    sum_p[m] / c
                },
                fraction_positive: if count[m] == 0 {
                    f64::NAN
                } else {
                    positives[m] as f64 / c
                },
            }
        })
        .collect())
    // STUB
    // // TODO: Put each p in bin min(⌊p·M⌋, M − 1), then average p and y per bin. p = 1 -> the last bin
    // todo!("{n_bins} reliability bins of {} outcomes and {} probabilities", y.len(), p.len())
    // END SOLUTION
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
    // BEGIN SOLUTION
    let bins = reliability_bins(y, p, n_bins)?;
    let n = y.len() as f64;
    Ok(bins
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| b.count as f64 / n * (b.fraction_positive - b.mean_predicted).abs())
        .sum())
    // STUB
    // // TODO: Sum |fraction positive − mean predicted| over the bins, each weighted by count / N.
    // todo!("ECE in {n_bins} bins of {} outcomes and {} probabilities", y.len(), p.len())
    // END SOLUTION
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
    // BEGIN SOLUTION
    check_binary(y, p)?;
    let sum: f64 = y
        .iter()
        .zip(p)
        .map(|(&yi, &pi)| (pi - f64::from(u8::from(yi))).powi(2))
        .sum();
    Ok(sum / y.len() as f64)
    // STUB
    // // TODO: Average (p − y)² over the samples. y = [0, 1, 1, 0], p = [.1, .9, .8, .3] -> 0.0375
    // todo!("Brier score of {} outcomes and {} probabilities", y.len(), p.len())
    // END SOLUTION
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
    // BEGIN SOLUTION
    check_labels(probs, labels)?;
    let sum: f64 = labels
        .iter()
        .enumerate()
        .map(|(i, &y)| -probs[[i, y]].max(LOG_LOSS_FLOOR).ln())
        .sum();
    Ok(sum / labels.len() as f64)
    // STUB
    // // TODO: Average −ln of each row's probability of its label, floored at LOG_LOSS_FLOOR.
    // todo!("log loss of probabilities {:?} for {} labels", probs.shape(), labels.len())
    // END SOLUTION
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
    // BEGIN SOLUTION
    check_labels(logits, labels)?;
    if let Some(&v) = logits.iter().find(|v| !v.is_finite()) {
        return Err(StatsError::OutOfRange {
            what: "a logit",
            value: v,
            range: "the finite numbers",
        });
    }
    // In β = 1/T the NLL is convex: its derivative is the mean of E_p[z] − z_y and its second
    // derivative the mean variance of z under p, so Newton's method in β converges fast.
    let n = labels.len() as f64;
    let nll_and_derivatives = |beta: f64| {
        let (mut f, mut g, mut h) = (0.0, 0.0, 0.0);
        for (row, &y) in logits.rows().into_iter().zip(labels) {
            let m = row.fold(f64::NEG_INFINITY, |m, &v| m.max(beta * v));
            let (mut s, mut s1, mut s2) = (0.0, 0.0, 0.0);
            for &z in row {
                let e = (beta * z - m).exp();
                s += e;
                s1 += e * z;
                s2 += e * z * z;
            }
            let mean = s1 / s;
            f += m + s.ln() - beta * row[y];
            g += mean - row[y];
            h += (s2 / s - mean * mean).max(0.0);
        }
        (f / n, g / n, h / n)
    };
    let mut beta = 1.0;
    let (mut f, mut g, mut h) = nll_and_derivatives(beta);
    'newton: for _ in 0..100 {
        if g.abs() <= 1e-13 * (1.0 + f.abs()) {
            break;
        }
        // A softmax saturated at this β (every row one-hot to the last digit) has no curvature
        // left: halve or grow β by half, downhill, until Newton has some to work with.
        let mut step = if h > 0.0 {
            g / h
        } else {
            0.5 * beta * g.signum()
        };
        // Damped: halve the step while it would leave β > 0 or raise the NLL.
        loop {
            let next = beta - step;
            if next > 0.0 {
                let (fn_, gn, hn) = nll_and_derivatives(next);
                if fn_ <= f + 1e-15 * f.abs() {
                    let moved = ((next - beta) / beta).abs();
                    beta = next;
                    (f, g, h) = (fn_, gn, hn);
                    if moved < 1e-12 {
                        break 'newton;
                    }
                    break;
                }
            }
            step /= 2.0;
            // A NaN step (an NLL that overflowed) would halve forever.
            if step.is_nan() || step.abs() < 1e-300 {
                break 'newton;
            }
        }
    }
    Ok(1.0 / beta)
    // STUB
    // // TODO: Minimise NLL(T) over T > 0 (Newton in β = 1/T, or a bracketing search); return T.
    // todo!("temperature for logits {:?} and {} labels", logits.shape(), labels.len())
    // END SOLUTION
}

// BEGIN SOLUTION
fn check_binary(y: &[bool], p: &[f64]) -> Result<(), StatsError> {
    if y.is_empty() {
        return Err(StatsError::Empty { what: "y" });
    }
    if p.len() != y.len() {
        return Err(StatsError::LengthMismatch {
            what: "p against y",
            got: p.len(),
            expected: y.len(),
        });
    }
    match p.iter().find(|v| !(0.0..=1.0).contains(*v)) {
        Some(&v) => Err(StatsError::OutOfRange {
            what: "a probability",
            value: v,
            range: "[0, 1]",
        }),
        None => Ok(()),
    }
}

fn check_labels(probs: ArrayView2<'_, f64>, labels: &[usize]) -> Result<(), StatsError> {
    if labels.is_empty() {
        return Err(StatsError::Empty { what: "labels" });
    }
    if probs.nrows() != labels.len() {
        return Err(StatsError::LengthMismatch {
            what: "rows of probabilities against labels",
            got: probs.nrows(),
            expected: labels.len(),
        });
    }
    match labels.iter().find(|&&y| y >= probs.ncols()) {
        Some(&y) => Err(StatsError::OutOfRange {
            what: "a label",
            value: y as f64,
            range: "0..K",
        }),
        None => Ok(()),
    }
}
// END SOLUTION

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
