//! Given: the 8×8 handwritten digits as images. Nothing to write here.

use std::io::{BufRead, BufReader, Read};

use flate2::read::GzDecoder;
use ndarray::{Array4, ArrayView4, Axis};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Labelled images: `x: (N, C, H, W)` and one class label per image.
#[derive(Debug, Clone, PartialEq)]
pub struct Images {
    /// The images, `(N, C, H, W)`.
    pub x: Array4<f64>,
    /// The class of every image, `(N)`.
    pub labels: Vec<usize>,
}

impl Images {
    /// The number of images `N`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The images as a view, `(N, C, H, W)`.
    pub fn view(&self) -> ArrayView4<'_, f64> {
        self.x.view()
    }

    /// A seeded random split into `(train, test)`, with `test_fraction` of the images (rounded
    /// up) in the test set.
    pub fn split(&self, test_fraction: f64, seed: u64) -> (Images, Images) {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.shuffle(&mut StdRng::seed_from_u64(seed));
        let test = ((self.len() as f64) * test_fraction.clamp(0.0, 1.0)).ceil() as usize;
        let (test_idx, train_idx) = order.split_at(test);
        (self.select(train_idx), self.select(test_idx))
    }

    /// The images at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Images {
        Images {
            x: self.x.select(Axis(0), indices),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
        }
    }
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
/// `x: (N, 1, 8, 8)` is scaled to `[0, 1]` (divided by 16).
///
/// The kit ships `data/digits/digits.csv.gz` (1,797 images; attribution in its README).
///
/// # Errors
/// [`DataError`] when the stream is not gzip or a line is malformed.
pub fn read_digits(reader: impl Read) -> Result<Images, DataError> {
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
    let x = Array4::from_shape_vec((labels.len(), 1, 8, 8), pixels).expect("64 pixels per image");
    Ok(Images { x, labels })
}
