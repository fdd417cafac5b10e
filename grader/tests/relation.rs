//! Every relationship `relation::describe` names, on constructed arrays, and the near-misses it
//! must not name: a relationship is only ever claimed when it holds for every element.

use mlings_grader::assert::{Context, Tol, close, close_array, close_array_with, close_with};
use mlings_grader::guard::{check_shape, learner_call, shape_panic};
use mlings_grader::relation::{Values, describe, describe_shapes};
use ndarray::{Array1, Array2, array};

const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

fn rel(got: impl Into<Values>, expected: impl Into<Values>) -> Option<String> {
    describe(got, expected, EXACT, &Context::new())
}

fn rel_in(
    got: impl Into<Values>,
    expected: impl Into<Values>,
    context: &Context,
) -> Option<String> {
    describe(got, expected, EXACT, context)
}

/// An asymmetric, non-constant 3 × 4 fixture with no zeros and no repeated values.
fn m() -> Array2<f64> {
    array![
        [1.5, -2.0, 3.25, 0.5],
        [-0.75, 4.0, 2.5, -1.25],
        [2.0, 0.25, -3.5, 1.75]
    ]
}

fn v() -> Array1<f64> {
    array![0.5, -1.5, 2.25, 3.0, -0.25]
}

fn says(line: Option<String>, expected: &str) {
    assert_eq!(line.as_deref(), Some(expected));
}

// Accepted results need no explanation.

#[test]
fn an_accepted_result_has_no_relation() {
    assert_eq!(rel(&m(), &m()), None);
    assert_eq!(rel(1.0, 1.0 + 1e-14), None);
}

// Factors.

#[test]
fn a_flipped_sign_is_named() {
    says(
        rel(&(-m()), &m()),
        "your result is −1 × the expected (the sign is flipped)",
    );
    says(
        rel(-2.5, 2.5),
        "your result is −1 × the expected (the sign is flipped)",
    );
}

#[test]
fn named_factors_are_named() {
    says(rel(&(m() * 2.0), &m()), "your result is 2 × the expected");
    says(rel(&(v() * 0.5), &v()), "your result is ½ × the expected");
}

#[test]
fn factors_of_n_are_named_with_n() {
    let x = m();
    let n = Context::new().n(3);
    says(
        rel_in(&(&x * 3.0), &x, &n),
        "your result is n × the expected (n = 3)",
    );
    says(
        rel_in(&(&x / 3.0), &x, &n),
        "your result is 1/n × the expected (n = 3)",
    );
    says(
        rel_in(&(&x * (2.0 / 3.0)), &x, &n),
        "your result is (n − 1)/n × the expected (n = 3)",
    );
    says(
        rel_in(&(&x * 1.5), &x, &n),
        "your result is n/(n − 1) × the expected (n = 3)",
    );
    says(
        rel_in(&(&x * 1.5f64.sqrt()), &x, &n),
        "your result is √(n/(n − 1)) × the expected (n = 3)",
    );
    // A sum where a mean was expected, seen in one number under a tight tolerance.
    says(
        rel_in(5.0, 5.0 / 3.0, &n),
        "your result is n × the expected (n = 3)",
    );
}

#[test]
fn a_fitted_factor_is_a_fraction_when_it_is_one() {
    says(rel(&(m() * 3.0), &m()), "your result is 3 × the expected");
    says(
        rel(&(v() * (5.0 / 7.0)), &v()),
        "your result is 5/7 × the expected",
    );
    says(
        rel(&(v() * (1.0f64 / 3.0).sqrt()), &v()),
        "your result is √(1/3) × the expected",
    );
    // One number: a whole factor or its inverse (a sum for a mean over 4 samples) …
    says(rel(10.0, 2.5), "your result is 4 × the expected");
    says(rel(2.5, 10.0), "your result is 1/4 × the expected");
    // … but no other fraction: hand-made cases are small integers, whose ratios are fractions
    // by chance (a learner's intercept of 1/2 for 2/3 is no "3/4 ×"). With n, n/(n − 1) is named.
    assert_eq!(rel(0.5, 2.0 / 3.0), None);
    assert_eq!(rel(2.5, 5.0 / 3.0), None);
    assert_eq!(rel((1.0f64 / 18.0).sqrt(), 1.0f64 / 6.0f64.sqrt()), None);
    assert_eq!(rel(-6.0, -3.5), None);
}

#[test]
fn any_constant_factor_is_named_when_two_distinct_values_show_it() {
    says(
        rel(&(v() * 1.2345678), &v()),
        "your result is 1.2346 × the expected",
    );
    says(
        rel(&(v() * (1.0 + 1e-9)), &v()),
        "your result is (1 + 1.0e-9) × the expected",
    );
}

#[test]
fn a_factor_wrong_in_one_element_is_no_factor() {
    let mut got = m() * 2.0;
    got[[2, 1]] += 0.1;
    assert_eq!(rel(&got, &m()), None);
}

#[test]
fn an_arbitrary_ratio_of_one_number_is_no_relation() {
    assert_eq!(rel(0.86, 0.88), None);
}

#[test]
fn one_number_under_a_loose_tolerance_shows_no_factor() {
    // Within 1e-2, 2 × 0.49 = 0.98 is a coincidence as likely as a mistake.
    assert_eq!(describe(0.98, 0.49, Tol::rel(1e-2), &Context::new()), None);
    // Two values showing it are evidence even under that tolerance.
    says(
        describe(
            &[0.98, -3.0][..],
            &[0.49, -1.5][..],
            Tol::rel(1e-2),
            &Context::new(),
        ),
        "your result is 2 × the expected",
    );
}

// Elementwise functions, offsets, constants.

#[test]
fn common_elementwise_slips_are_named() {
    let p = array![0.25, 0.5, 4.0];
    says(
        rel(&p.mapv(|x| x * x), &p),
        "your result is the square of the expected",
    );
    says(
        rel(&p.mapv(f64::sqrt), &p),
        "your result is the square root of the expected",
    );
    says(
        rel(&p.mapv(|x| 1.0 / x), &p),
        "your result is 1 / the expected",
    );
    let q = array![0.1, 0.7, 0.35];
    says(
        rel(&q.mapv(|x| 1.0 - x), &q),
        "your result is 1 − the expected",
    );
}

#[test]
fn a_constant_offset_is_named() {
    says(
        rel(&(v() + 1.0), &v()),
        "your result is the expected + 1 at every element",
    );
    says(
        rel(&(v() - 0.125), &v()),
        "your result is the expected − 1/8 at every element",
    );
}

#[test]
fn a_constant_result_is_named() {
    says(
        rel(&Array1::<f64>::zeros(5), &v()),
        "every value of your result is 0",
    );
}

// Non-finite values.

#[test]
fn nan_and_infinity_are_located() {
    let mut got = m();
    got[[1, 2]] = f64::NAN;
    got[[2, 0]] = f64::NAN;
    let line = rel(&got, &m()).unwrap();
    assert!(
        line.starts_with("your result has NaN first at [1, 2] (2 of 12 values are NaN or ±∞)"),
        "{line}"
    );
    let line = rel(&array![1.0, f64::INFINITY], &array![1.0, 2.0]).unwrap();
    assert!(
        line.starts_with("your result has +∞ first at [1] (the only non-finite value)"),
        "{line}"
    );
    assert!(line.contains("an overflow or a division by 0"), "{line}");
    let line = rel(f64::NEG_INFINITY, 2.0).unwrap();
    assert!(line.starts_with("your result is −∞"), "{line}");
}

#[test]
fn a_value_about_to_overflow_is_named() {
    let line = rel(&array![1.0, 3e305], &array![1.0, 2.0]).unwrap();
    assert_eq!(
        line,
        "your result reaches 3.0e305 at [1], near the largest f64 (1.8e308)"
    );
    // Only a tolerance with no floor tells 0 from 2e-300.
    says(
        describe(
            &array![1.0, 0.0],
            &array![1.0, 2e-300],
            Tol::rel(1e-9),
            &Context::new(),
        ),
        "your result underflowed to 0 at [1], where the expected is 2.0e-300",
    );
}

// Alternatives.

#[test]
fn a_known_alternative_is_named() {
    let x = v();
    let context = Context::new()
        .alternative("the input unchanged", &x)
        .alternative("the value after one sweep", &(&x * 0.9));
    says(
        rel_in(&x, &(&x * 2.0 + 1.0), &context),
        "your result equals the input unchanged",
    );
    says(
        rel_in(&(&x * 0.9), &(&x * 2.0 + 1.0), &context),
        "your result equals the value after one sweep",
    );
}

#[test]
fn an_alternative_wins_over_a_factor() {
    // The expected is twice the input: "½ × the expected" holds too, but naming the input says
    // more.
    let x = v();
    let context = Context::new().alternative("the input unchanged", &x);
    says(
        rel_in(&x, &(&x * 2.0), &context),
        "your result equals the input unchanged",
    );
}

// Rearrangements.

#[test]
fn a_transpose_is_named() {
    let square = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]];
    says(
        rel(&square.t(), &square),
        "your result is the expected transposed",
    );
    // Of another shape: the shapes differ, and the values say it is the transpose.
    says(
        rel(&m().t(), &m()),
        "your result is the expected transposed",
    );
}

#[test]
fn reversed_orders_are_named() {
    let x = v();
    let reversed: Array1<f64> = x.iter().rev().copied().collect();
    says(
        rel(&reversed, &x),
        "your result is the expected in reverse order",
    );
    let rows = Array2::from_shape_fn((3, 4), |(i, j)| m()[[2 - i, j]]);
    says(
        rel(&rows, &m()),
        "your result is the expected with its rows in reverse order",
    );
    let cols = Array2::from_shape_fn((3, 4), |(i, j)| m()[[i, 3 - j]]);
    says(
        rel(&cols, &m()),
        "your result is the expected with its columns in reverse order",
    );
}

#[test]
fn a_shift_by_one_is_named() {
    let x = v();
    let later = array![0.0, 0.5, -1.5, 2.25, 3.0];
    says(
        rel(&later, &x),
        "your result is the expected shifted one place later: your [i] is the expected [i − 1]",
    );
    let earlier = array![-1.5, 2.25, 3.0, -0.25, 9.0];
    says(
        rel(&earlier, &x),
        "your result is the expected shifted one place earlier: your [i] is the expected [i + 1]",
    );
    let down = Array2::from_shape_fn((3, 4), |(i, j)| if i == 0 { 0.0 } else { m()[[i - 1, j]] });
    says(
        rel(&down, &m()),
        "your row i is the expected row i − 1 (rows shifted down by one)",
    );
    let left = Array2::from_shape_fn((3, 4), |(i, j)| if j == 3 { 0.0 } else { m()[[i, j + 1]] });
    says(
        rel(&left, &m()),
        "your column j is the expected column j + 1 (columns shifted left by one)",
    );
}

#[test]
fn a_permutation_is_named_with_what_moved() {
    let rows = Array2::from_shape_fn((3, 4), |(i, j)| m()[[[2, 1, 0][i], j]]);
    // Rows 0 and 2 swapped in a 3-row matrix is also the reverse order, which is named first.
    says(
        rel(&rows, &m()),
        "your result is the expected with its rows in reverse order",
    );
    let cols = Array2::from_shape_fn((3, 4), |(i, j)| m()[[i, [1, 0, 2, 3][j]]]);
    says(
        rel(&cols, &m()),
        "your columns are the expected columns in another order: your column 0 is the expected column 1, your column 1 is the expected column 0",
    );
    let x = v();
    let shuffled = array![x[0], x[3], x[2], x[4], x[1]];
    says(
        rel(&shuffled, &x),
        "your result has the expected values in another order: your [1] is the expected [3], your [3] is the expected [4], your [4] is the expected [1]",
    );
}

#[test]
fn a_permutation_with_one_more_change_is_no_permutation() {
    let x = v();
    let shuffled = array![x[0], x[3], x[2] + 0.5, x[4], x[1]];
    assert_eq!(rel(&shuffled, &x), None);
}

#[test]
fn one_wrong_value_is_not_a_shift() {
    // Shifting a constant run "explains" one wrong value: that is a wrong value, not a shift.
    let expected = array![5.0, 1.0, 1.0, 1.0];
    says(
        rel(&array![1.0, 1.0, 1.0, 1.0], &expected),
        "only the first value is wrong",
    );
}

#[test]
fn a_normalisation_along_the_other_axis_is_named() {
    let logits = array![[1.0, 2.0, 3.0], [0.0, 0.5, -1.0]];
    let softmax = |rows: bool| {
        let mut p = logits.mapv(f64::exp);
        if rows {
            for mut row in p.rows_mut() {
                let sum = row.sum();
                row /= sum;
            }
        } else {
            for mut column in p.columns_mut() {
                let sum = column.sum();
                column /= sum;
            }
        }
        p
    };
    says(
        rel(&softmax(false), &softmax(true)),
        "each of your columns sums to 1, as each expected row does",
    );
}

// Right in some places, wrong in others.

#[test]
fn one_wrong_value_landing_on_a_fraction_is_not_called_a_factor() {
    // A synchronous sweep where an in-place one was expected: −6 for −2 is no "3 ×".
    says(
        rel(&array![0.0, -1.0, -6.0], &array![0.0, -1.0, -2.0]),
        "only the last value is wrong",
    );
}

#[test]
fn wrong_rows_and_columns_are_named() {
    let x = m();
    let mut got = x.clone();
    got.row_mut(0).mapv_inplace(|a| a + 1.0);
    got.row_mut(2).fill(7.0);
    says(rel(&got, &x), "rows 0 and 2 are wrong, the others right");
    let mut got = x.clone();
    got.column_mut(3).mapv_inplace(|a| -a);
    says(
        rel(&got, &x),
        "only the last column is wrong: there your values are −1 × the expected (the sign is flipped)",
    );
    let mut got = x.clone();
    got.row_mut(1).fill(0.0);
    says(
        rel(&got, &x),
        "only row 1 is wrong: there your values are 0",
    );
}

#[test]
fn the_diagonal_triangles_and_boundary_are_named() {
    let square = Array2::from_shape_fn((4, 4), |(i, j)| 1.0 + (i * 4 + j) as f64 * 0.37);
    let wrong_where = |region: fn(usize, usize) -> bool| {
        Array2::from_shape_fn((4, 4), |(i, j)| {
            square[[i, j]] + if region(i, j) { 1.0 } else { 0.0 }
        })
    };
    says(
        rel(&wrong_where(|i, j| i == j), &square),
        "only the diagonal is wrong: there your values are the expected + 1",
    );
    says(
        rel(&wrong_where(|i, j| j > i), &square),
        "only the values above the diagonal are wrong: there your values are the expected + 1",
    );
    says(
        rel(
            &wrong_where(|i, j| i == 0 || j == 0 || i == 3 || j == 3),
            &square,
        ),
        "every value on the boundary is wrong, the interior is right: there your values are the expected + 1",
    );
}

#[test]
fn wrong_values_where_the_input_is_negative_are_named() {
    let z = array![[-2.0, 0.5, 1.0], [3.0, -0.5, -1.5]];
    let expected = z.mapv(|a: f64| a.max(0.0));
    let got = z.mapv(|a: f64| a.max(0.0) + if a < 0.0 { 0.3 } else { 0.0 });
    says(
        rel_in(&got, &expected, &Context::new().input(&z)),
        "the values whose input is negative are wrong, the others right",
    );
}

#[test]
fn a_prefix_right_and_the_rest_wrong_is_named() {
    let x = array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let got = array![1.0, 2.0, 3.0, 9.0, -4.0, 7.5];
    says(
        rel(&got, &x),
        "the first 3 values are right, from [3] on wrong",
    );
}

#[test]
fn a_few_wrong_values_are_listed() {
    let mut got = m();
    got[[0, 1]] = 9.0;
    got[[2, 2]] = 9.5;
    says(
        rel(&got, &m()),
        "only [0, 1] and [2, 2] are wrong, the other 10 values are right",
    );
}

// Near-misses that must not be reported.

#[test]
fn noise_at_ten_times_the_tolerance_is_no_relation() {
    let x = Array2::from_shape_fn((6, 5), |(i, j)| ((i * 5 + j) as f64 * 0.7).sin() + 2.0);
    let tol = Tol::abs(1e-6);
    // A deterministic scramble of signs: every element off by exactly 10 × the tolerance.
    let noisy = Array2::from_shape_fn((6, 5), |(i, j)| {
        let sign = if (i * 7 + j * 3) % 5 < 2 { 1.0 } else { -1.0 };
        x[[i, j]] + sign * 1e-5
    });
    assert_eq!(describe(&noisy, &x, tol, &Context::new()), None);
}

#[test]
fn scattered_wrong_values_are_no_pattern() {
    let x = Array2::from_shape_fn((6, 6), |(i, j)| (i * 6 + j) as f64 + 1.0);
    let got = Array2::from_shape_fn((6, 6), |(i, j)| {
        x[[i, j]]
            + if (i * 5 + j * 2) % 3 == 0 {
                0.5 + i as f64
            } else {
                0.0
            }
    });
    assert_eq!(rel(&got, &x), None);
}

// Shapes.

#[test]
fn shape_relations_are_named() {
    let x = v();
    says(
        rel(&x.slice(ndarray::s![..4]), &x),
        "your result is the expected without its last value",
    );
    says(
        rel(&x.slice(ndarray::s![1..]), &x),
        "your result is the expected without its first value",
    );
    let longer = ndarray::concatenate![ndarray::Axis(0), array![7.0], x];
    says(
        rel(&longer, &x),
        "your result is the expected with an extra value in front",
    );
    let flat = Array1::from_iter(m().iter().copied());
    says(
        rel(&flat, &m()),
        "your values are the expected ones, in shape [12] instead of [3, 4]",
    );
    says(
        Some(describe_shapes(&[3], &[2], Some(3)).unwrap()),
        "your result has n = 3 values where the expected has 2",
    );
    says(
        describe_shapes(&[3], &[3, 2], None),
        "your result has 1 fewer axis than the expected",
    );
    says(
        describe_shapes(&[4, 2], &[3, 2], None),
        "your result has one row too many",
    );
}

// The comparison helpers.

#[test]
fn close_adds_the_relation_line_after_the_worst_element() {
    let failure = close_array("dw", &array![-1.0, 5.0], &array![1.0, -5.0], EXACT).unwrap_err();
    let lines: Vec<&str> = failure.message.lines().collect();
    assert_eq!(lines.len(), 2, "{failure}");
    assert!(lines[0].starts_with("dw[1]: got 5.0"), "{failure}");
    assert_eq!(
        lines[1],
        "relation: your result is −1 × the expected (the sign is flipped)"
    );
    let failure = close_with("mse", 5.0, 5.0 / 3.0, EXACT, &Context::new().n(3)).unwrap_err();
    assert!(
        failure
            .message
            .ends_with("\nrelation: your result is n × the expected (n = 3)"),
        "{failure}"
    );
}

#[test]
fn close_without_a_relation_keeps_one_line() {
    let failure = close("y", 0.86, 0.88, Tol::rel(1e-9)).unwrap_err();
    assert_eq!(failure.message.lines().count(), 1, "{failure}");
}

#[test]
fn a_wrong_shape_names_the_learners_function() {
    let context = Context::new().function("dense_backward");
    let failure = close_array_with(
        "db",
        &array![1.0, 2.0, 3.0],
        &array![[1.0, 2.0]],
        EXACT,
        &context,
    )
    .unwrap_err();
    assert_eq!(
        failure.message,
        "dense_backward returned db of shape [3], expected [1, 2]\nrelation: your result has 1 fewer axis than the expected"
    );
    let failure = check_shape("dense_forward", "out", &[3, 2], &[3, 3]).unwrap_err();
    assert_eq!(
        failure.message,
        "dense_forward returned out of shape [3, 2], expected [3, 3]\nrelation: your result has one column too few"
    );
}

// Learner calls.

#[test]
fn a_shape_panic_in_learner_code_names_the_function_and_shapes() {
    let x = Array2::<f64>::ones((3, 2));
    let y = Array1::<f64>::ones(3);
    let failure =
        learner_call("predict", &[("x", x.shape()), ("y", y.shape())], || &x + &y).unwrap_err();
    assert_eq!(
        failure.message,
        "predict(x: [3, 2], y: [3]) failed on a shape mismatch: arrays of incompatible shapes were combined elementwise or reshaped"
    );
    let failure = learner_call("mean", &[("x", x.shape())], || x.dot(&y)).unwrap_err();
    assert!(
        failure.message.contains("whose inner sizes 2 and 3 differ"),
        "{failure}"
    );
}

#[test]
fn other_panics_in_learner_code_unwind_unchanged() {
    let todo = std::panic::catch_unwind(|| learner_call("mse", &[], || -> f64 { todo!("mse") }));
    let payload = todo.unwrap_err();
    let text = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(text.starts_with("not yet implemented"), "{text}");
    assert_eq!(learner_call("mse", &[], || 2.5), Ok(2.5));
}

#[test]
fn ndarray_shape_panics_are_recognised() {
    assert_eq!(
        shape_panic("ndarray: could not broadcast array from shape: [3] to: [2, 2]").as_deref(),
        Some("an array of shape [3] cannot be broadcast to shape [2, 2]")
    );
    assert_eq!(
        shape_panic("index out of bounds: the len is 3 but the index is 3"),
        None
    );
    assert_eq!(shape_panic("not yet implemented"), None);
}

#[test]
fn a_constant_expected_value_names_no_function_of_it() {
    // 1 − 0 = 1, 0 + 1 = 1, and 1 everywhere all fit: none of them is evidence.
    assert_eq!(rel(&array![1.0, 1.0, 1.0], &array![0.0, 0.0, 0.0]), None);
}

#[test]
fn a_large_result_is_described_too() {
    // The size of the digits' batch: every relation stays linear or capped in the elements.
    let x = Array2::from_shape_fn((1800, 10), |(i, j)| ((i * 10 + j) as f64 * 0.013).cos());
    let mut got = x.clone();
    got.column_mut(9).mapv_inplace(|a| a * 2.0);
    says(
        rel(&got, &x),
        "only the last column is wrong: there your values are 2 × the expected",
    );
    says(
        rel(&(&x * -1.0), &x),
        "your result is −1 × the expected (the sign is flipped)",
    );
}

#[test]
fn a_row_permutation_is_named_with_what_moved() {
    let x = Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as f64 * 1.5 - 4.0);
    let got = Array2::from_shape_fn((4, 3), |(i, j)| x[[[0, 2, 3, 1][i], j]]);
    says(
        rel(&got, &x),
        "your rows are the expected rows in another order: your row 1 is the expected row 2, your row 2 is the expected row 3, your row 3 is the expected row 1",
    );
}

#[test]
fn the_rows_holding_scattered_wrong_values_are_named() {
    let x = Array2::from_shape_fn((6, 4), |(i, j)| (i * 4 + j) as f64 + 0.5);
    let mut got = x.clone();
    for (i, j) in [(1, 0), (1, 3), (4, 1), (4, 2)] {
        got[[i, j]] += 1.0 + j as f64;
    }
    says(
        rel(&got, &x),
        "rows 1 and 4 have wrong values, the others right",
    );
}

#[test]
fn a_wrong_start_and_a_right_end_are_named() {
    let x = array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let got = array![0.0, 7.0, -3.0, 4.0, 5.0, 6.0];
    says(
        rel(&got, &x),
        "the values up to [2] are wrong, from [3] on right",
    );
}

#[test]
fn off_diagonal_and_interior_regions_are_named() {
    let square = Array2::from_shape_fn((4, 4), |(i, j)| 1.0 + (i * 4 + j) as f64 * 0.37);
    let off = Array2::from_shape_fn((4, 4), |(i, j)| {
        square[[i, j]] * if i == j { 1.0 } else { 2.0 }
    });
    says(
        rel(&off, &square),
        "everything off the diagonal is wrong, the diagonal is right: there your values are 2 × the expected",
    );
    let interior = Array2::from_shape_fn((4, 4), |(i, j)| {
        square[[i, j]]
            + if (1..3).contains(&i) && (1..3).contains(&j) {
                0.5
            } else {
                0.0
            }
    });
    says(
        rel(&interior, &square),
        "the interior is wrong, the boundary is right: there your values are the expected + 1/2",
    );
}

#[test]
fn no_pair_of_shapes_or_values_makes_it_panic() {
    let shapes: &[&[usize]] = &[
        &[],
        &[0],
        &[1],
        &[2],
        &[5],
        &[0, 3],
        &[3, 0],
        &[1, 1],
        &[2, 2],
        &[3, 1],
        &[1, 3],
        &[3, 4],
        &[4, 3],
        &[2, 3, 2],
    ];
    let fills: [fn(usize) -> f64; 5] = [
        |k| k as f64 - 2.0,
        |_| 0.0,
        |k| if k == 1 { f64::NAN } else { 1.0 },
        |k| if k % 2 == 0 { f64::INFINITY } else { -1e-310 },
        |k| ((k * 7919) % 13) as f64 * 0.37 - 2.0,
    ];
    let values = |shape: &[usize], fill: fn(usize) -> f64| {
        let len = shape.iter().product();
        Values::new(shape, (0..len).map(fill).collect()).unwrap()
    };
    let context = Context::new()
        .n(2)
        .alternative("the input unchanged", values(&[3, 4], |k| k as f64))
        .input(values(&[3, 4], |k| k as f64 - 5.0));
    for got_shape in shapes {
        for expected_shape in shapes {
            for got_fill in fills {
                for expected_fill in fills {
                    let (got, expected) = (
                        values(got_shape, got_fill),
                        values(expected_shape, expected_fill),
                    );
                    for tol in [EXACT, Tol::abs(0.5), Tol::rel(1e-9)] {
                        let _ = describe(got.clone(), expected.clone(), tol, &context);
                    }
                }
            }
        }
    }
    assert!(describe_shapes(&[], &[0], Some(0)).is_some());
}
