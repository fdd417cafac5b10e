//! Shapes checked before learner code runs, and shape panics inside it named in the learner's
//! terms.
//!
//! A learner whose matrix product has the wrong inner size sees ndarray's panic and a source
//! location in ndarray, not in their code. [`check_shape`] fails before any array operation with
//! the learner's function and both shapes; [`learner_call`] runs a learner function and turns a
//! shape panic inside it into a failure that names the function and the shapes of its inputs.

use std::panic::{self, AssertUnwindSafe};

use crate::check::{Failure, Outcome};
use crate::relation::describe_shapes;

/// Checks that `function` returned `what` of shape `expected`, before anything indexes into it.
///
/// ```
/// use mlings_grader::guard::check_shape;
///
/// let failure = check_shape("dense_forward", "out", &[2, 3], &[3, 2]).unwrap_err();
/// assert_eq!(
///     failure.message,
///     "dense_forward returned out of shape [2, 3], expected [3, 2]\n\
///      relation: your shape is the expected one transposed"
/// );
/// ```
pub fn check_shape(function: &str, what: &str, got: &[usize], expected: &[usize]) -> Outcome {
    if got == expected {
        return Ok(());
    }
    let mut message = format!("{function} returned {what} of shape {got:?}, expected {expected:?}");
    if let Some(relation) = describe_shapes(got, expected, None) {
        message.push_str("\nrelation: ");
        message.push_str(&relation);
    }
    Err(Failure::new(message))
}

/// Runs the learner's `function` (`call`), turning a shape panic inside it (an ndarray matrix
/// product, broadcast or zip of arrays that do not fit) into a failure that names the function
/// and the shapes of its `inputs`, given as `(argument name, shape)`.
///
/// Any other panic, `todo!()` included, goes on unwinding unchanged, so the runner still reads
/// `todo!()` as "not implemented yet" and reports other panics where they happened.
///
/// ```
/// use mlings_grader::guard::learner_call;
/// use ndarray::Array2;
///
/// let (x, w) = (Array2::<f64>::ones((2, 3)), Array2::<f64>::ones((2, 2)));
/// let failure = learner_call("dense_forward", &[("x", x.shape()), ("w", w.shape())], || x.dot(&w))
///     .unwrap_err();
/// assert_eq!(
///     failure.message,
///     "dense_forward(x: [2, 3], w: [2, 2]) failed on a shape mismatch: a matrix product of \
///      2 × 3 by 2 × 2, whose inner sizes 3 and 2 differ"
/// );
/// ```
pub fn learner_call<T>(
    function: &str,
    inputs: &[(&str, &[usize])],
    call: impl FnOnce() -> T,
) -> Result<T, Failure> {
    // The result is only used when `call` returned: nothing it left half-done is observed.
    match panic::catch_unwind(AssertUnwindSafe(call)) {
        Ok(value) => Ok(value),
        Err(payload) => match shape_panic(&crate::panics::payload_text(payload.as_ref())) {
            Some(what) => {
                let arguments: Vec<String> = inputs
                    .iter()
                    .map(|(name, shape)| format!("{name}: {shape:?}"))
                    .collect();
                Err(Failure::new(format!(
                    "{function}({}) failed on a shape mismatch: {what}",
                    arguments.join(", ")
                )))
            }
            None => panic::resume_unwind(payload),
        },
    }
}

/// Runs the learner's `function` (`call`), turning any panic inside it into a failure that quotes
/// it, so that a check can attach a hint to the panic a known mistake gives (a division by a stride
/// of 0, a weight that is NaN). A `todo!()` goes on unwinding unchanged, so the runner still reads
/// it as "not implemented yet".
///
/// ```
/// use mlings_grader::guard::catch_panic;
///
/// let stride = 0;
/// let failure = catch_panic("output_size", || 4 / stride).unwrap_err();
/// assert!(failure.message.starts_with("output_size panicked"));
/// assert!(failure.message.ends_with(": attempt to divide by zero"));
/// assert_eq!(catch_panic("output_size", || 4 / 2).unwrap(), 2);
/// ```
pub fn catch_panic<T>(function: &str, call: impl FnOnce() -> T) -> Result<T, Failure> {
    // The result is only used when `call` returned: nothing it left half-done is observed.
    match panic::catch_unwind(AssertUnwindSafe(call)) {
        Ok(value) => Ok(value),
        Err(payload) => {
            let text = crate::panics::payload_text(payload.as_ref());
            if crate::panics::not_implemented(&text).is_some() {
                panic::resume_unwind(payload);
            }
            let at = crate::runner::take_panic_location()
                .map(|l| format!(" at {l}"))
                .unwrap_or_default();
            Err(Failure::new(format!("{function} panicked{at}: {text}")))
        }
    }
}

/// What an ndarray shape panic's `text` says, in plain words, or `None` for any other panic.
pub fn shape_panic(text: &str) -> Option<String> {
    if text.contains("are not compatible for matrix multiplication") {
        return Some(matrix_product(text).unwrap_or_else(|| ndarray_words(text)));
    }
    if let Some(rest) = text.split("could not broadcast array from shape: ").nth(1) {
        let (from, to) = rest.split_once(" to: ")?;
        return Some(format!(
            "an array of shape {from} cannot be broadcast to shape {}",
            to.trim()
        ));
    }
    let plain = [
        (
            "ShapeError/IncompatibleShape",
            "arrays of incompatible shapes were combined elementwise or reshaped",
        ),
        (
            "assertion failed: self.len() == rhs.len()",
            "a dot product of two vectors of different lengths",
        ),
        (
            "assertion failed: part.equal_dim(dimension)",
            "arrays of different shapes were zipped together",
        ),
        (
            "ndarray: index out of bounds",
            "an index beyond the end of an array",
        ),
    ];
    plain
        .iter()
        .find(|(pattern, _)| text.contains(pattern))
        .map(|(_, words)| (*words).to_owned())
}

/// "ndarray: inputs 2 × 3 and 4 × 5 are not compatible …" as the product and its inner sizes.
fn matrix_product(text: &str) -> Option<String> {
    let inputs = text.split("inputs ").nth(1)?;
    let numbers: Vec<usize> = inputs
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [m, k, k2, n] = numbers[..] else {
        return None;
    };
    Some(format!(
        "a matrix product of {m} × {k} by {k2} × {n}, whose inner sizes {k} and {k2} differ"
    ))
}

fn ndarray_words(text: &str) -> String {
    text.trim_start_matches("ndarray: ").to_owned()
}
