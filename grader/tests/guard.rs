//! Shape mistakes inside learner code, as a suite's checks report them: named by the learner's
//! function and the shapes when the call is guarded, without ndarray's source location when it
//! is not, and `todo!()` still read as not implemented through a guard.

use mlings_grader::guard::learner_call;
use mlings_grader::{Check, Status, Step, Suite};
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
