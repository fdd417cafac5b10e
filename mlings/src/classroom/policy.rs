//! The source policy of batch grading: what a submission may not write, checked by parsing.
//!
//! No exercise needs the file system, processes, the network, the environment, `unsafe`, foreign
//! code or textual inclusion; forbidding them keeps a submission from reading the hidden checks,
//! forging the grader's report or escaping the sandbox. The check parses each file with `syn` and
//! walks the syntax tree; the token streams that `syn` leaves unparsed (macro invocations and
//! definitions, attributes) are scanned token by token with the same rules, so a macro cannot hide
//! a forbidden path.

use std::fmt;
use std::path::Path;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// Modules of `std`, `core` and `alloc` that a submission may not name.
const MODULES: &[&str] = &["fs", "process", "net", "env", "os"];
/// Crate roots whose forbidden modules are checked.
const ROOTS: &[&str] = &["std", "core", "alloc"];
/// Macros that read files or the environment at compile time, or emit foreign code.
const MACROS: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "concat",
    "concat_idents",
    "asm",
    "global_asm",
    "naked_asm",
];
/// Attributes that load other files or export symbols.
const ATTRIBUTES: &[&str] = &[
    "path",
    "no_mangle",
    "export_name",
    "link_section",
    "link",
    "link_name",
];

/// One refused construct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The file, relative to the submission.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is refused and why.
    pub what: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.what)
    }
}

/// Deepest bracket nesting a file may have: far beyond any exercise's code, and shallow enough
/// that parsing and walking it stays well inside [`PARSE_STACK_BYTES`].
pub const MAX_NESTING: usize = 256;

/// Longest chain of operators, trailers and `else` branches between two statement separators,
/// counted over the enclosing brackets too: each link is one more level of syntax tree
/// (`a + b + …`, `x.f().g()…`, `!!!…x`, `if … else if …`), which the parser, the policy's walk
/// and the tree's drop all recurse through.
pub const MAX_CHAIN: usize = 2048;

/// The stack of the thread that parses a file.
const PARSE_STACK_BYTES: usize = 256 << 20;

/// Checks one source file; `file` names it in the messages.
///
/// A file that does not parse is reported as one violation at the parse error. So is a file
/// nested too deeply to parse safely (found by a linear scan before parsing), and one whose
/// parsing failed in any other way: parsing runs on its own thread with a large stack, under
/// `catch_unwind`, so no file can take the grader down with it.
pub fn check_source(file: &Path, source: &str) -> Vec<Violation> {
    let name = file.display().to_string();
    let refuse = |line: usize, what: String| {
        vec![Violation {
            file: name.clone(),
            line,
            what,
        }]
    };
    if let Err((line, what)) = prescan(source) {
        return refuse(line, format!("could not parse: {what}"));
    }
    let (owned_name, owned_source) = (name.clone(), source.to_owned());
    let parsed = std::thread::Builder::new()
        .name("mlings-policy".into())
        .stack_size(PARSE_STACK_BYTES)
        .spawn(move || {
            std::panic::catch_unwind(move || check_parsed(owned_name, &owned_source))
                .map_err(|_| ())
        })
        .map_err(|err| err.to_string())
        .and_then(|thread| {
            thread
                .join()
                .map_err(|_| "the parser failed".to_owned())?
                .map_err(|()| "the parser failed".to_owned())
        });
    parsed.unwrap_or_else(|err| refuse(1, format!("could not parse: {err}")))
}

fn check_parsed(name: String, source: &str) -> Vec<Violation> {
    let parsed = match syn::parse_file(source) {
        Ok(parsed) => parsed,
        Err(err) => {
            return vec![Violation {
                file: name,
                line: err.span().start().line,
                what: format!("does not parse as Rust: {err}"),
            }];
        }
    };
    let mut checker = Checker {
        file: name,
        found: Vec::new(),
    };
    checker.visit_file(&parsed);
    checker.found.sort_by_key(|v| v.line);
    checker.found.dedup();
    checker.found
}

/// Keywords that add a level of syntax tree without any punctuation around it.
const CHAIN_KEYWORDS: &[&str] = &[
    "else", "return", "break", "yield", "become", "box", "move", "as", "dyn", "impl", "mut", "ref",
    "let", "in",
];

/// Keywords that start a new item or statement after a `}`: the chain before it has ended.
const STATEMENT_KEYWORDS: &[&str] = &[
    "fn",
    "pub",
    "impl",
    "struct",
    "enum",
    "mod",
    "use",
    "const",
    "static",
    "trait",
    "type",
    "let",
    "if",
    "for",
    "while",
    "loop",
    "match",
    "macro_rules",
    "unsafe",
    "extern",
    "async",
];

/// A linear scan, before parsing, for nesting that a recursive parser could not survive:
/// brackets deeper than [`MAX_NESTING`], or a chain longer than [`MAX_CHAIN`]. Comments, strings
/// and characters are skipped. Returns the line and the reason of the first excess.
fn prescan(source: &str) -> Result<(), (usize, String)> {
    let bytes = source.as_bytes();
    let mut line = 1;
    // Per open bracket: the chain counted at that level since its last separator.
    let mut levels: Vec<usize> = vec![0];
    let mut chain = 0usize;
    let mut after_close = false;
    let mut i = 0;
    let deep = |line| {
        Err((
            line,
            format!("nesting deeper than {MAX_NESTING} brackets or {MAX_CHAIN} chained operators"),
        ))
    };
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match c {
            b'\n' => line += 1,
            b'/' if next == Some(b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if next == Some(b'*') => {
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        line += usize::from(bytes[i] == b'\n');
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1, &mut line);
                after_close = false;
                continue;
            }
            b'\'' => {
                // A character literal ('a', '\n', '\u{1F600}', a multi-byte one), or a
                // lifetime, whose quote is simply passed over.
                let end = if next == Some(b'\\') {
                    bytes
                        .get(i + 3..)
                        .and_then(|rest| rest.iter().position(|&b| b == b'\''))
                        .map(|p| i + 4 + p)
                } else {
                    let width = source[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (bytes.get(i + 1 + width) == Some(&b'\'')).then_some(i + 2 + width)
                };
                i = end.unwrap_or(i + 1);
                continue;
            }
            b'(' | b'[' | b'{' => {
                levels.push(0);
                chain += 1;
                if levels.len() > MAX_NESTING + 1 || chain > MAX_CHAIN {
                    return deep(line);
                }
                after_close = false;
            }
            b')' | b']' | b'}' => {
                if levels.len() > 1 {
                    chain -= levels.pop().unwrap_or(0) + 1;
                }
                after_close = c == b'}';
            }
            b';' | b',' => {
                end_chain(&mut levels, &mut chain);
                after_close = false;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c.is_ascii_digit() || c >= 0x80 => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &source[start..i];
                // A raw or byte string: `r"…"`, `r#"…"#`, `b"…"`, `br"…"`, `c"…"`, `cr#"…"#`.
                if matches!(word, "r" | "b" | "br" | "c" | "cr")
                    && matches!(bytes.get(i), Some(b'"' | b'#'))
                {
                    i = skip_raw_or_byte_string(bytes, i, word.ends_with('r'), &mut line);
                    after_close = false;
                    continue;
                }
                if after_close && STATEMENT_KEYWORDS.contains(&word) {
                    end_chain(&mut levels, &mut chain);
                }
                if CHAIN_KEYWORDS.contains(&word) {
                    if let Some(level) = levels.last_mut() {
                        *level += 1;
                    }
                    chain += 1;
                    if chain > MAX_CHAIN {
                        return deep(line);
                    }
                }
                after_close = false;
                continue;
            }
            _ if c.is_ascii_punctuation() => {
                // `}` then an attribute: a new item begins.
                if after_close && c == b'#' {
                    end_chain(&mut levels, &mut chain);
                }
                if let Some(level) = levels.last_mut() {
                    *level += 1;
                }
                chain += 1;
                if chain > MAX_CHAIN {
                    return deep(line);
                }
                after_close = false;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// A separator at the current level: its chain ends.
fn end_chain(levels: &mut [usize], chain: &mut usize) {
    if let Some(level) = levels.last_mut() {
        *chain -= *level;
        *level = 0;
    }
}

/// The index just after the closing quote of a string whose contents start at `i`.
fn skip_string(bytes: &[u8], mut i: usize, line: &mut usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return i + 1,
            b'\n' => *line += 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// The index just after a raw or byte string whose prefix ends just before `i`.
fn skip_raw_or_byte_string(bytes: &[u8], mut i: usize, raw: bool, line: &mut usize) -> usize {
    if !raw {
        return skip_string(bytes, i + 1, line);
    }
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    i += hashes;
    if bytes.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        *line += usize::from(bytes[i] == b'\n');
        i += 1;
    }
    i
}

struct Checker {
    file: String,
    found: Vec<Violation>,
}

fn ident_text(ident: &proc_macro2::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

impl Checker {
    fn refuse(&mut self, span: Span, what: impl Into<String>) {
        self.found.push(Violation {
            file: self.file.clone(),
            line: span.start().line,
            what: what.into(),
        });
    }

    fn check_segments(&mut self, segments: &[(String, Span)], leading_colon: bool) {
        for (index, (segment, span)) in segments.iter().enumerate() {
            if (index > 0 || leading_colon) && MODULES.contains(&segment.as_str()) {
                self.refuse(
                    *span,
                    format!("path through `{segment}`: the file system, processes, the network and the environment are off limits"),
                );
            }
        }
    }

    fn check_use(&mut self, tree: &syn::UseTree, prefix: &mut Vec<(String, Span)>, leading: bool) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push((ident_text(&path.ident), path.ident.span()));
                self.check_use(&path.tree, prefix, leading);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                prefix.push((ident_text(&name.ident), name.ident.span()));
                self.check_segments(prefix, leading);
                prefix.pop();
            }
            syn::UseTree::Rename(rename) => {
                let ident = ident_text(&rename.ident);
                let is_root = ROOTS.contains(&ident.as_str())
                    || (ident == "self"
                        && prefix.len() == 1
                        && ROOTS.contains(&prefix[0].0.as_str()));
                if is_root {
                    self.refuse(rename.ident.span(), "renaming a standard crate root");
                }
                prefix.push((ident, rename.ident.span()));
                self.check_segments(prefix, leading);
                prefix.pop();
            }
            syn::UseTree::Glob(glob) => {
                if prefix.len() == 1 && ROOTS.contains(&prefix[0].0.as_str()) {
                    self.refuse(glob.star_token.span, "glob import of a standard crate root");
                }
                self.check_segments(prefix, leading);
            }
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.check_use(item, prefix, leading);
                }
            }
        }
    }

    /// The rules applied to raw tokens, where `syn` does not parse (macros, attributes).
    fn scan(&mut self, tokens: TokenStream, path_group: bool, attribute: bool) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let is_punct = |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
        // `::` is two `:` puncts.
        let path_sep_before = |i: usize| i >= 2 && is_punct(i - 1, ':') && is_punct(i - 2, ':');
        let path_sep_after = |i: usize| is_punct(i + 1, ':') && is_punct(i + 2, ':');
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Ident(ident) => {
                    let text = ident_text(ident);
                    let span = ident.span();
                    if text == "unsafe" {
                        self.refuse(span, "`unsafe` is not allowed");
                    } else if text == "extern" {
                        self.refuse(span, "`extern` (foreign code or crates) is not allowed");
                    } else if MACROS.contains(&text.as_str()) && is_punct(i + 1, '!') {
                        self.refuse(span, format!("the `{text}!` macro is not allowed"));
                    } else if MODULES.contains(&text.as_str()) && (path_sep_before(i) || path_group)
                    {
                        self.refuse(
                            span,
                            format!("path through `{text}`: the file system, processes, the network and the environment are off limits"),
                        );
                    } else if attribute && ATTRIBUTES.contains(&text.as_str()) {
                        self.refuse(span, format!("the `#[{text}]` attribute is not allowed"));
                    } else if ROOTS.contains(&text.as_str()) || (text == "self" && path_group) {
                        let alias =
                            matches!(tokens.get(i + 1), Some(TokenTree::Ident(n)) if n == "as");
                        let dynamic =
                            path_sep_after(i) && (is_punct(i + 3, '*') || is_punct(i + 3, '$'));
                        if alias || dynamic {
                            self.refuse(span, "aliasing a standard crate root, or a glob or macro variable under it");
                        }
                    }
                }
                TokenTree::Group(group) => {
                    let after_sep = path_sep_before(i);
                    let inner_path =
                        group.delimiter() == Delimiter::Brace && (after_sep || path_group);
                    let inner_attribute = attribute
                        || (group.delimiter() == Delimiter::Bracket
                            && (is_punct(i.wrapping_sub(1), '#')
                                || (is_punct(i.wrapping_sub(1), '!')
                                    && is_punct(i.wrapping_sub(2), '#'))));
                    self.scan(group.stream(), inner_path, inner_attribute);
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Checker {
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        let tokens = quote_attribute(attr);
        self.scan(tokens, false, true);
        visit::visit_attribute(self, attr);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let segments: Vec<(String, Span)> = mac
            .path
            .segments
            .iter()
            .map(|s| (ident_text(&s.ident), s.ident.span()))
            .collect();
        if let Some((last, span)) = segments.last() {
            if MACROS.contains(&last.as_str()) {
                self.refuse(*span, format!("the `{last}!` macro is not allowed"));
            }
        }
        self.check_segments(&segments, mac.path.leading_colon.is_some());
        self.scan(mac.tokens.clone(), false, false);
        visit::visit_macro(self, mac);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<(String, Span)> = path
            .segments
            .iter()
            .map(|s| (ident_text(&s.ident), s.ident.span()))
            .collect();
        self.check_segments(&segments, path.leading_colon.is_some());
        visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.check_use(&item.tree, &mut Vec::new(), item.leading_colon.is_some());
        visit::visit_item_use(self, item);
    }

    fn visit_signature(&mut self, sig: &'ast syn::Signature) {
        if let Some(token) = &sig.unsafety {
            self.refuse(token.span, "`unsafe fn` is not allowed");
        }
        if let Some(abi) = &sig.abi {
            self.refuse(abi.extern_token.span, "`extern` functions are not allowed");
        }
        visit::visit_signature(self, sig);
    }

    fn visit_expr_unsafe(&mut self, expr: &'ast syn::ExprUnsafe) {
        self.refuse(expr.unsafe_token.span, "`unsafe` blocks are not allowed");
        visit::visit_expr_unsafe(self, expr);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if let Some(token) = &item.unsafety {
            self.refuse(token.span, "`unsafe impl` is not allowed");
        }
        visit::visit_item_impl(self, item);
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        if let Some(token) = &item.unsafety {
            self.refuse(token.span, "`unsafe trait` is not allowed");
        }
        visit::visit_item_trait(self, item);
    }

    fn visit_item_foreign_mod(&mut self, item: &'ast syn::ItemForeignMod) {
        self.refuse(
            item.abi.extern_token.span,
            "`extern` blocks are not allowed",
        );
        visit::visit_item_foreign_mod(self, item);
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        self.refuse(item.extern_token.span, "`extern crate` is not allowed");
        visit::visit_item_extern_crate(self, item);
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if let syn::Item::Verbatim(tokens) = item {
            self.scan(tokens.clone(), false, false);
        }
        visit::visit_item(self, item);
    }

    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        if let syn::Expr::Verbatim(tokens) = expr {
            self.scan(tokens.clone(), false, false);
        }
        visit::visit_expr(self, expr);
    }
}

/// The tokens of an attribute, `#` and brackets included, for the token scan.
fn quote_attribute(attr: &syn::Attribute) -> TokenStream {
    quote::ToTokens::to_token_stream(attr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(source: &str) -> Vec<Violation> {
        check_source(Path::new("lib.rs"), source)
    }

    #[test]
    fn plain_code_passes() {
        let ok = r#"
            use std::collections::HashMap;
            use std::io::Write;
            /// Doc.
            pub fn mse(a: &[f64], b: &[f64]) -> f64 {
                let env = 3.0; let process = env * 2.0;
                let _ = std::thread::spawn(|| 1).join();
                let mut m = HashMap::new(); m.insert(1, process);
                println!("{:?} {}", m, std::f64::consts::PI);
                a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64
            }
            #[cfg(test)] mod tests { #[test] fn t() { assert_eq!(1, 1); } }
        "#;
        assert_eq!(refused(ok), vec![]);
    }

    #[test]
    fn absurd_nesting_is_refused_before_parsing() {
        let parens = format!(
            "fn f() {{ let _ = {}1{}; }}",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let found = refused(&parens);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .what
                .starts_with("could not parse: nesting deeper than 256"),
            "{found:?}"
        );
        let chains = [
            format!("fn f() -> i64 {{ 1{} }}", " + 1".repeat(200_000)),
            format!("fn f() -> bool {{ {}true }}", "!".repeat(200_000)),
            format!(
                "fn f(x: i64) {{ if x == 0 {{}}{} }}",
                " else if x == 1 {}".repeat(50_000)
            ),
            format!(
                "fn f(x: Option<i64>) -> Option<i64> {{ x{} }}",
                ".map(|v| v)".repeat(50_000)
            ),
            format!(
                "type T = {}i64{};",
                "Vec<".repeat(50_000),
                ">".repeat(50_000)
            ),
            format!("fn f() -> i64 {{ 1{} }}", " + {1}".repeat(100_000)),
        ];
        for source in chains {
            let found = refused(&source);
            assert!(
                found.len() == 1 && found[0].what.starts_with("could not parse"),
                "{}: {found:?}",
                &source[..60]
            );
        }
    }

    #[test]
    fn deep_but_allowed_nesting_parses_on_the_big_stack() {
        let parens = format!(
            "fn f() -> i64 {{ {}1{} }}",
            "(".repeat(250),
            ")".repeat(250)
        );
        assert_eq!(refused(&parens), vec![]);
        let chain = format!("fn f() -> i64 {{ 1{} }}", " + 1".repeat(2000));
        assert_eq!(refused(&chain), vec![]);
        let chain = format!("fn f() -> bool {{ {}true }}", "!".repeat(2000));
        assert_eq!(refused(&chain), vec![]);
        let comments = format!(
            "/* {} */ // {}\nfn f() {{}}",
            "((((".repeat(1000),
            "[".repeat(1000)
        );
        assert_eq!(refused(&comments), vec![]);
        let strings = format!(
            "const A: &str = \"{}\"; const B: &str = r#\"{}\"#; const C: char = '('; const D: char = '\\'';",
            "(".repeat(1000),
            "{\"".repeat(1000)
        );
        assert_eq!(refused(&strings), vec![]);
    }

    #[test]
    fn the_kits_own_sources_pass_the_prescan() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut seen = 0;
        // A student release has no solutions/: the rest is still the kit's.
        for dir in ["solutions", "exercises", "tests", "grader", "mlings/src"] {
            if !root.join(dir).is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(entry.path()).unwrap();
                    assert_eq!(prescan(&source), Ok(()), "{}", entry.path().display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 50, "{seen}");
    }

    #[test]
    fn every_forbidden_construct_is_refused_with_its_line() {
        let cases = [
            "fn f() { unsafe { } }",
            "unsafe fn f() {}",
            "extern \"C\" fn f() {}",
            "extern \"C\" { fn g(); }",
            "extern crate std as s;",
            "fn f() { let _ = std::fs::read(\"x\"); }",
            "fn f() { let _ = ::std::process::exit(0); }",
            "use std::fs;",
            "use std::{io, fs::File};",
            "use std::{io::{self}, env::var};",
            "use std as s;",
            "use std::{self as s};",
            "use std::*;",
            "use core::*;",
            "fn f() { let _ = core::env::var(\"x\"); }",
            "fn f() { let _ = std::net::TcpStream::connect(\"x\"); }",
            "fn f() { let _ = std::os::unix::fs::symlink(\"a\", \"b\"); }",
            "const S: &str = include_str!(\"../../tests/01/hidden.rs\");",
            "const S: &[u8] = include_bytes!(\"x\");",
            "include!(\"x.rs\");",
            "const S: &str = env!(\"HOME\");",
            "const S: Option<&str> = option_env!(\"HOME\");",
            "const S: &str = concat!(\"a\", \"b\");",
            "#[path = \"../../tests/x.rs\"] mod x;",
            "#[cfg_attr(all(), path = \"x.rs\")] mod x;",
            "#[doc = include_str!(\"x\")] pub fn f() {}",
            "#[unsafe(no_mangle)] pub fn f() {}",
            "fn f() { println!(\"{:?}\", std::fs::read(\"x\")); }",
            "macro_rules! m { () => { std::process::exit(0) } }",
            "macro_rules! m { ($a:ident) => { std::$a::read(\"x\") } }",
            "macro_rules! m { ($a:ident) => { $a::fs::read(\"x\") } } fn f() { m!(std); }",
            "macro_rules! m { () => { use std::{fs}; } }",
            "fn f() { let _ = std::env::args(); }",
            "unsafe impl Send for X {}",
            "fn f() { core::arch::global_asm!(\"\"); }",
            "fn f( { ",
        ];
        for case in cases {
            let found = refused(&format!("\n\n{case}\n"));
            assert!(!found.is_empty(), "not refused: {case}");
            assert!(
                found.iter().all(|v| v.line == 3 && v.file == "lib.rs"),
                "{case}: {found:?}"
            );
        }
    }
}
