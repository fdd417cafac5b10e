//! The harness's contract: time limits, `todo!()` read as not implemented, panics caught per check,
//! points only for passing checks, and a report that matches what ran.

use std::time::Duration;

use mlings_grader::assert::{Tol, close};
use mlings_grader::{Check, OutcomeExt, Status, Step, Suite, Visibility, read_stream};

const FIRST: Step = Step::new(1, "first");
const SECOND: Step = Step::new(2, "second");
const STEPS: &[Step] = &[FIRST, SECOND];

fn run(suite: Suite) -> mlings_grader::Report {
    suite.evaluate()
}

fn suite() -> Suite {
    Suite::new("00-fixture", STEPS).with([
        Check::public(FIRST, "passes", 3, || close("x", 1.0, 1.0, Tol::abs(0.0))),
        Check::public(FIRST, "fails_with_hint", 2, || {
            close("y", 0.86, 0.88, Tol::rel(1e-9)).hint_if(true, "divided by n instead of n − p")
        }),
        Check::hidden(SECOND, "not_implemented", 4, || {
            todo!("compute z from {:?}", [2, 3])
        }),
        Check::hidden(SECOND, "panics", 1, || {
            let v: Vec<f64> = Vec::new();
            close("v[3]", v[3], 0.0, Tol::abs(0.0))
        }),
        Check::hidden(SECOND, "loops_forever", 5, || {
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
    assert_eq!(todo.visibility, Visibility::Hidden);

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

#[test]
fn the_listing_names_every_check_without_running_any() {
    let listing = suite().listing();
    assert_eq!(listing.exercise, "00-fixture");
    assert_eq!(listing.max_score(), 15);
    assert_eq!(listing.step_max(2), 10);
    let loops = listing.check("loops_forever").unwrap();
    assert_eq!(loops.trial, "2-second::loops_forever");
    assert_eq!((loops.step, loops.points), (2, 5));
    assert_eq!(loops.visibility, Visibility::Hidden);
    assert_eq!(loops.timeout_ms, 300);
}

#[test]
#[should_panic(
    expected = "check `stray` grades step 3 (third), which is not one of the suite's steps"
)]
fn a_check_of_a_step_the_suite_does_not_declare_is_refused() {
    let _ = Suite::new("00-fixture", STEPS).with([Check::public(
        Step::new(3, "third"),
        "stray",
        1,
        || Ok(()),
    )]);
}

#[test]
#[should_panic(expected = "number the steps 1, 2, 3, … in order")]
fn steps_out_of_order_are_refused() {
    const OUT_OF_ORDER: &[Step] = &[SECOND, FIRST];
    let _ = Suite::new("00-fixture", OUT_OF_ORDER);
}

#[test]
fn long_messages_are_cut_with_a_visible_mark() {
    let report = Suite::new("00-fixture", STEPS)
        .with([Check::public(FIRST, "shouts", 1, || {
            panic!("{}", "é".repeat(8 << 20))
        })])
        .evaluate();
    let message = &report.checks[0].message;
    assert!(
        message.len() <= mlings_grader::report::MESSAGE_LIMIT,
        "{}",
        message.len()
    );
    assert!(
        message.ends_with("… (cut)"),
        "{}",
        &message[message.len() - 20..]
    );
    assert_eq!(mlings_grader::report::cut("short".into()), "short");
}

fn record(line: &str) -> String {
    format!("{line}\n")
}

#[test]
fn a_streamed_report_is_read_back_in_the_harness_order() {
    let begin = r#"{"record":"begin","exercise":"00-fixture","steps":[{"number":1,"name":"first"}],"checks":["passes","panics"]}"#;
    let started = r#"{"record":"started","name":"passes"}"#;
    let finished = r#"{"record":"finished","name":"passes","step":1,"points":3,"max_points":3,"status":"passed","message":"","hint":null,"visibility":"public"}"#;
    let end = r#"{"record":"end","score":3,"max_score":3}"#;

    let whole = [begin, started, finished, end].map(record).concat();
    let report = read_stream(&whole).unwrap().into_report().unwrap();
    assert_eq!((report.score, report.max_score), (3, 3));

    // Killed midway: what finished is kept, the check that was running is known, and a line cut
    // by the kill is left out.
    let died = [
        begin,
        started,
        finished,
        r#"{"record":"started","name":"panics"}"#,
    ]
    .map(record)
    .concat()
        + r#"{"record":"fini"#;
    let stream = read_stream(&died).unwrap();
    assert_eq!(stream.finished.len(), 1);
    assert_eq!(stream.unfinished(), ["panics"]);
    assert!(stream.into_report().is_none());

    let forged = [
        [begin, started, finished, finished].map(record).concat(),
        [begin, finished].map(record).concat(),
        [started, finished].map(record).concat(),
        [
            begin,
            started,
            finished,
            r#"{"record":"end","score":1000,"max_score":1000}"#,
        ]
        .map(record)
        .concat(),
        [begin, started, finished, end, started]
            .map(record)
            .concat(),
        [begin, "{\"score\": 5}"].map(record).concat(),
        [begin, r#"{"record":"started","name":"bonus"}"#]
            .map(record)
            .concat(),
    ];
    for text in forged {
        assert!(read_stream(&text).is_err(), "accepted: {text}");
    }
}
