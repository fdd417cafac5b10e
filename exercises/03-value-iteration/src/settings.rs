//! The settings every dynamic-programming algorithm of the exercise shares: γ, θ and a sweep cap.

use crate::error::DpError;

/// Discount, stopping threshold and sweep cap, checked by [`Settings::validate`].
///
/// ```text
/// γ ∈ [0, 1]    the discount: 0 sees only the next reward, 1 sums every reward (episodic tasks)
/// θ > 0         stop when the largest change of a sweep, maxₛ |V_new(s) − V(s)|, is below θ
/// max_sweeps    give up with DpError::DidNotConverge after this many sweeps (or improvements)
/// ```
///
/// # Examples
/// ```
/// # use value_iteration::Settings;
/// let settings = Settings::new(0.9).theta(1e-6).max_sweeps(500);
/// assert_eq!((settings.gamma, settings.theta, settings.max_sweeps), (0.9, 1e-6, 500));
/// assert!(settings.validate().is_ok());
/// assert!(Settings::new(1.5).validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The discount γ, in `[0, 1]`.
    pub gamma: f64,
    /// The stopping threshold θ on the max-norm of a sweep's change; default `1e-10`.
    pub theta: f64,
    /// The most sweeps (or policy improvements) before giving up; default `100_000`.
    pub max_sweeps: usize,
}

impl Settings {
    /// Discount `gamma` with θ = 1e-10 and at most 100,000 sweeps.
    pub fn new(gamma: f64) -> Self {
        Settings {
            gamma,
            theta: 1e-10,
            max_sweeps: 100_000,
        }
    }

    /// Sets the stopping threshold θ.
    pub fn theta(self, theta: f64) -> Self {
        Settings { theta, ..self }
    }

    /// Sets the sweep cap.
    pub fn max_sweeps(self, max_sweeps: usize) -> Self {
        Settings { max_sweeps, ..self }
    }

    /// Fails unless γ ∈ [0, 1], θ is a positive finite number and the cap is at least 1.
    ///
    /// # Errors
    /// [`DpError::InvalidGamma`], [`DpError::InvalidTheta`] or [`DpError::InvalidMaxSweeps`].
    pub fn validate(&self) -> Result<(), DpError> {
        if !(0.0..=1.0).contains(&self.gamma) {
            return Err(DpError::InvalidGamma(self.gamma));
        }
        if !(self.theta > 0.0 && self.theta.is_finite()) {
            return Err(DpError::InvalidTheta(self.theta));
        }
        if self.max_sweeps == 0 {
            return Err(DpError::InvalidMaxSweeps);
        }
        Ok(())
    }
}
