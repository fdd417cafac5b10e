//! The 8×8 digits shipped with the kit (`data/digits/`) and the kit's network trained on them,
//! for the suite and the plots.

use std::io::{BufRead, BufReader};
use std::sync::OnceLock;

use ndarray::{Array2, Axis};

use crate::sut;

/// The 8×8 digits shipped with the kit (`data/digits/`), compiled in: a batch-graded suite may
/// open no file once the learner's code can run.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits/digits.csv.gz");

/// Pixels `(n, 64)` scaled to [0, 1] and labels.
type Labelled = (Array2<f64>, Vec<usize>);

/// The digits split by index: `i % 5 == 0` test (360), `i % 5 == 1` validation (360), the rest
/// training (1,077). The file is ordered by writer, so every split sees every writer.
pub struct Digits {
    /// Training rows.
    pub train: Labelled,
    /// Validation rows: temperature scaling is fitted here.
    pub validation: Labelled,
    /// Test rows: calibration is judged here.
    pub test: Labelled,
}

fn load_digits() -> Digits {
    let reader = BufReader::new(flate2::read::GzDecoder::new(DIGITS_CSV_GZ));
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for line in reader.lines() {
        let line = line.expect("the kit's digits file is gzip");
        let values: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse().expect("a number"))
            .collect();
        pixels.extend(values[..64].iter().map(|v| v / 16.0));
        labels.push(values[64] as usize);
    }
    let x = Array2::from_shape_vec((labels.len(), 64), pixels).expect("64 pixels per image");
    let pick = |keep: &dyn Fn(usize) -> bool| {
        let idx: Vec<usize> = (0..labels.len()).filter(|&i| keep(i)).collect();
        (
            x.select(Axis(0), &idx),
            idx.iter().map(|&i| labels[i]).collect::<Vec<_>>(),
        )
    };
    Digits {
        train: pick(&|i| i % 5 >= 2),
        validation: pick(&|i| i % 5 == 1),
        test: pick(&|i| i % 5 == 0),
    }
}

/// The digits, read once per run.
pub fn digits() -> &'static Digits {
    static DIGITS: OnceLock<Digits> = OnceLock::new();
    DIGITS.get_or_init(load_digits)
}

/// The kit's digits network trained at the default configuration (seed 0) on the training
/// split, once per run: the model the platform serves.
pub fn digits_model() -> &'static sut::Mlp {
    static MODEL: OnceLock<sut::Mlp> = OnceLock::new();
    MODEL.get_or_init(|| {
        let d = digits();
        sut::Mlp::train(
            d.train.0.view(),
            &d.train.1,
            10,
            &sut::TrainConfig::default(),
        )
    })
}
