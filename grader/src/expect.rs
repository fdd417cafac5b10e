//! The learner's `Result`s in a check: an error where none was expected fails the check with
//! that error's words ([`ok`]), and bad input must give the right kind of error ([`expect_err`]).
//!
//! Generic over the exercise's error type, so that every suite says these things the same way.

use std::fmt::{Debug, Display};

use crate::check::{Failure, Outcome};

/// An error the learner's code returned where none was expected, as a failure:
/// `unexpected error: <the error's message>`.
pub fn unexpected(error: impl Display) -> Failure {
    Failure::new(format!("unexpected error: {error}"))
}

/// `result`'s value, or its error as a failure ([`unexpected`]), to be passed on with `?`:
/// `let beta = ok(sut::qr_solve(x.view(), y.view()))?;`.
///
/// # Errors
/// The failure `unexpected error: …` when `result` is an error.
pub fn ok<T, E: Display>(result: Result<T, E>) -> Result<T, Failure> {
    result.map_err(unexpected)
}

/// Passes when `result` is an error that `expected` accepts; `what` describes the bad input.
///
/// ```
/// use mlings_grader::expect_err;
///
/// #[derive(Debug)]
/// enum FitError { Empty, Shape }
/// impl std::fmt::Display for FitError {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str(match self { FitError::Empty => "no rows", FitError::Shape => "bad shape" })
///     }
/// }
///
/// let empty = |e: &FitError| matches!(e, FitError::Empty);
/// assert!(expect_err("an empty X", Err::<(), _>(FitError::Empty), empty).is_ok());
/// assert_eq!(
///     expect_err("an empty X", Err::<(), _>(FitError::Shape), empty).unwrap_err().message,
///     "an empty X: got the error \"bad shape\" (Shape), expected another kind"
/// );
/// assert_eq!(
///     expect_err("an empty X", Ok::<_, FitError>(1.0), empty).unwrap_err().message,
///     "an empty X: got Ok, expected a typed error (FitError)"
/// );
/// ```
///
/// # Errors
/// A failure that names the bad input and what came back instead: `Ok`, or an error of another
/// kind (shown with its message and its variant).
pub fn expect_err<T, E: Display + Debug>(
    what: &str,
    result: Result<T, E>,
    expected: impl Fn(&E) -> bool,
) -> Outcome {
    match result {
        Err(e) if expected(&e) => Ok(()),
        Err(e) => Err(Failure::new(format!(
            "{what}: got the error \"{e}\" ({e:?}), expected another kind"
        ))),
        Ok(_) => Err(Failure::new(format!(
            "{what}: got Ok, expected a typed error ({})",
            type_name::<E>()
        ))),
    }
}

/// The name of `E` without its module path or generic arguments, such as `FitError`.
fn type_name<E>() -> &'static str {
    let full = std::any::type_name::<E>();
    let plain = full.split('<').next().unwrap_or(full);
    plain.rsplit("::").next().unwrap_or(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_lose_their_path_and_arguments() {
        assert_eq!(type_name::<std::fmt::Error>(), "Error");
        assert_eq!(type_name::<Vec<std::string::String>>(), "Vec");
        assert_eq!(type_name::<u8>(), "u8");
    }

    #[test]
    fn an_unexpected_error_is_a_failure_with_its_message() {
        let result: Result<f64, &str> = Err("X has 2 rows, y has 3");
        assert_eq!(
            ok(result).unwrap_err().message,
            "unexpected error: X has 2 rows, y has 3"
        );
        assert_eq!(ok(Ok::<_, &str>(2.0)), Ok(2.0));
    }
}
