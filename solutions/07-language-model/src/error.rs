//! The typed error of the exercise.

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LanguageModelError {
    /// A character outside the vocabulary `.` and `a`–`z`.
    #[error("name {name:?} has the character {ch:?}, expected only a-z")]
    InvalidCharacter {
        /// The name holding it.
        name: String,
        /// The character.
        ch: char,
    },
    /// A token index outside `0..27`.
    #[error("{what} holds the token {token}, expected one of 0..27")]
    InvalidToken {
        /// The argument holding it.
        what: &'static str,
        /// The token.
        token: usize,
    },
    /// A name with no letter.
    #[error("name {index} is empty: every name needs at least one letter")]
    EmptyName {
        /// Its position in the list.
        index: usize,
    },
    /// No names, contexts or targets at all.
    #[error("{what} is empty")]
    Empty {
        /// The argument that is empty.
        what: &'static str,
    },
    /// An array whose shape does not fit.
    #[error("{what} has shape {got:?}, expected {expected}")]
    Shape {
        /// The argument.
        what: &'static str,
        /// Its shape.
        got: Vec<usize>,
        /// The shape it needs, in words.
        expected: String,
    },
    /// A row of counts that sums to zero cannot be normalised.
    #[error("row {row} ({ch:?}) of the counts sums to 0: no probabilities without smoothing")]
    EmptyRow {
        /// The row.
        row: usize,
        /// Its character.
        ch: char,
    },
    /// A setting outside its range.
    #[error("{name} is {value}, expected {expected}")]
    InvalidSetting {
        /// The setting's name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Its range, in words.
        expected: &'static str,
    },
    /// A split order that is not a permutation of `0..n`.
    #[error("the split order is not a permutation of 0..{len}: {reason}")]
    NotAPermutation {
        /// The number of indices.
        len: usize,
        /// The first problem found.
        reason: String,
    },
    /// A line of the split file that is not a name's index.
    #[error("line {line} of the split file is {text:?}, expected a name's index")]
    SplitFile {
        /// The line, from 1.
        line: usize,
        /// Its text.
        text: String,
    },
}
