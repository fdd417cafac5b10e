//! Relations element by element: non-finite values, known alternatives, factors, functions,
//! offsets and a constant result.

use super::{Context, Named, Pair, Part, decimal, index_text, zip};

/// Beyond this magnitude a finite result is about to overflow `f64` (whose largest is 1.8e308).
const NEAR_OVERFLOW: f64 = 1e300;

/// Below this magnitude an expected value is one that a slightly different computation rounds
/// to 0 (`f64`'s smallest normal number is 2.2e-308).
const NEAR_UNDERFLOW: f64 = 1e-290;

/// A map of one number.
type Map = fn(f64) -> f64;

pub(super) fn non_finite(pair: &Pair) -> Option<String> {
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

pub(super) fn alternative(pair: &Pair, context: &Context) -> Option<String> {
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
pub(super) fn factor(part: &Part) -> Option<String> {
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
pub(super) fn function(part: &Part) -> Option<String> {
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

pub(super) fn offset(part: &Part) -> Option<String> {
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

pub(super) fn constant(part: &Part) -> Option<String> {
    let first = *part.got.first()?;
    let all_same = part.got.iter().all(|&g| part.tol.accepts(g, first));
    (part.got.len() >= 2 && all_same && part.expected_varies())
        .then(|| format!("every value of your result is {}", decimal(first)))
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
