//! Shape mistakes inside learner code, as a suite's checks report them: named by the learner's
//! function and the shapes when the call is guarded, without ndarray's source location when it
//! is not, and `todo!()` still read as not implemented through a guard. Any other panic, caught,
//! is a failure a hint can be attached to.

use mlings_grader::guard::{catch_panic, learner_call};
use mlings_grader::{Check, Failure, OutcomeExt, Status, Step, Suite};
use ndarray::Array2;

const DENSE: Step = Step::new(1, "dense");
const STEPS: &[Step] = &[DENSE];

/// A learner's dense layer that multiplies by `w` transposed.
fn dense_forward(x: &Array2<f64>, w: &Array2<f64>) -> Array2<f64> {
    x.dot(&w.t())
}

fn suite() -> Suite {
    Suite::new("00-fixture", STEPS).with([
        Check::public(DENSE, "guarded", 1, || {
            let (x, w) = (Array2::<f64>::ones((2, 3)), Array2::<f64>::ones((3, 2)));
            learner_call(
                "dense_forward",
                &[("x", x.shape()), ("w", w.shape())],
                || dense_forward(&x, &w),
            )?;
            Ok(())
        }),
        Check::public(DENSE, "unguarded", 1, || {
            let (x, w) = (Array2::<f64>::ones((2, 3)), Array2::<f64>::ones((3, 2)));
            dense_forward(&x, &w);
            Ok(())
        }),
        Check::public(DENSE, "todo_through_a_guard", 1, || {
            learner_call("dense_forward", &[], || -> f64 { todo!("dense layer") })?;
            Ok(())
        }),
    ])
}

#[test]
fn shape_panics_are_named_in_the_learners_terms() {
    let report = suite().evaluate();
    let by_name = |name: &str| report.checks.iter().find(|c| c.name == name).unwrap();

    let guarded = by_name("guarded");
    assert_eq!(guarded.status, Status::Failed);
    assert_eq!(
        guarded.message,
        "dense_forward(x: [2, 3], w: [3, 2]) failed on a shape mismatch: a matrix product of \
         2 × 3 by 2 × 3, whose inner sizes 3 and 2 differ"
    );

    let unguarded = by_name("unguarded");
    assert_eq!(unguarded.status, Status::Failed);
    assert_eq!(
        unguarded.message,
        "panicked inside ndarray on a shape mismatch: a matrix product of 2 × 3 by 2 × 3, \
         whose inner sizes 3 and 2 differ"
    );

    let todo = by_name("todo_through_a_guard");
    assert_eq!(todo.status, Status::NotImplemented);
    assert_eq!(todo.message, "not implemented yet: dense layer");
}

/// A learner's window count that forgets to refuse a stride of 0.
fn windows(span: usize, stride: usize) -> usize {
    span / stride + 1
}

fn caught_suite() -> Suite {
    Suite::new("00-fixture", STEPS).with([
        Check::public(DENSE, "caught_with_a_hint", 1, || {
            let stride = std::hint::black_box(0);
            catch_panic("windows", || windows(4, stride)).hint_if(true, "refuse a stride of 0")?;
            Ok(())
        }),
        Check::public(DENSE, "todo_through_a_catch", 1, || {
            catch_panic("windows", || -> usize { todo!("windows") })?;
            Ok(())
        }),
        Check::public(DENSE, "no_panic_passes", 1, || {
            let n = catch_panic("windows", || windows(4, 2))?;
            if n == 3 {
                Ok(())
            } else {
                Err(Failure::new(format!("{n}")))
            }
        }),
    ])
}

#[test]
fn caught_panics_are_failures_that_carry_a_hint_and_where_they_happened() {
    let report = caught_suite().evaluate();
    let by_name = |name: &str| report.checks.iter().find(|c| c.name == name).unwrap();

    let caught = by_name("caught_with_a_hint");
    assert_eq!(caught.status, Status::Failed);
    assert!(
        caught.message.starts_with("windows panicked at ")
            && caught.message.contains("guard.rs:")
            && caught.message.ends_with(": attempt to divide by zero"),
        "{}",
        caught.message
    );
    assert_eq!(caught.hint.as_deref(), Some("refuse a stride of 0"));

    let todo = by_name("todo_through_a_catch");
    assert_eq!(todo.status, Status::NotImplemented);
    assert_eq!(todo.message, "not implemented yet: windows");

    assert_eq!(by_name("no_panic_passes").status, Status::Passed);
}
