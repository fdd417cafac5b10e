//! Relations of layout: every value right but in the wrong place, or a matrix normalised along
//! the other axis.

use std::fmt::Write as _;

use super::{Named, Pair, Values, decimal};

/// Rearrangements are searched only in arrays up to this many elements: row permutations cost
/// rows² × columns, and a mistake shows as well on a small case.
const MAX_REARRANGED: usize = 4096;

/// Where `(row, column)` of a `rows × columns` result comes from in the expected one, if anywhere.
type Shift = fn(usize, usize, usize, usize) -> Option<(usize, usize)>;

/// A matrix whose columns sum to what every expected row sums to (a normalisation, a softmax, a
/// mean along the other axis), or the other way round.
pub(super) fn sums_along_the_other_axis(pair: &Pair) -> Option<String> {
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

pub(super) fn rearrangement(pair: &Pair) -> Option<String> {
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
