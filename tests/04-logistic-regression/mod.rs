//! Grading suite of exercise 04: logistic and softmax regression by Newton's method, certified
//! against R (Challenger, Bliss's beetles) and Stata (ANES 1996).
//!
//! Public checks are hand-derived cases, the crate docs' worked example and the published R
//! fits; hidden ones use the suite's own oracle ([`oracle`]) on seeded random problems, the
//! ANES 1996 multinomial logit certified by Stata, the digits, and bad input.

use std::io::{BufRead, BufReader};

use mlings_grader::assert::{Tol, correct_digits};
use mlings_grader::{Failure, Outcome, Suite};
use ndarray::{Array1, Array2, ArrayView1};

use crate::sut;

mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("04-logistic-regression", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

fn is_shape(e: &sut::FitError) -> bool {
    matches!(e, sut::FitError::ShapeMismatch(_))
}

fn is_empty(e: &sut::FitError) -> bool {
    matches!(e, sut::FitError::EmptyInput { .. })
}

fn is_response(e: &sut::FitError) -> bool {
    matches!(e, sut::FitError::InvalidResponse { .. })
}

/// Checks that every element of `got` matches the `certified` value to at least `digits`
/// correct digits (the log relative error, as NIST counts them).
fn certified_digits(
    what: &str,
    got: ArrayView1<'_, f64>,
    certified: &[f64],
    digits: f64,
) -> Outcome {
    if got.len() != certified.len() {
        return Err(Failure::new(format!(
            "{what}: {} values, expected {}",
            got.len(),
            certified.len()
        )));
    }
    let (j, worst) = got
        .iter()
        .zip(certified)
        .map(|(&g, &c)| correct_digits(g, c))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0, 15.0));
    if worst >= digits {
        return Ok(());
    }
    Err(Failure::new(format!(
        "{what}[{j}]: got {:.15e}, certified {:.15e}: {worst:.1} correct digits, expected at least {digits}",
        got[j], certified[j]
    )))
}

/// The rows of a fixture in `data/glm/`: a tab-separated table with one header line, after
/// comment lines starting with `#`.
fn table(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            l.split('\t')
                .map(|v| v.trim().parse().expect("the kit's fixtures are numbers"))
                .collect()
        })
        .collect()
}

/// A binomial problem: the design (with its intercept column when the fixture's model has one),
/// successes and trials.
struct Binomial {
    x: Array2<f64>,
    y: Array1<f64>,
    trials: Array1<f64>,
}

/// The Challenger launches (`data/glm/challenger.tsv`): temperature in °F, and whether any
/// O-ring showed thermal distress (`of_six = false`) or how many of the six did (`true`).
/// `x` is the temperature alone, without the column of ones.
fn challenger(of_six: bool) -> Binomial {
    let rows = table(include_str!("../../data/glm/challenger.tsv"));
    let n = rows.len();
    Binomial {
        x: Array2::from_shape_fn((n, 1), |(i, _)| rows[i][0]),
        y: Array1::from_shape_fn(n, |i| match (of_six, rows[i][1] > 0.0) {
            (true, _) => rows[i][1],
            (false, true) => 1.0,
            (false, false) => 0.0,
        }),
        trials: Array1::from_elem(n, if of_six { 6.0 } else { 1.0 }),
    }
}

/// `[1, x]`.
fn with_intercept(x: &Array2<f64>) -> Array2<f64> {
    let mut d = Array2::ones((x.nrows(), x.ncols() + 1));
    d.slice_mut(ndarray::s![.., 1..]).assign(x);
    d
}

/// Bliss's beetles (`data/glm/beetles.tsv`): design `[1, log₁₀ dose]`, killed out of exposed.
fn beetles() -> Binomial {
    let rows = table(include_str!("../../data/glm/beetles.tsv"));
    let n = rows.len();
    Binomial {
        x: Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { 1.0 } else { rows[i][0] }),
        y: Array1::from_shape_fn(n, |i| rows[i][2]),
        trials: Array1::from_shape_fn(n, |i| rows[i][1]),
    }
}

/// R's `glm(cbind(…) ~ temperature, binomial)` on the Challenger launches, "any distress":
/// β, SE, residual and null deviance (`data/glm/README.md`).
mod certified {
    pub const CHALLENGER_BETA: [f64; 2] = [15.042901647702445, -0.23216274421859653];
    pub const CHALLENGER_SE: [f64; 2] = [7.378636384911237, 0.10823652164920708];
    pub const CHALLENGER_DEVIANCE: f64 = 20.315192687866826;
    pub const CHALLENGER_NULL_DEVIANCE: f64 = 28.267152734293493;
    /// The same launches as binomial counts out of 6 O-rings.
    pub const CHALLENGER_OF_SIX_BETA: [f64; 2] = [11.662989695265303, -0.21623366411366324];
    pub const CHALLENGER_OF_SIX_SE: [f64; 2] = [3.2962632893777966, 0.053177033248324054];
    pub const CHALLENGER_OF_SIX_DEVIANCE: f64 = 16.912278528864846;
    /// Bliss's beetles under the logit, probit and complementary log-log links: β, SE, deviance.
    pub const BEETLES: [(&str, [f64; 2], [f64; 2], f64); 3] = [
        (
            "logit",
            [-60.7174545616353, 34.27032573414692],
            [5.180711463340782, 2.9121400706357186],
            11.232231097419321,
        ),
        (
            "probit",
            [-34.935258899178145, 19.727934211322413],
            [2.6479177986179137, 1.4872350409027864],
            10.119758113001488,
        ),
        (
            "cloglog",
            [-39.57231060613759, 22.041169820757766],
            [3.2402726196706864, 1.7993551909800707],
            3.446438733024447,
        ),
    ];
}

/// The 8×8 digits shipped with the kit (`data/digits/`), compiled into the suite: pixels 0–16
/// as they are in the file (not rescaled), and the labels.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits/digits.csv.gz");

/// The digits as `(x: (1797, 64) raw pixels 0–16, labels)`.
fn digits() -> Labelled {
    let reader = BufReader::new(flate2::read::GzDecoder::new(DIGITS_CSV_GZ));
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for line in reader.lines() {
        let line = line.expect("the kit's digits file is gzip");
        let values: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse().expect("a number"))
            .collect();
        pixels.extend_from_slice(&values[..64]);
        labels.push(values[64] as usize);
    }
    let x = Array2::from_shape_vec((labels.len(), 64), pixels).expect("64 pixels per image");
    (x, labels)
}

/// Samples `(n, d)` and one class label per row.
type Labelled = (Array2<f64>, Vec<usize>);

/// A seeded split of the digits: every fifth image (index ≡ 0 mod 5) held out, the rest for
/// training. Deterministic and spread over the file, which is ordered by writer, not label.
fn digits_split() -> (Labelled, Labelled) {
    let (x, labels) = digits();
    let (test, train): (Vec<usize>, Vec<usize>) = (0..labels.len()).partition(|i| i % 5 == 0);
    let pick = |idx: &[usize]| {
        (
            x.select(ndarray::Axis(0), idx),
            idx.iter().map(|&i| labels[i]).collect::<Vec<_>>(),
        )
    };
    (pick(&train), pick(&test))
}
