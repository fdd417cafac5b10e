//! Reading a caught panic: its text, and whether it is a `todo!()` the learner has not replaced.
//!
//! The one place that recognises a not-implemented panic: the runner (a check that reaches a
//! `todo!()` is [`Status::NotImplemented`](crate::Status::NotImplemented)), the plot programs (a
//! figure that reaches one is skipped as not implemented yet) and the benches (a learner's kernel
//! that reaches one is not measured) all ask [`not_implemented`].
//!
//! ```
//! use mlings_grader::panics::{not_implemented, not_implemented_message};
//!
//! assert_eq!(not_implemented("not yet implemented: mean of [3, 2]"), Some("mean of [3, 2]"));
//! assert_eq!(not_implemented("not implemented"), Some(""));
//! assert_eq!(not_implemented("index out of bounds"), None);
//! assert_eq!(
//!     not_implemented_message("not yet implemented: mean of [3, 2]").as_deref(),
//!     Some("not implemented yet: mean of [3, 2]")
//! );
//! ```

use std::any::Any;

/// How a report names a `todo!()` the learner has not replaced yet.
pub const NOT_IMPLEMENTED: &str = "not implemented yet";

/// What a panic's `text` says is left to do, when the panic is a `todo!()` or an
/// `unimplemented!()`: `Some("")` for a bare one, `Some("fit the model")` for
/// `todo!("fit the model")`, `None` for any other panic.
///
/// The standard library starts these panics' messages with "not yet implemented" and
/// "not implemented"; the learner's own text, if any, follows a colon.
pub fn not_implemented(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("not yet implemented")
        .or_else(|| text.strip_prefix("not implemented"))?;
    Some(rest.trim_start_matches(':').trim())
}

/// The message a report gives a not-implemented panic: [`NOT_IMPLEMENTED`], followed by what the
/// `todo!()` says when it says anything (`"not implemented yet: fit the model"`); `None` for any
/// other panic.
pub fn not_implemented_message(text: &str) -> Option<String> {
    not_implemented(text).map(|what| {
        if what.is_empty() {
            NOT_IMPLEMENTED.to_owned()
        } else {
            format!("{NOT_IMPLEMENTED}: {what}")
        }
    })
}

/// The text a panic carried: its message when it is text (as `panic!`, `assert!` and `todo!`
/// give), else a placeholder saying it was not.
pub fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::panic;

    use super::*;

    fn caught(f: impl FnOnce() + panic::UnwindSafe) -> String {
        let hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let payload = panic::catch_unwind(f).expect_err("the closure panics");
        panic::set_hook(hook);
        payload_text(payload.as_ref())
    }

    #[test]
    fn todo_and_unimplemented_are_recognised_with_their_text() {
        let with_text = caught(|| todo!("fit the model on x {:?}", [3, 2]));
        assert_eq!(
            not_implemented(&with_text),
            Some("fit the model on x [3, 2]")
        );
        assert_eq!(not_implemented(&caught(|| todo!())), Some(""));
        assert_eq!(
            not_implemented(&caught(|| unimplemented!("qr"))),
            Some("qr")
        );
        assert_eq!(
            not_implemented_message(&caught(|| unimplemented!())).as_deref(),
            Some(NOT_IMPLEMENTED)
        );
    }

    #[test]
    fn other_panics_are_not_taken_for_a_todo() {
        let text = caught(|| panic!("index out of bounds: the len is 3 but the index is 3"));
        assert_eq!(not_implemented(&text), None);
        assert_eq!(not_implemented_message("it is not yet implemented"), None);
        assert_eq!(
            caught(|| std::panic::panic_any(7_u8)),
            "a panic with a non-text payload"
        );
    }
}
