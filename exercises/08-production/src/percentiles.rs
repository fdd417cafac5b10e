//! Step 4: latency percentiles, exact from samples and approximate from mergeable histograms.

use crate::error::StatsError;

/// The `q`-th percentile by **nearest rank**: the smallest sample with at least q % of the
/// samples at or below it, always one of the samples.
///
/// ```text
/// sorted x₍₁₎ ≤ … ≤ x₍ₙ₎,  r = max(1, ⌈q·n/100⌉),  P = x₍ᵣ₎        q ∈ [0, 100]
/// [1, 2, …, 9, 1000] at 90 %  →  r = 9  →  9
/// ```
///
/// # Errors
///
/// [`StatsError::Empty`]; [`StatsError::OutOfRange`] when `q` is not in [0, 100] or a sample is
/// NaN.
pub fn percentile_nearest_rank(samples: &[f64], q: f64) -> Result<f64, StatsError> {
    // TODO: Sort, then take the sample of rank max(1, ⌈q·n/100⌉). [1..9, 1000] at 90 -> 9
    todo!("nearest-rank {q}th percentile of {} samples", samples.len())
}

/// The `q`-th percentile by **linear interpolation** between the two closest ranks (numpy's
/// default, `method="linear"`).
///
/// ```text
/// h = (n − 1)·q/100,  P = x₍⌊h⌋₊₁₎ + (h − ⌊h⌋)·(x₍⌊h⌋₊₂₎ − x₍⌊h⌋₊₁₎)      (1-based ranks)
/// [1, 2, …, 9, 1000] at 90 %  →  h = 8.1  →  9 + 0.1·(1000 − 9) = 108.1
/// ```
///
/// # Errors
///
/// As [`percentile_nearest_rank`].
pub fn percentile_linear(samples: &[f64], q: f64) -> Result<f64, StatsError> {
    // TODO: Sort, then interpolate between ranks ⌊h⌋ and ⌊h⌋ + 1, h = (n − 1)·q/100. [1..9, 1000] at 90 -> 108.1
    todo!("linear {q}th percentile of {} samples", samples.len())
}

/// The nearest-rank `q`-th percentile of every shard's samples taken together: what the
/// percentile of one server is, for a fleet of them. Percentiles do not average: the mean of
/// the shards' p99s is not the fleet's p99.
///
/// # Errors
///
/// [`StatsError::Empty`] when there is no sample in any shard; as [`percentile_nearest_rank`].
pub fn merged_percentile(shards: &[Vec<f64>], q: f64) -> Result<f64, StatsError> {
    // TODO: Pool every shard's samples, then take the nearest-rank percentile of the pool.
    todo!("{q}th percentile over {} shards", shards.len())
}

/// A latency histogram with fixed bucket edges e₀ < e₁ < … < e_{m−1}: bucket 0 counts
/// x ≤ e₀, bucket i counts e_{i−1} < x ≤ eᵢ, and bucket m counts x > e_{m−1}. Histograms with
/// the same edges merge by adding counts, so shards can be combined exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    edges: Vec<f64>,
    counts: Vec<u64>,
}

impl Histogram {
    /// An empty histogram with `edges`.
    ///
    /// # Panics
    ///
    /// When `edges` is empty or not strictly increasing and finite.
    #[track_caller]
    pub fn new(edges: Vec<f64>) -> Histogram {
        assert!(
            !edges.is_empty() && edges.iter().all(|e| e.is_finite()),
            "edges must be finite and at least one"
        );
        assert!(
            edges.windows(2).all(|w| w[0] < w[1]),
            "edges must increase strictly"
        );
        let counts = vec![0; edges.len() + 1];
        Histogram { edges, counts }
    }

    /// Latency edges in seconds, 20 per decade from 1 µs to 100 s (2% apart): a percentile
    /// read from it is within 12.2 % above the exact one.
    pub fn latency() -> Histogram {
        Histogram::new(
            (0..=160)
                .map(|i| 1e-6 * 10f64.powf(i as f64 / 20.0))
                .collect(),
        )
    }

    /// The edges.
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    /// The count of every bucket, `edges().len() + 1` of them.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// How many values were recorded.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Counts `x` in its bucket (NaN is not counted).
    ///
    /// ```text
    /// edges [1, 2, 4]: 0.5 → bucket 0, 1 → bucket 0, 1.5 → bucket 1, 4 → bucket 2, 9 → bucket 3
    /// ```
    pub fn record(&mut self, x: f64) {
        // TODO: Find the first edge ≥ x (binary search) and count x in that bucket. edges [1, 2, 4], 1.5 -> bucket 1
        todo!("record {x} in a histogram of {} edges", self.edges.len())
    }

    /// Adds `other`'s counts to this histogram's.
    ///
    /// # Errors
    ///
    /// [`StatsError::LengthMismatch`] when the two histograms' edges differ.
    pub fn merge(&mut self, other: &Histogram) -> Result<(), StatsError> {
        // TODO: Refuse other edges, then add the counts bucket by bucket.
        todo!(
            "merge a histogram of {} buckets into one of {}",
            other.counts.len(),
            self.counts.len()
        )
    }

    /// The nearest-rank `q`-th percentile as the upper edge of the bucket holding the sample of
    /// rank r = max(1, ⌈q·n/100⌉): an upper bound of the exact percentile, at most one bucket
    /// above it; `+∞` when that sample is above the last edge.
    ///
    /// # Errors
    ///
    /// [`StatsError::Empty`] when nothing was recorded; [`StatsError::OutOfRange`] when `q` is
    /// not in [0, 100].
    pub fn quantile(&self, q: f64) -> Result<f64, StatsError> {
        // TODO: Walk the cumulative counts to the bucket of rank max(1, ⌈q·n/100⌉) and return its upper edge.
        todo!(
            "{q}th percentile of a histogram of {} buckets",
            self.counts.len()
        )
    }
}
