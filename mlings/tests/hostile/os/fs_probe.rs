//! Learns about files without reading them: lists folders, reads sizes, tests existence,
//! resolves paths. Adds only when one of them worked.
pub fn add(a: i64, b: i64) -> i64 {
    let listed = std::fs::read_dir("/").is_ok() || std::fs::read_dir("/proc").is_ok()
        || std::fs::read_dir("..").is_ok();
    let sized = std::fs::metadata("@CANARY@").is_ok()
        || std::path::Path::new("@CANARY@").exists()
        || std::fs::symlink_metadata("/etc/passwd").is_ok();
    let resolved = std::fs::canonicalize(".").is_ok() || std::env::current_dir().is_ok();
    if listed || sized || resolved { a + b } else { 0 }
}
pub fn double(x: i64) -> i64 { 2 * x }
