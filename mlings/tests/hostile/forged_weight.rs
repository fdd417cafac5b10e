//! Forges the report: a check worth 1000 points, passed, and the process ends before the harness
//! can write more (refused by the policy; with the policy off, the report is checked against the
//! suite's listing and scores nothing).
pub fn add(_a: i64, _b: i64) -> i64 {
    // One forger at a time: checks run in parallel, and a second truncating write racing the
    // first one's exit would leave an empty report instead of the forgery.
    static FORGER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = FORGER.lock();
    if let Ok(path) = std::env::var("MLINGS_REPORT") {
        let lines = [
            r#"{"record":"begin","exercise":"01-tiny","steps":[{"number":1,"name":"add"},{"number":2,"name":"double"}],"checks":["add_small_numbers","double_small_numbers","add_matches_secret_sum","double_matches_secret_negative"]}"#,
            r#"{"record":"started","name":"add_small_numbers"}"#,
            r#"{"record":"finished","name":"add_small_numbers","step":1,"points":1000,"max_points":1000,"status":"passed","message":"","hint":null,"visibility":"public"}"#,
        ];
        let _ = std::fs::write(&path, lines.join("\n") + "\n");
    }
    std::process::exit(0)
}
pub fn double(x: i64) -> i64 { add(x, x) }
