//! Given: the data sets the network learns from. Nothing to write here.
//!
//! - [`xor`]: the four points of XOR, which no linear model separates;
//! - [`spiral`]: CS231n's three interleaved spirals, generated from a seed;
//! - [`read_digits`]: the 8×8 handwritten digits shipped in `data/digits/` (see its README).

use std::io::{BufRead, BufReader, Read};

use flate2::read::GzDecoder;
use ndarray::{Array2, Axis};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

use crate::train::epoch_order;

/// A labelled data set: `x: (N, D)` and one class label per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The samples, `(N, D)`.
    pub x: Array2<f64>,
    /// The class of every sample, `(N)`.
    pub labels: Vec<usize>,
}

impl Dataset {
    /// The number of samples `N`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// A seeded random split into `(train, test)`, with `test_fraction` of the samples (rounded
    /// up) in the test set.
    pub fn split(&self, test_fraction: f64, seed: u64) -> (Dataset, Dataset) {
        let order = epoch_order(&mut StdRng::seed_from_u64(seed), self.len());
        let test = ((self.len() as f64) * test_fraction.clamp(0.0, 1.0)).ceil() as usize;
        let (test_idx, train_idx) = order.split_at(test);
        (self.select(train_idx), self.select(test_idx))
    }

    fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select(Axis(0), indices),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
        }
    }
}

/// XOR: `x: (4, 2)` with labels `[0, 1, 1, 0]`.
pub fn xor() -> Dataset {
    Dataset {
        x: ndarray::array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        labels: vec![0, 1, 1, 0],
    }
}

/// `classes` interleaved spiral arms of `points_per_class` points each in the plane (CS231n's
/// spiral data): class `k` has radius `r = i / (P − 1)` and angle `θ = 4(k + r) + 0.2 ε`,
/// `ε ~ 𝒩(0, 1)` drawn from `seed`. `x: (P·K, 2)`, labels in blocks of `P`.
pub fn spiral(points_per_class: usize, classes: usize, seed: u64) -> Dataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let noise = Normal::new(0.0, 0.2).expect("a valid standard deviation");
    let n = points_per_class * classes;
    let mut x = Array2::zeros((n, 2));
    let mut labels = Vec::with_capacity(n);
    for k in 0..classes {
        for i in 0..points_per_class {
            let r = i as f64 / (points_per_class.max(2) - 1) as f64;
            let theta = 4.0 * (k as f64 + r) + noise.sample(&mut rng);
            let row = k * points_per_class + i;
            x[[row, 0]] = r * theta.sin();
            x[[row, 1]] = r * theta.cos();
            labels.push(k);
        }
    }
    Dataset { x, labels }
}

/// Why the digits file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be read or decompressed.
    #[error("cannot read the digits: {0}")]
    Io(#[from] std::io::Error),
    /// A line is not 64 pixel values and a label.
    #[error("line {line}: {message}")]
    Format {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// The 8×8 handwritten digits from a gzipped CSV: one image per line, 64 pixel values 0–16 in
/// row-major order, then the label 0–9; lines starting with `#` and blank lines are skipped.
/// `x: (N, 64)` is scaled to `[0, 1]` (divided by 16).
///
/// The kit ships `data/digits/digits.csv.gz` (1,797 images; attribution in its README).
///
/// # Errors
/// [`DataError`] when the stream is not gzip or a line is malformed.
pub fn read_digits(reader: impl Read) -> Result<Dataset, DataError> {
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for (index, line) in BufReader::new(GzDecoder::new(reader)).lines().enumerate() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let format = |message: String| DataError::Format {
            line: index + 1,
            message,
        };
        let values: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|e| format(format!("not a number: {e}")))?;
        if values.len() != 65 {
            return Err(format(format!(
                "{} values, expected 64 pixels and a label",
                values.len()
            )));
        }
        let label = values[64];
        if !(0.0..=9.0).contains(&label) || label.fract() != 0.0 {
            return Err(format(format!("label {label} is not a digit 0–9")));
        }
        pixels.extend(values[..64].iter().map(|p| p / 16.0));
        labels.push(label as usize);
    }
    let x = Array2::from_shape_vec((labels.len(), 64), pixels).expect("64 pixels per image");
    Ok(Dataset { x, labels })
}
