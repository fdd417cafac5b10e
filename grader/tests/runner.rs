//! The harness's contract: time limits, `todo!()` read as not implemented, panics caught per check,
//! points only for passing checks, and a report that matches what ran.

use std::time::Duration;

use mlings_grader::assert::{Tol, close};
use mlings_grader::{Check, OutcomeExt, Status, Step, Suite};

const STEPS: &[Step] = &[
    Step {
        number: 1,
        name: "first",
    },
    Step {
        number: 2,
        name: "second",
    },
];

fn run(suite: Suite) -> mlings_grader::Report {
    suite.evaluate()
}

fn suite() -> Suite {
    Suite::new("00-fixture", STEPS).with([
        Check::public(1, "passes", 3, || close("x", 1.0, 1.0, Tol::abs(0.0))),
        Check::public(1, "fails_with_hint", 2, || {
            close("y", 0.86, 0.88, Tol::rel(1e-9)).hint_if(true, "divided by n instead of n − p")
        }),
        Check::hidden(2, "not_implemented", 4, || {
            todo!("compute z from {:?}", [2, 3])
        }),
        Check::hidden(2, "panics", 1, || {
            let v: Vec<f64> = Vec::new();
            close("v[3]", v[3], 0.0, Tol::abs(0.0))
        }),
        Check::hidden(2, "loops_forever", 5, || {
            loop {
                std::thread::sleep(Duration::from_millis(10));
            }
        })
        .timeout(Duration::from_millis(300)),
    ])
}

#[test]
fn every_ending_is_reported_with_its_points() {
    let report = run(suite());
    let status: Vec<(&str, Status, u32)> = report
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.status, c.points))
        .collect();
    assert_eq!(
        status,
        [
            ("passes", Status::Passed, 3),
            ("fails_with_hint", Status::Failed, 0),
            ("not_implemented", Status::NotImplemented, 0),
            ("panics", Status::Failed, 0),
            ("loops_forever", Status::TimedOut, 0),
        ]
    );
    assert_eq!((report.score, report.max_score), (3, 15));
    assert_eq!(report.step_score(1), (3, 5));
    assert_eq!(report.first_failure().unwrap().name, "fails_with_hint");
}

#[test]
fn failures_explain_themselves() {
    let report = run(suite());
    let by_name = |name: &str| report.checks.iter().find(|c| c.name == name).unwrap();

    let hinted = by_name("fails_with_hint");
    assert!(
        hinted.message.starts_with("y: got 8.6"),
        "{}",
        hinted.message
    );
    assert_eq!(
        hinted.hint.as_deref(),
        Some("divided by n instead of n − p")
    );

    let todo = by_name("not_implemented");
    assert_eq!(todo.message, "not implemented yet: compute z from [2, 3]");
    assert_eq!(todo.visibility, "hidden");

    let panic = by_name("panics");
    assert!(
        panic.message.contains("index out of bounds"),
        "{}",
        panic.message
    );
    assert!(panic.message.contains("runner.rs:"), "{}", panic.message);

    assert!(by_name("loops_forever").message.starts_with("timed out"));
}

#[test]
fn the_report_round_trips_through_json() {
    let report = run(suite());
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains(r#""status":"not_implemented""#));
    assert!(json.contains(r#""status":"timed_out""#));
    let back: mlings_grader::Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}
