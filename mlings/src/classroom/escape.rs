//! Student text in the batch's outputs: names, file names, panic messages and compiler errors
//! are data, never markup. A spreadsheet must not run a cell, Markdown must not gain a heading
//! or lose a fence, and a student's name must not choose where a file is written.

use sha2::{Digest, Sha256};

/// `text` on one line with its control characters (newlines, tabs, escapes) written out, so
/// that it shows what it is and cannot start a new line of whatever it is put in.
pub fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let shown: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            shown
        })
        .collect()
}

/// A CSV cell that a spreadsheet shows as text: one that would start a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`.
pub fn csv_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `text` as plain inline Markdown: on one line, with every character that Markdown or an HTML
/// renderer could read as markup escaped.
pub fn md_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as a fenced code block whose fence is longer than any run of backticks inside, so the
/// text cannot close it; control characters other than newlines are written out.
pub fn md_fence(text: &str) -> String {
    let cleaned: String = text
        .trim_end()
        .split('\n')
        .map(|line| one_line(line.trim_end_matches('\r')))
        .collect::<Vec<_>>()
        .join("\n");
    let longest = cleaned.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{cleaned}\n{fence}\n")
}

/// A file name for `name` (a student's): letters, digits, `.`, `_` and `-` only, never hidden,
/// never empty. A name that had to change gets a short hash of the original, so two students
/// whose names differ only in the replaced characters still get two files.
pub fn file_name(name: &str) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if safe.starts_with(['.', '-']) || safe.is_empty() {
        safe.insert(0, '_');
    }
    if safe != name {
        let digest = Sha256::digest(name.as_bytes());
        let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        safe = format!("{safe}-{short}");
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_start_a_formula_are_neutralised() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(cell), format!("'{cell}"));
        }
        for cell in ["alice", "12", "a=b", ""] {
            assert_eq!(csv_cell(cell), cell);
        }
    }

    #[test]
    fn markdown_inline_text_cannot_add_lines_or_markup() {
        let name = "evil\n# Heading | [link](http://x) `code` <b>";
        let shown = md_inline(name);
        assert!(!shown.contains('\n'), "{shown}");
        assert!(shown.starts_with("evil\\\\n\\# Heading \\|"), "{shown}");
        assert!(shown.contains("\\[link\\]\\(http\\:\\/\\/x\\)"), "{shown}");
        assert!(shown.contains("\\<b\\>"), "{shown}");
    }

    #[test]
    fn a_fence_is_longer_than_any_backtick_run_inside() {
        let message = "panicked: ```\n# Forged heading\n````\nend";
        let block = md_fence(message);
        assert!(block.starts_with("`````text\n"), "{block}");
        assert!(block.ends_with("\n`````\n"), "{block}");
        assert!(block.contains("\n# Forged heading\n"));
        assert_eq!(md_fence("plain"), "```text\nplain\n```\n");
        assert!(!md_fence("a\u{1b}[2Jb").contains('\u{1b}'));
    }

    #[test]
    fn file_names_are_safe_and_distinct() {
        assert_eq!(file_name("alice"), "alice");
        assert_eq!(file_name("bob-2.smith"), "bob-2.smith");
        let formula = file_name("=HYPERLINK(\"x\")");
        assert!(formula.starts_with("_HYPERLINK__x__-"), "{formula}");
        assert!(file_name("..").starts_with("_..-"));
        assert!(file_name(".hidden").starts_with("_.hidden-"));
        assert!(!file_name("a/b\nc").contains(['/', '\n']));
        assert_ne!(file_name("a b"), file_name("a_b"));
        assert_ne!(file_name("a b"), file_name("a\tb"));
    }
}
