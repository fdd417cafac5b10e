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
//! square or a square root: under a loose tolerance some factor fits almost any one number, and
//! hand-made cases are small integers, whose ratios are small fractions by chance.

use std::fmt::Write as _;

use ndarray::{ArrayBase, Data, Dimension};

use crate::assert::Tol;

/// Rearrangements are searched only in arrays up to this many elements: row permutations cost
/// rows² × columns, and a mistake shows as well on a small case.
const MAX_REARRANGED: usize = 4096;

/// A tolerance at most this (relative) makes a relation seen in one number trustworthy.
const TIGHT: f64 = 1e-6;

/// Beyond this magnitude a finite result is about to overflow `f64` (whose largest is 1.8e308).
const NEAR_OVERFLOW: f64 = 1e300;

/// Below this magnitude an expected value is one that a slightly different computation rounds
/// to 0 (`f64`'s smallest normal number is 2.2e-308).
const NEAR_UNDERFLOW: f64 = 1e-290;

/// A map or a test with the words that name it.
type Named<F> = (&'static str, F);

/// A map of one number.
type Map = fn(f64) -> f64;

/// A test of one number.
type Test = fn(f64) -> bool;

/// Where `(row, column)` of a `rows × columns` result comes from in the expected one, if anywhere.
type Shift = fn(usize, usize, usize, usize) -> Option<(usize, usize)>;

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

/// A relationship between two shapes alone, for a shape check that has no values to compare:
/// transposed, one axis fewer or more, one value too many or too few, or an axis of length `n`.
pub fn describe_shapes(got: &[usize], expected: &[usize], n: Option<usize>) -> Option<String> {
    if got == expected {
        return None;
    }
    if let ([r, c], [er, ec]) = (got, expected) {
        if (r, c) == (ec, er) {
            return Some("your shape is the expected one transposed".to_owned());
        }
    }
    let count: usize = got.iter().product();
    let expected_count: usize = expected.iter().product();
    if got.len() != expected.len() {
        let more = if got.len() > expected.len() {
            "more"
        } else {
            "fewer"
        };
        let same = if count == expected_count {
            ", with the same number of values"
        } else {
            ""
        };
        return Some(format!(
            "your result has {} {more} ax{} than the expected{same}",
            got.len().abs_diff(expected.len()),
            if got.len().abs_diff(expected.len()) == 1 {
                "is"
            } else {
                "es"
            },
        ));
    }
    let differing: Vec<usize> = (0..got.len()).filter(|&a| got[a] != expected[a]).collect();
    if let [axis] = differing[..] {
        let noun = axis_noun(got.len(), axis);
        let (g, e) = (got[axis], expected[axis]);
        if let Some(n) = n.filter(|&n| n == g) {
            return Some(format!(
                "your result has n = {n} {noun}s where the expected has {e}"
            ));
        }
        if g.abs_diff(e) == 1 {
            let which = if g > e { "too many" } else { "too few" };
            return Some(format!("your result has one {noun} {which}"));
        }
    }
    if count == expected_count {
        return Some("your result has the expected number of values in another shape".to_owned());
    }
    None
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

fn non_finite(pair: &Pair) -> Option<String> {
    let bad: Vec<usize> = zip(pair.got, pair.expected)
        .enumerate()
        .filter(|&(_, (g, e))| !g.is_finite() && e.is_finite())
        .map(|(i, _)| i)
        .collect();
    let Some(&first) = bad.first() else {
        return extreme(pair);
    };
    let g = pair.got.data[first];
    let (what, why) = if g.is_nan() {
        (
            "NaN",
            "0/0, ∞ − ∞, 0 · ∞ or the root or log of a negative number",
        )
    } else if g > 0.0 {
        ("+∞", "an overflow or a division by 0")
    } else {
        (
            "−∞",
            "an overflow, a division by 0 or the log of 0 (a value that underflowed)",
        )
    };
    if pair.got.shape.is_empty() {
        return Some(format!("your result is {what}: that comes from {why}"));
    }
    let at = index_text(&pair.got.shape, first);
    let count = if bad.len() == 1 {
        "the only non-finite value".to_owned()
    } else {
        format!("{} of {} values are NaN or ±∞", bad.len(), pair.got.len())
    };
    Some(format!(
        "your result has {what} first at {at} ({count}); {what} comes from {why}"
    ))
}

/// Finite values at the edges of `f64`: about to overflow, or underflowed to 0.
fn extreme(pair: &Pair) -> Option<String> {
    let values = || zip(pair.got, pair.expected).enumerate();
    if let Some((i, (g, _))) =
        values().find(|&(_, (g, e))| g.abs() > NEAR_OVERFLOW && e.abs() <= NEAR_OVERFLOW)
    {
        return Some(format!(
            "your result reaches {g:.1e} at {}, near the largest f64 (1.8e308)",
            index_text(&pair.got.shape, i)
        ));
    }
    let (i, (_, e)) = values()
        .find(|&(_, (g, e))| g.abs() < f64::MIN_POSITIVE && e != 0.0 && e.abs() < NEAR_UNDERFLOW)?;
    Some(format!(
        "your result underflowed to 0 at {}, where the expected is {e:.1e}",
        index_text(&pair.got.shape, i)
    ))
}

fn alternative(pair: &Pair, context: &Context) -> Option<String> {
    context.alternatives.iter().find_map(|(label, values)| {
        let comparable = values.shape == pair.got.shape
            || (values.len() == pair.got.len() && values.shape.len() <= 1);
        (comparable
            && zip(pair.got, values).all(|(g, a)| pair.tol.accepts(g, a))
            && zip(values, pair.expected).any(|(a, e)| !pair.tol.accepts(a, e)))
        .then(|| format!("your result equals {label}"))
    })
}

/// The named factors, in the order they are tried.
fn named_factors(n: Option<usize>) -> Vec<(f64, String)> {
    let mut factors = vec![
        (-1.0, "−1 × the expected (the sign is flipped)".to_owned()),
        (2.0, "2 × the expected".to_owned()),
        (0.5, "½ × the expected".to_owned()),
    ];
    if let Some(n) = n.filter(|&n| n >= 2) {
        let f = n as f64;
        for (c, name) in [
            (f, "n"),
            (1.0 / f, "1/n"),
            ((f - 1.0) / f, "(n − 1)/n"),
            (f / (f - 1.0), "n/(n − 1)"),
            (((f - 1.0) / f).sqrt(), "√((n − 1)/n)"),
            ((f / (f - 1.0)).sqrt(), "√(n/(n − 1))"),
        ] {
            factors.push((c, format!("{name} × the expected (n = {n})")));
        }
    }
    factors
}

/// `got = c · expected` for a named or fitted constant `c`, as "2 × the expected".
fn factor(part: &Part) -> Option<String> {
    for (c, text) in named_factors(part.n) {
        if part.evident(|e| c * e) {
            return Some(text);
        }
    }
    // Fit the factor on the largest expected value, where rounding matters least.
    let (e, g) = part
        .expected
        .iter()
        .zip(&part.got)
        .filter(|(e, g)| e.is_finite() && g.is_finite() && **e != 0.0)
        .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()))?;
    let c = g / e;
    if !c.is_finite() || c == 0.0 || part.tol.accepts(c * e, *e) || !part.holds(|e| c * e) {
        return None;
    }
    // Hand-made cases are small integers, whose ratios are fractions by chance: a fraction is
    // evidence when two values show it. On a whole result of one number, only a whole factor k
    // or 1/k is (a sum for a mean over k samples, and the reverse): with a single wrong value
    // among right ones, or a ratio such as 3/4, another slip is as likely to have landed there.
    if let Some((text, exact, simple)) = fraction(c) {
        let shown = part.showing(|e| exact * e) >= 2 || (part.lone && simple);
        if shown && part.evident(|e| exact * e) {
            return Some(format!("{text} × the expected"));
        }
    }
    (part.showing(|e| c * e) >= 2 && part.expected_varies())
        .then(|| format!("{} × the expected", factor_text(c)))
}

/// `c` as a small fraction `p/q` or `±√(p/q)`, with its exact value and whether it is simple:
/// `k` or `1/k` for `k ≤ 12`.
fn fraction(c: f64) -> Option<(String, f64, bool)> {
    let rational = |x: f64| {
        (1..=12u32).find_map(|q| {
            let p = (x * f64::from(q)).round();
            let close = (x - p / f64::from(q)).abs() <= 1e-9 * x.abs().max(1.0);
            (close && p != 0.0 && p.abs() <= 48.0).then_some((p as i64, q))
        })
    };
    let text = |p: i64, q: u32| {
        if q == 1 {
            format!("{p}")
        } else {
            format!("{p}/{q}")
        }
    };
    let simple = |p: i64, q: u32| (q == 1 && p.abs() <= 12) || (p.abs() == 1 && q <= 12);
    if let Some((p, q)) = rational(c) {
        let exact = p as f64 / f64::from(q);
        return Some((text(p, q).replace('-', "−"), exact, simple(p, q)));
    }
    let (p, q) = rational(c * c)?;
    let root = (p as f64 / f64::from(q)).sqrt();
    let sign = if c < 0.0 { "−" } else { "" };
    Some((format!("{sign}√({})", text(p, q)), root.copysign(c), false))
}

/// `got = f(expected)` for a common slip of `f`, as "the square of the expected".
fn function(part: &Part) -> Option<String> {
    let candidates: [Named<Map>; 4] = [
        ("the square of the expected", |e| e * e),
        ("the square root of the expected", f64::sqrt),
        ("1 / the expected", |e| 1.0 / e),
        ("1 − the expected", |e| 1.0 - e),
    ];
    candidates
        .into_iter()
        // One number equals 1/x or 1 − x of another too often by chance to say so.
        .take(if part.got.len() == 1 { 2 } else { 4 })
        .find(|(_, map)| (part.got.len() == 1 || part.expected_varies()) && part.evident(map))
        .map(|(text, _)| text.to_owned())
}

fn offset(part: &Part) -> Option<String> {
    if part.got.len() < 2 || !part.expected_varies() {
        return None;
    }
    let (g, e) = part
        .got
        .iter()
        .zip(&part.expected)
        .find(|(g, e)| !part.tol.accepts(**g, **e))?;
    let d = g - e;
    if !d.is_finite() || !part.holds(|e| e + d) {
        return None;
    }
    let magnitude = match fraction(d.abs()) {
        Some((text, exact, _)) if !text.contains('√') && part.holds(|e| e + exact.copysign(d)) => {
            text
        }
        _ => decimal(d.abs()),
    };
    let sign = if d > 0.0 { "+" } else { "−" };
    Some(format!("the expected {sign} {magnitude}"))
}

fn constant(part: &Part) -> Option<String> {
    let first = *part.got.first()?;
    let all_same = part.got.iter().all(|&g| part.tol.accepts(g, first));
    (part.got.len() >= 2 && all_same && part.expected_varies())
        .then(|| format!("every value of your result is {}", decimal(first)))
}

/// A matrix whose columns sum to what every expected row sums to (a normalisation, a softmax, a
/// mean along the other axis), or the other way round.
fn sums_along_the_other_axis(pair: &Pair) -> Option<String> {
    let (r, c) = pair.got.matrix()?;
    if r < 2 || c < 2 {
        return None;
    }
    let row_sums = |v: &Values| -> Vec<f64> {
        (0..r)
            .map(|i| v.data[i * c..(i + 1) * c].iter().sum())
            .collect()
    };
    let column_sums = |v: &Values| -> Vec<f64> {
        (0..c)
            .map(|j| (0..r).map(|i| v.data[i * c + j]).sum())
            .collect()
    };
    let all_are = |sums: &[f64], s: f64| sums.iter().all(|&x| pair.tol.accepts(x, s));
    let constant = |sums: Vec<f64>| all_are(&sums, sums[0]).then_some(sums[0]);
    let (got_rows, got_columns) = (row_sums(pair.got), column_sums(pair.got));
    match (
        constant(row_sums(pair.expected)),
        constant(column_sums(pair.expected)),
    ) {
        (Some(s), None) if all_are(&got_columns, s) && !all_are(&got_rows, s) => Some(format!(
            "each of your columns sums to {}, as each expected row does",
            decimal(s)
        )),
        (None, Some(s)) if all_are(&got_rows, s) && !all_are(&got_columns, s) => Some(format!(
            "each of your rows sums to {}, as each expected column does",
            decimal(s)
        )),
        _ => None,
    }
}

fn rearrangement(pair: &Pair) -> Option<String> {
    if pair.got.len() > MAX_REARRANGED || pair.got.len() < 2 {
        return None;
    }
    match pair.got.shape.len() {
        1 => rearranged_vector(pair),
        2 => rearranged_matrix(pair),
        _ => None,
    }
}

/// Whether `got[i] ≈ expected[source(i)]` wherever `source` is defined, every wrong element is
/// explained so (but those `source` leaves out, at an edge), and at least two are.
fn moved(pair: &Pair, source: impl Fn(usize) -> Option<usize>) -> bool {
    let mut explained = 0;
    for (i, &g) in pair.got.data.iter().enumerate() {
        if let Some(j) = source(i) {
            if !pair.tol.accepts(g, pair.expected.data[j]) {
                return false;
            }
            explained += usize::from(!pair.right[i]);
        }
    }
    let wrong = pair.right.iter().filter(|&&r| !r).count();
    explained >= 2 && explained * 2 >= wrong
}

fn rearranged_vector(pair: &Pair) -> Option<String> {
    let n = pair.got.len();
    if moved(pair, |i| Some(n - 1 - i)) {
        return Some("your result is the expected in reverse order".to_owned());
    }
    if moved(pair, |i| i.checked_sub(1)) {
        return Some(
            "your result is the expected shifted one place later: your [i] is the expected [i − 1]"
                .to_owned(),
        );
    }
    if moved(pair, |i| (i + 1 < n).then_some(i + 1)) {
        return Some(
            "your result is the expected shifted one place earlier: your [i] is the expected [i + 1]"
                .to_owned(),
        );
    }
    let order = matching(n, |i, j| {
        pair.tol.accepts(pair.got.data[i], pair.expected.data[j])
    })?;
    Some(format!(
        "your result has the expected values in another order: {}",
        moves(
            &order,
            pair.right,
            |i| i,
            "your [",
            "] is the expected [",
            "]"
        )
    ))
}

fn rearranged_matrix(pair: &Pair) -> Option<String> {
    let (r, c) = pair.got.matrix()?;
    let at = |i: usize, j: usize| i * c + j;
    let rc = |k: usize| (k / c, k % c);
    if r == c && moved(pair, |k| Some(at(rc(k).1, rc(k).0))) {
        return Some("your result is the expected transposed".to_owned());
    }
    if moved(pair, |k| Some(at(r - 1 - rc(k).0, rc(k).1))) {
        return Some("your result is the expected with its rows in reverse order".to_owned());
    }
    if moved(pair, |k| Some(at(rc(k).0, c - 1 - rc(k).1))) {
        return Some("your result is the expected with its columns in reverse order".to_owned());
    }
    let shifts: [Named<Shift>; 4] = [
        (
            "your row i is the expected row i − 1 (rows shifted down by one)",
            |i, j, _, _| Some((i.checked_sub(1)?, j)),
        ),
        (
            "your row i is the expected row i + 1 (rows shifted up by one)",
            |i, j, r, _| (i + 1 < r).then_some((i + 1, j)),
        ),
        (
            "your column j is the expected column j − 1 (columns shifted right by one)",
            |i, j, _, _| Some((i, j.checked_sub(1)?)),
        ),
        (
            "your column j is the expected column j + 1 (columns shifted left by one)",
            |i, j, _, c| (j + 1 < c).then_some((i, j + 1)),
        ),
    ];
    for (text, shift) in shifts {
        if moved(pair, |k| {
            let (i, j) = rc(k);
            shift(i, j, r, c).map(|(i, j)| at(i, j))
        }) {
            return Some(text.to_owned());
        }
    }
    let rows_match = |i: usize, e: usize| {
        (0..c).all(|j| {
            pair.tol
                .accepts(pair.got.data[at(i, j)], pair.expected.data[at(e, j)])
        })
    };
    if let Some(order) = matching(r, rows_match) {
        let row_right: Vec<bool> = (0..r)
            .map(|i| (0..c).all(|j| pair.right[at(i, j)]))
            .collect();
        return Some(format!(
            "your rows are the expected rows in another order: {}",
            moves(
                &order,
                &row_right,
                |i| i,
                "your row ",
                " is the expected row ",
                ""
            )
        ));
    }
    let cols_match = |j: usize, e: usize| {
        (0..r).all(|i| {
            pair.tol
                .accepts(pair.got.data[at(i, j)], pair.expected.data[at(i, e)])
        })
    };
    let order = matching(c, cols_match)?;
    let col_right: Vec<bool> = (0..c)
        .map(|j| (0..r).all(|i| pair.right[at(i, j)]))
        .collect();
    Some(format!(
        "your columns are the expected columns in another order: {}",
        moves(
            &order,
            &col_right,
            |j| j,
            "your column ",
            " is the expected column ",
            ""
        )
    ))
}

/// A one-to-one matching of `n` items of yours to the expected ones, not the identity.
fn matching(n: usize, same: impl Fn(usize, usize) -> bool) -> Option<Vec<usize>> {
    let mut used = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for i in 0..n {
        // Prefer an item's own place, so only what really moved is reported.
        let j = if !used[i] && same(i, i) {
            i
        } else {
            (0..n).find(|&j| !used[j] && same(i, j))?
        };
        used[j] = true;
        order.push(j);
    }
    order
        .iter()
        .enumerate()
        .any(|(i, &j)| i != j)
        .then_some(order)
}

/// The first few moves of a matching, as "your row 0 is the expected row 2, …".
fn moves(
    order: &[usize],
    right: &[bool],
    label: impl Fn(usize) -> usize,
    before: &str,
    middle: &str,
    after: &str,
) -> String {
    let moved: Vec<String> = order
        .iter()
        .enumerate()
        .filter(|&(i, &j)| i != j && !right[i])
        .map(|(i, &j)| format!("{before}{}{middle}{}{after}", label(i), label(j)))
        .collect();
    let mut text = moved.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if moved.len() > 3 {
        let _ = write!(text, ", …");
    }
    text
}

fn partly_right(pair: &Pair, context: &Context) -> Option<String> {
    let wrong: Vec<usize> = (0..pair.right.len()).filter(|&i| !pair.right[i]).collect();
    if wrong.len() == pair.right.len() || wrong.is_empty() {
        return None;
    }
    // One wrong value of a matrix is best named by its index, not by a region it happens to fill.
    let place = match pair.got.shape.len() {
        1 => vector_place(pair.right),
        2 if wrong.len() > 1 => pair
            .got
            .matrix()
            .and_then(|(r, c)| matrix_place(pair.right, r, c)),
        _ => None,
    }
    .or_else(|| input_place(pair, context))
    .or_else(|| elements_place(pair, &wrong))
    .or_else(|| {
        let (r, c) = pair.got.matrix()?;
        lines_place(pair.right, r, c)
    })?;
    let wrong_part = pair.wrong_part();
    let there = factor(&wrong_part)
        .or_else(|| function(&wrong_part))
        .or_else(|| offset(&wrong_part))
        .or_else(|| {
            wrong_part
                .got
                .iter()
                .all(|&g| g == 0.0)
                .then(|| "0".to_owned())
        });
    Some(match there {
        Some(relation) => format!("{place}: there your values are {relation}"),
        None => place,
    })
}

/// Where a 1-D result is wrong, when that place has a name.
fn vector_place(right: &[bool]) -> Option<String> {
    let n = right.len();
    let wrong: Vec<usize> = (0..n).filter(|&i| !right[i]).collect();
    match wrong[..] {
        [0] => return Some("only the first value is wrong".to_owned()),
        [i] if i == n - 1 => return Some("only the last value is wrong".to_owned()),
        [0, last] if n >= 3 && last == n - 1 => {
            return Some("only the first and last values are wrong".to_owned());
        }
        _ => {}
    }
    // One right value at an end is often chance (a 0 expected and computed); two make a run.
    let first_wrong = wrong[0];
    if first_wrong >= 2 && wrong.len() >= 2 && wrong == (first_wrong..n).collect::<Vec<_>>() {
        return Some(format!(
            "the first {first_wrong} values are right, from [{first_wrong}] on wrong"
        ));
    }
    let last_wrong = *wrong.last()?;
    if last_wrong + 3 <= n && wrong.len() >= 2 && wrong == (0..=last_wrong).collect::<Vec<_>>() {
        return Some(format!(
            "the values up to [{last_wrong}] are wrong, from [{}] on right",
            last_wrong + 1
        ));
    }
    None
}

/// Where a 2-D result is wrong, when that place is a named region: the diagonal, a triangle, the
/// boundary, or whole rows or columns.
fn matrix_place(right: &[bool], r: usize, c: usize) -> Option<String> {
    let wrong = |i: usize, j: usize| !right[i * c + j];
    let is = |region: &dyn Fn(usize, usize) -> bool| {
        (0..r).all(|i| (0..c).all(|j| wrong(i, j) == region(i, j)))
    };
    if r == c && r >= 2 {
        let regions: [Named<&dyn Fn(usize, usize) -> bool>; 4] = [
            ("only the diagonal is wrong", &|i, j| i == j),
            (
                "everything off the diagonal is wrong, the diagonal is right",
                &|i, j| i != j,
            ),
            ("only the values above the diagonal are wrong", &|i, j| {
                j > i
            }),
            ("only the values below the diagonal are wrong", &|i, j| {
                j < i
            }),
        ];
        if let Some((text, _)) = regions.iter().find(|(_, region)| is(*region)) {
            return Some((*text).to_owned());
        }
    }
    if r >= 3 && c >= 3 {
        let boundary = |i: usize, j: usize| i == 0 || j == 0 || i == r - 1 || j == c - 1;
        if is(&boundary) {
            return Some("every value on the boundary is wrong, the interior is right".to_owned());
        }
        if is(&|i, j| !boundary(i, j)) {
            return Some("the interior is wrong, the boundary is right".to_owned());
        }
    }
    let full_rows: Vec<usize> = (0..r).filter(|&i| (0..c).all(|j| wrong(i, j))).collect();
    if c >= 2 && is(&|i, _| full_rows.contains(&i)) {
        return Some(lines_text(&full_rows, r, "row"));
    }
    let full_cols: Vec<usize> = (0..c).filter(|&j| (0..r).all(|i| wrong(i, j))).collect();
    if r >= 2 && is(&|_, j| full_cols.contains(&j)) {
        return Some(lines_text(&full_cols, c, "column"));
    }
    None
}

/// The rows or columns that hold every wrong value, when they are a minority.
fn lines_place(right: &[bool], r: usize, c: usize) -> Option<String> {
    let rows: Vec<usize> = (0..r)
        .filter(|&i| (0..c).any(|j| !right[i * c + j]))
        .collect();
    let cols: Vec<usize> = (0..c)
        .filter(|&j| (0..r).any(|i| !right[i * c + j]))
        .collect();
    let (lines, of, noun) = if rows.len() * c <= cols.len() * r {
        (rows, r, "row")
    } else {
        (cols, c, "column")
    };
    (lines.len() * 2 <= of && c > 1 && r > 1).then(|| {
        lines_text(&lines, of, noun)
            .replacen("is wrong", "has wrong values", 1)
            .replacen("are wrong", "have wrong values", 1)
    })
}

/// "only the last column is wrong", "rows 0 and 3 are wrong, the others right".
fn lines_text(lines: &[usize], of: usize, noun: &str) -> String {
    match lines {
        [0] => format!("only the first {noun} is wrong"),
        [i] if *i == of - 1 => format!("only the last {noun} is wrong"),
        [i] => format!("only {noun} {i} is wrong"),
        _ => format!("{noun}s {} are wrong, the others right", list_text(lines)),
    }
}

/// "0, 3 and 5".
fn list_text(items: &[usize]) -> String {
    let shown: Vec<String> = items.iter().take(6).map(usize::to_string).collect();
    match shown.len() {
        _ if items.len() > 6 => format!("{}, …", shown.join(", ")),
        1 => shown[0].clone(),
        _ => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
    }
}

/// Whether the wrong values are exactly those whose input has some sign.
fn input_place(pair: &Pair, context: &Context) -> Option<String> {
    let input = context.input.as_ref()?;
    if input.len() != pair.right.len() {
        return None;
    }
    let signs: [Named<Test>; 5] = [
        ("negative", |x| x < 0.0),
        ("0", |x| x == 0.0),
        ("positive", |x| x > 0.0),
        ("≤ 0", |x| x <= 0.0),
        ("≥ 0", |x| x >= 0.0),
    ];
    signs
        .iter()
        .find(|(_, sign)| {
            input
                .data
                .iter()
                .zip(pair.right)
                .all(|(&x, &right)| sign(x) != right)
        })
        .map(|(name, _)| format!("the values whose input is {name} are wrong, the others right"))
}

/// The wrong elements listed, when they are few: many scattered wrong values are no pattern.
fn elements_place(pair: &Pair, wrong: &[usize]) -> Option<String> {
    let shape = &pair.got.shape;
    let right = match pair.right.len() - wrong.len() {
        1 => "the other value is".to_owned(),
        n => format!("the other {n} values are"),
    };
    let places: Vec<String> = wrong.iter().map(|&i| index_text(shape, i)).collect();
    match places.len() {
        1 => Some(format!("only {} is wrong, {right} right", places[0])),
        2..=3 => Some(format!(
            "only {} and {} are wrong, {right} right",
            places[..places.len() - 1].join(", "),
            places[places.len() - 1]
        )),
        _ => None,
    }
}

fn shape_relation(got: &Values, expected: &Values, tol: Tol, n: Option<usize>) -> Option<String> {
    let same = |a: &[f64], b: &[f64]| {
        a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| tol.accepts(x, y))
    };
    if let (Some((r, c)), Some((er, ec))) = (got.matrix(), expected.matrix()) {
        if (r, c) == (ec, er) {
            let transposed: Vec<f64> = (0..r * c)
                .map(|k| expected.data[(k % c) * ec + k / c])
                .collect();
            if same(&got.data, &transposed) {
                return Some("your result is the expected transposed".to_owned());
            }
        }
    }
    if !got.data.is_empty() && same(&got.data, &expected.data) {
        return Some(format!(
            "your values are the expected ones, in shape {:?} instead of {:?}",
            got.shape, expected.shape
        ));
    }
    trimmed(got, expected, &same).or_else(|| describe_shapes(&got.shape, &expected.shape, n))
}

/// A result that is the expected one with its first or last value (or row, or column) missing
/// or added: an off-by-one in a loop's range.
fn trimmed(
    got: &Values,
    expected: &Values,
    same: &dyn Fn(&[f64], &[f64]) -> bool,
) -> Option<String> {
    if got.shape.len() != expected.shape.len() || got.shape.is_empty() {
        return None;
    }
    let differing: Vec<usize> = (0..got.shape.len())
        .filter(|&a| got.shape[a] != expected.shape[a])
        .collect();
    let [axis] = differing[..] else {
        return None;
    };
    let (short, long, got_is_long) = if got.shape[axis] + 1 == expected.shape[axis] {
        (got, expected, false)
    } else if expected.shape[axis] + 1 == got.shape[axis] {
        (expected, got, true)
    } else {
        return None;
    };
    let noun = axis_noun(got.shape.len(), axis);
    // Row-major: the elements of one index along `axis` repeat every `inner` values.
    let inner: usize = long.shape[axis + 1..].iter().product();
    let len = long.shape[axis];
    let without = |skip: usize| -> Vec<f64> {
        long.data
            .iter()
            .enumerate()
            .filter(|(k, _)| (k / inner) % len != skip)
            .map(|(_, &v)| v)
            .collect()
    };
    // Under a loose tolerance both ends may fit: name the one that fits better.
    let worst = |skip: usize| {
        let kept = without(skip);
        (same(&kept, &short.data)).then(|| {
            kept.iter()
                .zip(&short.data)
                .map(|(&a, &b)| (a - b).abs())
                .fold(0.0, f64::max)
        })
    };
    let (skip, _) = [0, len - 1]
        .into_iter()
        .filter_map(|skip| worst(skip).map(|w| (skip, w)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(match (got_is_long, skip == 0) {
        (true, true) => format!("your result is the expected with an extra {noun} in front"),
        (true, false) => format!("your result is the expected with an extra {noun} at the end"),
        (false, true) => format!("your result is the expected without its first {noun}"),
        (false, false) => format!("your result is the expected without its last {noun}"),
    })
}

/// What one index along `axis` is called: a value of a vector, a row or column of a matrix.
fn axis_noun(ndim: usize, axis: usize) -> &'static str {
    match (ndim, axis) {
        (1, _) => "value",
        (2, 0) => "row",
        (2, 1) => "column",
        _ => "slice",
    }
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

/// A fitted factor: `1.37`, or `(1 + 2.0e-11)` when it is nearly 1 and rounding would hide it.
fn factor_text(c: f64) -> String {
    if (c - 1.0).abs() < 1e-3 {
        let sign = if c > 1.0 { "+" } else { "−" };
        format!("(1 {sign} {:.1e})", (c - 1.0).abs())
    } else {
        decimal(c)
    }
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
