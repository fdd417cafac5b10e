//! The typed error of the exercise.

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProductionError {
    /// A number that must be finite is NaN or infinite.
    #[error("{name} is {value}, expected a finite number")]
    NotFinite {
        /// The argument's name.
        name: &'static str,
        /// Its value.
        value: f64,
    },
}
