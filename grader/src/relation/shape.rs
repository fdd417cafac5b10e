//! Relations between results of different shapes.

use super::{Tol, Values};

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

pub(super) fn shape_relation(
    got: &Values,
    expected: &Values,
    tol: Tol,
    n: Option<usize>,
) -> Option<String> {
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
