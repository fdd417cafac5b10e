//! How a learner's numbers relate to the expected ones.
//!
//! A list of known mistakes is never complete, but a wrong result usually says what went wrong:
//! it is the expected one times 2, or transposed, or right everywhere but the last column. When a
//! comparison fails, [`describe`] looks for the most specific such relationship that holds for
//! *every* element within the check's own tolerance, and returns it as one short line, or
//! nothing when no relationship holds. It never guesses a cause: it states what the numbers show.
//!
//! The relationships are tried in a fixed order, most specific first:
//!
//! 1. **shape**: when the shapes differ, how (transposed, reshaped, one value too many or too
//!    few); no elementwise relation is tried across different shapes;
//! 2. **NaN, ±∞ and overflow**, with where they first appear: any arithmetic relation is
//!    meaningless once they are there;
//! 3. **a named alternative** the check passed in its [`Context`] ("your result equals the input
//!    unchanged"): the check's author knows that quantity, so naming it says the most;
//! 4. **a named constant factor** (−1, 2, ½, and with `n`: n, 1/n, (n − 1)/n, n/(n − 1) and
//!    their square roots), then a fitted factor (a small fraction, or any constant, when at least
//!    two values show it): one parameter explains every element;
//! 5. **an elementwise function** of the expected: its square, square root, reciprocal, 1 − it;
//! 6. **a rearrangement**: transposed, reversed, shifted by one place, rows or columns or values
//!    in another order: every value is right but in the wrong place; then a matrix **normalised
//!    along the other axis** (its columns sum to what the expected rows sum to);
//! 7. **a constant offset**: one parameter again, but a rarer slip than a factor;
//! 8. **right in some places and wrong in others**, and where: one element, the diagonal, a
//!    triangle, the boundary, whole rows or columns, a prefix, the elements with a negative input;
//!    with what the wrong ones are when a factor, function or offset holds for them alone;
//! 9. **a constant result** ("every value of your result is 0"), last because a result that is
//!    right in most places is better described by where it is wrong.
//!
//! A relationship seen in a single number (a scalar, or the one wrong element) is only reported
//! when the tolerance is tight (at most 1e-6 relative), and only when it is a named factor, a
//! whole factor k or 1/k (of a lone number), a square or a square root: under a loose tolerance
//! some factor fits almost any one number, and hand-made cases are small integers, whose ratios
//! are small fractions by chance.
//!
//! The relations live in one file per kind: `value` element by element, `layout` for values in
//! the wrong place, `place` for where a result is wrong, `shape` across shapes.

use ndarray::{ArrayBase, Data, Dimension};

use crate::assert::Tol;

mod layout;
mod place;
mod shape;
mod value;

use layout::{rearrangement, sums_along_the_other_axis};
use place::partly_right;
pub use shape::describe_shapes;
use shape::shape_relation;
use value::{alternative, constant, factor, function, non_finite, offset};

/// A tolerance at most this (relative) makes a relation seen in one number trustworthy.
const TIGHT: f64 = 1e-6;

/// A map or a test with the words that name it.
type Named<F> = (&'static str, F);

/// Numbers to compare: a scalar, a slice, or an array of any dimension, in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    shape: Vec<usize>,
    data: Vec<f64>,
}

impl Values {
    /// Values of `shape` in row-major order; `None` when `data` does not have that many values.
    pub fn new(shape: &[usize], data: Vec<f64>) -> Option<Values> {
        (shape.iter().product::<usize>() == data.len()).then(|| Values {
            shape: shape.to_vec(),
            data,
        })
    }

    /// A single number, of shape `[]`.
    pub fn scalar(value: f64) -> Values {
        Values {
            shape: Vec::new(),
            data: vec![value],
        }
    }

    /// The shape: `[]` for a scalar, `[n]` for a slice.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The values in row-major order.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    fn len(&self) -> usize {
        self.data.len()
    }

    /// `(rows, columns)` of a 2-D array.
    fn matrix(&self) -> Option<(usize, usize)> {
        match self.shape[..] {
            [r, c] => Some((r, c)),
            _ => None,
        }
    }
}

impl From<f64> for Values {
    fn from(value: f64) -> Values {
        Values::scalar(value)
    }
}

impl From<&[f64]> for Values {
    fn from(values: &[f64]) -> Values {
        Values {
            shape: vec![values.len()],
            data: values.to_vec(),
        }
    }
}

impl From<Vec<f64>> for Values {
    fn from(values: Vec<f64>) -> Values {
        Values {
            shape: vec![values.len()],
            data: values,
        }
    }
}

impl From<&Vec<f64>> for Values {
    fn from(values: &Vec<f64>) -> Values {
        Values::from(values.as_slice())
    }
}

impl<S, D> From<&ArrayBase<S, D>> for Values
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    fn from(array: &ArrayBase<S, D>) -> Values {
        Values {
            shape: array.shape().to_vec(),
            data: array.iter().copied().collect(),
        }
    }
}

/// Known quantities a wrong result may equal, each with a label that completes "your result
/// equals …", such as `("the input unchanged", x)` or `("the value after one sweep", v1)`.
pub type Alternatives = Vec<(String, Values)>;

/// What a check knows about the result it compares, to name relationships in its terms.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// A length the learner may have multiplied or divided by by mistake: the number of rows,
    /// samples or states. Enables the factors n, 1/n, (n − 1)/n, n/(n − 1) and their roots.
    pub n: Option<usize>,
    /// Known quantities a wrong result may equal.
    pub alternatives: Alternatives,
    /// The input the result was computed from element by element (same shape as the result),
    /// to say "wrong exactly where the input is negative".
    pub input: Option<Values>,
    /// The learner's function that produced the result, named in shape mismatches.
    pub function: Option<String>,
}

impl Context {
    /// A context that knows nothing.
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets the length `n` the learner may have multiplied or divided by.
    pub fn n(mut self, n: usize) -> Context {
        self.n = Some(n);
        self
    }

    /// Adds a known quantity the result may equal; `label` completes "your result equals …".
    pub fn alternative(mut self, label: impl Into<String>, values: impl Into<Values>) -> Context {
        self.alternatives.push((label.into(), values.into()));
        self
    }

    /// Sets the input the result was computed from element by element.
    pub fn input(mut self, input: impl Into<Values>) -> Context {
        self.input = Some(input.into());
        self
    }

    /// Names the learner's function that produced the result.
    pub fn function(mut self, name: impl Into<String>) -> Context {
        self.function = Some(name.into());
        self
    }
}

/// The most specific relationship between `got` and `expected` that holds for every element
/// within `tol`, as one short line, or `None` when `got` is accepted or no relationship holds.
///
/// ```
/// use mlings_grader::assert::Tol;
/// use mlings_grader::relation::{Context, describe};
///
/// let line = describe(&[-1.0, 2.0, -3.0][..], &[1.0, -2.0, 3.0][..], Tol::abs(1e-9), &Context::new());
/// assert_eq!(line.as_deref(), Some("your result is −1 × the expected (the sign is flipped)"));
/// assert_eq!(describe(&[1.0, 2.0][..], &[1.0, 2.0][..], Tol::abs(1e-9), &Context::new()), None);
/// ```
pub fn describe(
    got: impl Into<Values>,
    expected: impl Into<Values>,
    tol: Tol,
    context: &Context,
) -> Option<String> {
    relate(&got.into(), &expected.into(), tol, context)
}

/// [`describe`] on values already converted.
pub fn relate(got: &Values, expected: &Values, tol: Tol, context: &Context) -> Option<String> {
    if got.shape != expected.shape {
        return shape_relation(got, expected, tol, context.n);
    }
    if got.data.is_empty() {
        return None;
    }
    let right: Vec<bool> = zip(got, expected).map(|(g, e)| tol.accepts(g, e)).collect();
    if right.iter().all(|&r| r) {
        return None;
    }
    let pair = Pair {
        got,
        expected,
        tol,
        right: &right,
        n: context.n,
    };
    let whole = pair.whole();
    non_finite(&pair)
        .or_else(|| alternative(&pair, context))
        .or_else(|| factor(&whole).or_else(|| function(&whole)))
        .map(|relation| {
            if relation.starts_with("your") {
                relation
            } else {
                format!("your result is {relation}")
            }
        })
        .or_else(|| rearrangement(&pair))
        .or_else(|| sums_along_the_other_axis(&pair))
        .or_else(|| offset(&whole).map(|o| format!("your result is {o} at every element")))
        .or_else(|| partly_right(&pair, context))
        .or_else(|| constant(&whole))
}

/// The two sides of a comparison with the verdict on each element.
struct Pair<'a> {
    got: &'a Values,
    expected: &'a Values,
    tol: Tol,
    right: &'a [bool],
    n: Option<usize>,
}

impl Pair<'_> {
    fn whole(&self) -> Part {
        Part {
            got: self.got.data.clone(),
            expected: self.expected.data.clone(),
            tol: self.tol,
            n: self.n,
            lone: self.got.len() == 1,
        }
    }

    /// The wrong elements alone.
    fn wrong_part(&self) -> Part {
        let (got, expected) = zip(self.got, self.expected)
            .zip(self.right)
            .filter(|&(_, &right)| !right)
            .map(|(pair, _)| pair)
            .unzip();
        Part {
            got,
            expected,
            tol: self.tol,
            n: self.n,
            lone: false,
        }
    }
}

/// Paired values with no layout, for the relations that hold element by element.
struct Part {
    got: Vec<f64>,
    expected: Vec<f64>,
    tol: Tol,
    n: Option<usize>,
    /// The values are a whole result of one number (a scalar), not a part of a larger one.
    lone: bool,
}

impl Part {
    /// Whether `got ≈ map(expected)` at every element.
    fn holds(&self, map: impl Fn(f64) -> f64) -> bool {
        self.got
            .iter()
            .zip(&self.expected)
            .all(|(&g, &e)| self.tol.accepts(g, map(e)))
    }

    /// How many elements tell `map(expected)` from `expected`.
    fn showing(&self, map: impl Fn(f64) -> f64) -> usize {
        self.expected
            .iter()
            .filter(|&&e| !self.tol.accepts(map(e), e))
            .count()
    }

    /// Whether `got ≈ map(expected)` everywhere, and the values show it: at least two elements
    /// tell `map(expected)` from `expected`, or one under a tight tolerance (under a loose one,
    /// some named map would fit almost any single number).
    fn evident(&self, map: impl Fn(f64) -> f64) -> bool {
        let shown = self.showing(&map);
        self.holds(&map) && (shown >= 2 || (shown == 1 && tight(self.tol, &self.expected)))
    }

    /// Whether the expected values differ: on a constant, a factor, an offset and a constant
    /// result cannot be told apart.
    fn expected_varies(&self) -> bool {
        let first = self.expected.first().copied().unwrap_or(0.0);
        self.expected.iter().any(|&e| !self.tol.accepts(e, first))
    }
}

fn zip<'a>(a: &'a Values, b: &'a Values) -> impl Iterator<Item = (f64, f64)> + 'a {
    a.data.iter().copied().zip(b.data.iter().copied())
}

/// Whether `tol` is tight relative to `values`: a relation seen in one number is then no chance.
fn tight(tol: Tol, values: &[f64]) -> bool {
    let scale = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let slack = match tol {
        Tol::Abs(t) => t / scale,
        Tol::Rel { tol, floor } => tol * floor.max(scale) / scale,
    };
    scale > 0.0 && slack <= TIGHT
}

/// `[i]`, `[i, j]`, … of the `flat`-th element in row-major order.
fn index_text(shape: &[usize], flat: usize) -> String {
    let mut index = vec![0; shape.len()];
    let mut rest = flat;
    for (slot, &len) in index.iter_mut().zip(shape).rev() {
        *slot = rest % len.max(1);
        rest /= len.max(1);
    }
    let parts: Vec<String> = index.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// A number as short as it reads well: `2`, `0.5`, `1.37`, `2.4e-7`.
fn decimal(x: f64) -> String {
    if x == x.round() && x.abs() < 1e6 {
        return format!("{x:.0}").replace('-', "−");
    }
    let text = if (0.1..1e6).contains(&x.abs()) {
        let t = format!("{x:.4}");
        t.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        format!("{x:.3e}")
    };
    text.replace('-', "−")
}
