//! Where a result is wrong when it is right elsewhere: one element, a region, whole rows or
//! columns, the elements with some input.

use super::value::{factor, function, offset};
use super::{Context, Named, Pair, index_text};

/// A test of one number.
type Test = fn(f64) -> bool;

pub(super) fn partly_right(pair: &Pair, context: &Context) -> Option<String> {
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
