//! Turning a reference solution into the learner's stub.
//!
//! A solution marks each region the learner writes:
//!
//! ```text
//!     // BEGIN SOLUTION
//!     …the reference code…
//!     // STUB
//!     // todo!("what to compute from {:?}", x.shape())
//!     // END SOLUTION
//! ```
//!
//! The stub keeps everything outside the regions and replaces each region by its stub lines, with
//! one leading `// ` removed, at the indentation of the `BEGIN` marker. A region without a `STUB`
//! part disappears (imports and helpers only the solution needs).
//!
//! The solution as a learner reads it (`mlings solution`) is the other side of the same regions:
//! the reference code, without the markers and the commented-out stub lines.

use std::fmt;

const BEGIN: &str = "// BEGIN SOLUTION";
const STUB: &str = "// STUB";
const END: &str = "// END SOLUTION";

/// A malformed marker, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerError {
    /// The line of the offending marker.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for MarkerError {}

enum State {
    Outside,
    Solution { begin: usize, indent: String },
    Stub { begin: usize, indent: String },
}

/// Whether `source` has any marked region.
pub fn has_regions(source: &str) -> bool {
    source.lines().any(|l| l.trim() == BEGIN)
}

/// Which side of each region a rendering keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The stub lines, uncommented: what the learner starts from.
    Stub,
    /// The reference code: what the learner reads once they pass.
    Solution,
}

/// The stub generated from a solution file's `source` (before formatting).
pub fn generate(source: &str) -> Result<String, MarkerError> {
    render(source, Side::Stub)
}

/// A solution file's `source` as a learner reads it: the reference code of every region, the
/// markers and the stub lines left out.
pub fn solution(source: &str) -> Result<String, MarkerError> {
    render(source, Side::Solution)
}

fn render(source: &str, side: Side) -> Result<String, MarkerError> {
    let mut out = String::with_capacity(source.len());
    let mut state = State::Outside;
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        let error = |message: &str| MarkerError {
            line: number,
            message: message.to_owned(),
        };
        state = match (state, trimmed) {
            (State::Outside, BEGIN) => State::Solution {
                begin: number,
                indent: line[..line.len() - line.trim_start().len()].to_owned(),
            },
            (State::Outside, STUB | END) => {
                return Err(error(&format!("`{trimmed}` outside a solution region")));
            }
            (State::Outside, _) => {
                out.push_str(line);
                out.push('\n');
                State::Outside
            }
            (State::Solution { .. } | State::Stub { .. }, BEGIN) => {
                return Err(error("a solution region cannot start inside another"));
            }
            (State::Solution { begin, indent }, STUB) => State::Stub { begin, indent },
            (State::Stub { .. }, STUB) => return Err(error("a second `// STUB` in one region")),
            (State::Solution { .. } | State::Stub { .. }, END) => State::Outside,
            (state @ State::Solution { .. }, _) => {
                if side == Side::Solution {
                    out.push_str(line);
                    out.push('\n');
                }
                state
            }
            (State::Stub { begin, indent }, _) => {
                let Some(rest) = trimmed.strip_prefix("//") else {
                    return Err(error("stub lines must be comments (`// todo!(…)`)"));
                };
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                if side == Side::Stub {
                    if !rest.is_empty() {
                        out.push_str(&indent);
                        out.push_str(rest);
                    }
                    out.push('\n');
                }
                State::Stub { begin, indent }
            }
        };
    }
    match state {
        State::Outside => Ok(out),
        State::Solution { begin, .. } | State::Stub { begin, .. } => Err(MarkerError {
            line: begin,
            message: "solution region never ends (`// END SOLUTION` missing)".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_becomes_its_stub_lines() {
        let source = "fn f(x: u32) -> u32 {\n    // BEGIN SOLUTION\n    x + 1\n    // STUB\n    // // TODO: add one.\n    // todo!(\"add one to {x}\")\n    // END SOLUTION\n}\n";
        let stub = generate(source).unwrap();
        assert_eq!(
            stub,
            "fn f(x: u32) -> u32 {\n    // TODO: add one.\n    todo!(\"add one to {x}\")\n}\n"
        );
    }

    #[test]
    fn the_solution_reads_without_markers_or_stub_lines() {
        let source = "use std::fmt;\n\n// BEGIN SOLUTION\nuse std::iter;\n// END SOLUTION\n\nfn f(x: u32) -> u32 {\n    // BEGIN SOLUTION\n    let y = x + 1;\n    y\n    // STUB\n    // // TODO: add one.\n    // todo!(\"add one to {x}\")\n    // END SOLUTION\n}\n";
        assert_eq!(
            solution(source).unwrap(),
            "use std::fmt;\n\nuse std::iter;\n\nfn f(x: u32) -> u32 {\n    let y = x + 1;\n    y\n}\n"
        );
        // The two sides come from one parser: a malformed file is refused alike.
        let code_in_stub = "// BEGIN SOLUTION\n// STUB\nlet x = 1;\n// END SOLUTION\n";
        assert_eq!(solution(code_in_stub).unwrap_err().line, 3);
    }

    #[test]
    fn a_region_without_stub_disappears() {
        let source = "// BEGIN SOLUTION\nuse std::fmt;\n// END SOLUTION\nfn g() {}\n";
        assert_eq!(generate(source).unwrap(), "fn g() {}\n");
    }

    #[test]
    fn unmarked_text_is_kept_verbatim() {
        let source = "//! Docs.\n\n/// A helper.\npub fn h() {}\n";
        assert_eq!(generate(source).unwrap(), source);
        assert!(!has_regions(source));
    }

    #[test]
    fn malformed_markers_name_their_line() {
        let unterminated = generate("fn f() {\n    // BEGIN SOLUTION\n    1;\n}\n").unwrap_err();
        assert_eq!(unterminated.line, 2);
        let stray = generate("a\n// END SOLUTION\n").unwrap_err();
        assert_eq!(stray.line, 2);
        let nested = generate("// BEGIN SOLUTION\n// BEGIN SOLUTION\n").unwrap_err();
        assert_eq!(nested.line, 2);
        let code_in_stub = generate("// BEGIN SOLUTION\n// STUB\nlet x = 1;\n// END SOLUTION\n");
        assert_eq!(code_in_stub.unwrap_err().line, 3);
    }
}
