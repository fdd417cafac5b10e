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

/// Checks one source file; `file` names it in the messages.
///
/// A file that does not parse is reported as one violation at the parse error.
pub fn check_source(file: &Path, source: &str) -> Vec<Violation> {
    let name = file.display().to_string();
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
