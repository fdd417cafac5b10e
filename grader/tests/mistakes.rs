//! Realistic learner mistakes seen through the comparison helpers: each case computes what a
//! mistaken function returns on the hand example of one of the kit's public checks, compares it
//! as that check does, and pins the relation line the learner reads (or that none is claimed).
//! The numbers are recomputed here, not copied, so a case says why its line is right.

use mlings_grader::Outcome;
use mlings_grader::assert::{Context, Tol, close, close_array, close_array_with, close_with};
use mlings_grader::guard::learner_call;
use ndarray::{Array1, Array2, Axis, array};

/// The kit's tolerance for results computed by the same formulas in another order.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

/// The relation line of a failed comparison, if it has one.
fn relation(outcome: Outcome) -> Option<String> {
    let failure = outcome.expect_err("the mistake must fail the comparison");
    failure
        .message
        .lines()
        .find_map(|line| line.strip_prefix("relation: "))
        .map(str::to_owned)
}

fn says(outcome: Outcome, line: &str) {
    assert_eq!(relation(outcome).as_deref(), Some(line));
}

// 01 linear regression.

#[test]
fn mse_divided_by_n_minus_1() {
    // (0² + 2² + 1²) / 2 where / 3 is expected.
    let (sse, n) = (5.0, 3.0);
    // 3/2 of one number is no evidence by itself; told n, the grader names it.
    assert_eq!(
        relation(close("mse", sse / (n - 1.0), sse / n, EXACT)),
        None
    );
    says(
        close_with("mse", sse / (n - 1.0), sse / n, EXACT, &Context::new().n(3)),
        "your result is n/(n − 1) × the expected (n = 3)",
    );
}

/// `(r, Xᵀr)` of the gradient check's hand example, `r = Xw + b − y`.
fn residuals() -> (Array1<f64>, Array1<f64>) {
    let x = array![[1.0, 2.0], [3.0, -1.0]];
    let r = x.dot(&array![0.5, -1.0]) + 0.5 - array![1.0, 2.0];
    let xtr = x.t().dot(&r);
    (r, xtr)
}

#[test]
fn gradient_with_the_residual_of_the_wrong_sign() {
    let (_, xtr) = residuals();
    says(
        close_array("dw", &(-&xtr), &xtr, EXACT),
        "your result is −1 × the expected (the sign is flipped)",
    );
}

#[test]
fn gradient_without_the_factor_2() {
    let (_, xtr) = residuals();
    says(
        close_array("dw", &(&xtr / 2.0), &xtr, EXACT),
        "your result is ½ × the expected",
    );
}

#[test]
fn standard_deviation_divided_by_n_minus_1() {
    let x = array![[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]];
    says(
        close_array(
            "std",
            &x.std_axis(Axis(0), 1.0),
            &x.std_axis(Axis(0), 0.0),
            EXACT,
        ),
        "your result is √(3/2) × the expected",
    );
}

#[test]
fn residual_std_divided_by_n() {
    // SSE = 1/6 over n = 3 where n − p = 1 is expected.
    // √(1/3) of one number is no evidence by itself: the suite's hint names this one.
    let sse = 1.0 / 6.0;
    assert_eq!(
        relation(close("s", (sse / 3.0f64).sqrt(), sse.sqrt(), EXACT)),
        None
    );
}

#[test]
fn polynomial_features_starting_at_x_to_the_0_without_intercept() {
    let x: [f64; 3] = [1.0, 2.0, -3.0];
    let wrong = Array2::from_shape_fn((3, 2), |(i, j)| x[i].powi(j as i32));
    let right = Array2::from_shape_fn((3, 2), |(i, j)| x[i].powi(j as i32 + 1));
    says(
        close_array("degree 2 without intercept", &wrong, &right, EXACT),
        "your column j is the expected column j − 1 (columns shifted right by one)",
    );
}

#[test]
fn intercept_column_appended_instead_of_prepended() {
    says(
        close_array(
            "[1, X]",
            &array![[5.0, 6.0, 1.0], [7.0, 8.0, 1.0]],
            &array![[1.0, 5.0, 6.0], [1.0, 7.0, 8.0]],
            EXACT,
        ),
        "your column j is the expected column j + 1 (columns shifted left by one)",
    );
}

// 02 neural network.

fn x() -> Array2<f64> {
    array![[1.0, 2.0, 3.0], [-1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]
}

fn w() -> Array2<f64> {
    array![[1.0, -1.0], [0.0, 2.0], [0.5, 1.0]]
}

fn dout() -> Array2<f64> {
    array![[1.0, 0.0], [0.5, -1.0], [2.0, 1.5]]
}

#[test]
fn dense_backward_without_the_transpose_of_x() {
    // x·dout has no relation to xᵀ·dout that the numbers show: none is claimed.
    let outcome = close_array("dW", &x().dot(&dout()), &x().t().dot(&dout()), EXACT);
    assert_eq!(relation(outcome), None);
}

#[test]
fn dense_backward_with_the_product_the_other_way_round() {
    says(
        close_array_with(
            "dW",
            &dout().t().dot(&x()),
            &x().t().dot(&dout()),
            EXACT,
            &Context::new().function("dense_backward"),
        ),
        "your result is the expected transposed",
    );
}

#[test]
fn dense_backward_summing_db_over_the_units() {
    let (wrong, right) = (dout().sum_axis(Axis(1)), dout().sum_axis(Axis(0)));
    says(
        close_array("db", &wrong, &right, EXACT),
        "your result has one value too many",
    );
    says(
        close_array_with("db", &wrong, &right, EXACT, &Context::new().n(3)),
        "your result has n = 3 values where the expected has 2",
    );
}

#[test]
fn dense_forward_multiplying_by_w_transposed() {
    let (x, w) = (x(), w());
    let failure = learner_call(
        "dense_forward",
        &[("x", x.shape()), ("w", w.shape())],
        || x.dot(&w.t()),
    )
    .unwrap_err();
    assert_eq!(
        failure.message,
        "dense_forward(x: [3, 3], w: [3, 2]) failed on a shape mismatch: a matrix product of \
         3 × 3 by 2 × 3, whose inner sizes 3 and 2 differ"
    );
}

/// Softmax of `logits` along `axis` (1: each row sums to 1).
fn softmax(logits: &Array2<f64>, axis: usize) -> Array2<f64> {
    let e = logits.mapv(f64::exp);
    let sums = e.sum_axis(Axis(axis)).insert_axis(Axis(axis));
    &e / &sums
}

#[test]
fn softmax_along_the_batch_axis() {
    let logits = array![[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]];
    says(
        close_array("softmax", &softmax(&logits, 0), &softmax(&logits, 1), EXACT),
        "each of your columns sums to 1, as each expected row does",
    );
}

#[test]
fn cross_entropy_summed_over_the_batch() {
    let p = softmax(&array![[1.0, 2.0], [0.0, 0.0]], 1);
    let sum = -(p[[0, 1]].ln() + p[[1, 0]].ln());
    says(
        close("loss", sum, sum / 2.0, EXACT),
        "your result is 2 × the expected",
    );
}

#[test]
fn cross_entropy_summed_over_a_batch_of_4() {
    let p = softmax(&array![[1.0, 2.0], [0.0, 0.0], [3.0, -1.0], [0.5, 0.25]], 1);
    let sum = -[p[[0, 1]], p[[1, 0]], p[[2, 1]], p[[3, 0]]]
        .iter()
        .map(|q| q.ln())
        .sum::<f64>();
    says(
        close("loss", sum, sum / 4.0, EXACT),
        "your result is 4 × the expected",
    );
}

#[test]
fn l2_gradient_without_the_factor_2() {
    let w = array![[1.0, -2.0], [0.5, 3.0]];
    says(
        close_array("gradient", &(&w * 0.1), &(&w * 0.2), EXACT),
        "your result is ½ × the expected",
    );
}

#[test]
fn relu_backward_passing_the_gradient_at_z_0() {
    let z = array![[-2.0, 0.0, 0.5], [1.0, -0.5, 3.0]];
    let dout = array![[1.0, 2.0, -1.0], [0.5, 1.0, -2.0]];
    let mask = |open: fn(f64) -> bool| {
        ndarray::Zip::from(&dout)
            .and(&z)
            .map_collect(|&g, &z| if open(z) { g } else { 0.0 })
    };
    let (wrong, right) = (mask(|z| z >= 0.0), mask(|z| z > 0.0));
    says(
        close_array("relu backward", &wrong, &right, EXACT),
        "only [0, 1] is wrong, the other 5 values are right",
    );
    says(
        close_array_with(
            "relu backward",
            &wrong,
            &right,
            EXACT,
            &Context::new().input(&z),
        ),
        "the values whose input is 0 are wrong, the others right",
    );
}

// 03 value iteration.

#[test]
fn evaluation_sweep_returning_its_input() {
    let v0 = Array1::<f64>::zeros(3);
    let expected = array![-1.0, -1.0, 0.0];
    says(
        close_array("v after sweep 1", &v0, &expected, EXACT),
        "only [0] and [1] are wrong, the other value is right: there your values are 0",
    );
    says(
        close_array_with(
            "v after sweep 1",
            &v0,
            &expected,
            EXACT,
            &Context::new().alternative("the input unchanged", &v0),
        ),
        "your result equals the input unchanged",
    );
}

#[test]
fn discounting_the_reward_too() {
    // 0.9 · (0.5 · (1 + 10) + 0.5 · (0 + 2)) = 5.85 for 5.9: no relation the numbers show.
    let outcome = close("q(0, 0)", 5.85, 5.9, EXACT);
    assert_eq!(relation(outcome), None);
}

#[test]
fn in_place_sweep_done_synchronously() {
    // −6 for −2 is no "3 ×": one wrong value among right ones is not called a factor.
    says(
        close_array(
            "v",
            &array![0.0, -1.0, -6.0],
            &array![0.0, -1.0, -2.0],
            EXACT,
        ),
        "only the last value is wrong",
    );
}

#[test]
fn value_after_one_sweep_where_two_were_expected() {
    let v1 = array![-1.0, -1.0, 0.0];
    says(
        close_array_with(
            "v",
            &v1,
            &array![-2.0, -1.75, 0.0],
            EXACT,
            &Context::new().alternative("the value after one sweep", &v1),
        ),
        "your result equals the value after one sweep",
    );
}
