//! Comparisons that explain themselves: what was expected, what came out, by how much, with which
//! tolerance, for arrays the worst element and its index, and on a second line how the result
//! relates to the expected one when the numbers show it (see [`crate::relation`]):
//!
//! ```text
//! dw[1]: got 5.000000000000e0, expected -5.000000000000e0 (|diff| 1.0e1, rel 2.0e0 > rel ≤ 1.0e-12)
//! relation: your result is −1 × the expected (the sign is flipped)
//! ```
//!
//! The `_with` variants take a [`Context`]: a length `n` the learner may have divided by, known
//! quantities the result may equal ("the input unchanged"), the input of an elementwise function,
//! and the learner's function, named when the shape is wrong.

use std::fmt;

use ndarray::{ArrayBase, Data, Dimension};

use crate::check::{Failure, Outcome};
pub use crate::relation::Context;
use crate::relation::{Values, relate};

/// A tolerance for comparing floating-point numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tol {
    /// `|got − expected| ≤ tol`.
    Abs(f64),
    /// The symmetric relative error `|a − b| / max(floor, (|a| + |b|) / 2) ≤ tol`.
    Rel {
        /// The largest relative error accepted.
        tol: f64,
        /// Below this magnitude the error is measured absolutely.
        floor: f64,
    },
}

impl Tol {
    /// A relative tolerance with no floor (for certified values of any magnitude).
    pub const fn rel(tol: f64) -> Tol {
        Tol::Rel {
            tol,
            floor: f64::MIN_POSITIVE,
        }
    }

    /// A relative tolerance measured absolutely below `floor` (values near zero).
    pub const fn rel_floor(tol: f64, floor: f64) -> Tol {
        Tol::Rel { tol, floor }
    }

    /// An absolute tolerance.
    pub const fn abs(tol: f64) -> Tol {
        Tol::Abs(tol)
    }

    /// How far apart `got` and `expected` are, in this tolerance's measure.
    pub fn error(self, got: f64, expected: f64) -> f64 {
        if got == expected {
            return 0.0;
        }
        if !got.is_finite() || !expected.is_finite() {
            return f64::INFINITY;
        }
        match self {
            Tol::Abs(_) => (got - expected).abs(),
            Tol::Rel { floor, .. } => rel_error(got, expected, floor),
        }
    }

    /// Whether `got` is within this tolerance of `expected` (NaN never is).
    pub fn accepts(self, got: f64, expected: f64) -> bool {
        let limit = match self {
            Tol::Abs(t) | Tol::Rel { tol: t, .. } => t,
        };
        self.error(got, expected) <= limit
    }
}

impl fmt::Display for Tol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tol::Abs(t) => write!(f, "|diff| ≤ {t:.1e}"),
            Tol::Rel { tol, .. } => write!(f, "rel ≤ {tol:.1e}"),
        }
    }
}

/// The symmetric relative error `|a − b| / max(floor, (|a| + |b|) / 2)`.
pub fn rel_error(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / floor.max((a.abs() + b.abs()) / 2.0)
}

/// The number of correct significant digits of `got` against a certified `expected`: the log
/// relative error (LRE) used to grade statistical software on NIST StRD, capped at 15.
pub fn correct_digits(got: f64, expected: f64) -> f64 {
    if got == expected {
        return 15.0;
    }
    if !got.is_finite() {
        return 0.0;
    }
    let err = if expected == 0.0 {
        (got - expected).abs()
    } else {
        ((got - expected) / expected).abs()
    };
    (-err.log10()).clamp(0.0, 15.0)
}

/// Whether `got` is within `tol` of `expected`: for spotting a known mistake's signature.
pub fn near(got: f64, expected: f64, tol: f64) -> bool {
    Tol::rel_floor(tol, 1e-12).accepts(got, expected)
}

/// Checks that `got` is within `tol` of `expected`; `what` names the quantity for the learner.
pub fn close(what: &str, got: f64, expected: f64, tol: Tol) -> Outcome {
    close_with(what, got, expected, tol, &Context::default())
}

/// [`close`], naming the relationship of `got` to `expected` in the terms of `context`.
pub fn close_with(what: &str, got: f64, expected: f64, tol: Tol, context: &Context) -> Outcome {
    if tol.accepts(got, expected) {
        return Ok(());
    }
    let message = format!(
        "{what}: got {got:.12e}, expected {expected:.12e} ({} > {tol})",
        error_text(tol, got, expected)
    );
    Err(explained(
        message,
        &Values::scalar(got),
        &Values::scalar(expected),
        tol,
        context,
    ))
}

/// Checks the shape of `got` first, then every element against `expected`, reporting the worst.
pub fn close_array<S1, S2, D>(
    what: &str,
    got: &ArrayBase<S1, D>,
    expected: &ArrayBase<S2, D>,
    tol: Tol,
) -> Outcome
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
    D: Dimension,
{
    close_array_with(what, got, expected, tol, &Context::default())
}

/// [`close_array`], naming the relationship of `got` to `expected` in the terms of `context`;
/// a wrong shape is reported with the learner's function when the context names it.
pub fn close_array_with<S1, S2, D1, D2>(
    what: &str,
    got: &ArrayBase<S1, D1>,
    expected: &ArrayBase<S2, D2>,
    tol: Tol,
    context: &Context,
) -> Outcome
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
    D1: Dimension,
    D2: Dimension,
{
    if got.shape() != expected.shape() {
        let message = match &context.function {
            Some(function) => format!(
                "{function} returned {what} of shape {:?}, expected {:?}",
                got.shape(),
                expected.shape()
            ),
            None => format!(
                "{what}: shape {:?}, expected {:?}",
                got.shape(),
                expected.shape()
            ),
        };
        return Err(explained(
            message,
            &Values::from(got),
            &Values::from(expected),
            tol,
            context,
        ));
    }
    let worst = got
        .indexed_iter()
        .zip(expected.iter())
        .map(|((index, &g), &e)| (index, g, e, tol.error(g, e)))
        .filter(|&(_, _, _, err)| !err.is_nan())
        .max_by(|a, b| a.3.total_cmp(&b.3));
    match worst {
        Some((index, g, e, _)) if !tol.accepts(g, e) => {
            let message = format!(
                "{what}{}: got {g:.12e}, expected {e:.12e} ({} > {tol})",
                index_text(index),
                error_text(tol, g, e),
            );
            Err(explained(
                message,
                &Values::from(got),
                &Values::from(expected),
                tol,
                context,
            ))
        }
        _ => Ok(()),
    }
}

/// Checks a slice elementwise, like [`close_array`].
pub fn close_slice(what: &str, got: &[f64], expected: &[f64], tol: Tol) -> Outcome {
    close_slice_with(what, got, expected, tol, &Context::default())
}

/// [`close_slice`], naming the relationship of `got` to `expected` in the terms of `context`.
pub fn close_slice_with(
    what: &str,
    got: &[f64],
    expected: &[f64],
    tol: Tol,
    context: &Context,
) -> Outcome {
    close_array_with(
        what,
        &ndarray::ArrayView1::from(got),
        &ndarray::ArrayView1::from(expected),
        tol,
        context,
    )
}

/// A failure with `message` and, on a second line, how `got` relates to `expected` when the
/// numbers show it.
fn explained(
    mut message: String,
    got: &Values,
    expected: &Values,
    tol: Tol,
    context: &Context,
) -> Failure {
    if let Some(relation) = relate(got, expected, tol, context) {
        message.push_str("\nrelation: ");
        message.push_str(&relation);
    }
    Failure::new(message)
}

/// Checks a condition, failing with `message` when it does not hold.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(Failure::new(message()))
    }
}

fn error_text(tol: Tol, got: f64, expected: f64) -> String {
    match tol {
        Tol::Abs(_) => format!("|diff| {:.1e}", tol.error(got, expected)),
        Tol::Rel { .. } => format!(
            "|diff| {:.1e}, rel {:.1e}",
            (got - expected).abs(),
            tol.error(got, expected)
        ),
    }
}

fn index_text(pattern: impl fmt::Debug) -> String {
    let raw = format!("{pattern:?}");
    let inner = raw.trim_start_matches('(').trim_end_matches(')');
    let inner = inner.trim_end_matches(',');
    format!("[{inner}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn close_array_names_the_worst_element() {
        let got = array![[1.0, 2.0], [3.0, 4.5]];
        let expected = array![[1.0, 2.0], [3.0, 4.0]];
        let failure = close_array("w", &got, &expected, Tol::rel(1e-9)).unwrap_err();
        assert!(failure.message.starts_with("w[1, 1]: got 4.5"), "{failure}");
    }

    #[test]
    fn close_array_checks_the_shape_first() {
        let failure = close_array(
            "b",
            &array![1.0, 2.0],
            &array![1.0, 2.0, 3.0],
            Tol::abs(1.0),
        )
        .unwrap_err();
        assert_eq!(
            failure.message,
            "b: shape [2], expected [3]\nrelation: your result is the expected without its last value"
        );
    }

    #[test]
    fn nan_never_passes() {
        assert!(close("x", f64::NAN, 1.0, Tol::abs(1e9)).is_err());
        assert!(close_array("x", &array![f64::NAN], &array![1.0], Tol::abs(1e9)).is_err());
    }

    #[test]
    fn relative_tolerance_is_symmetric() {
        let t = Tol::rel(1e-3);
        assert_eq!(t.error(1.0, 1.001), t.error(1.001, 1.0));
    }

    #[test]
    fn correct_digits_follow_the_lre() {
        assert!((correct_digits(1.000001, 1.0) - 6.0).abs() < 1e-6);
        assert_eq!(correct_digits(2.0, 2.0), 15.0);
    }
}
