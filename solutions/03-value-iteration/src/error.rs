//! The typed errors of the exercise, and the kit's input checks that produce them.
//!
//! The checks are given: call them at the top of your functions, where the `TODO` says so.

use ndarray::ArrayView2;

use crate::mdp::Mdp;

/// Why a model, a policy, a setting or a dynamic-programming run was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DpError {
    /// A model with no states, or states with no actions.
    #[error("empty model: {0}")]
    EmptyModel(String),
    /// Two sizes that should agree do not (a ragged table, a policy of the wrong shape…).
    #[error("shape mismatch: {0}")]
    ShapeMismatch(String),
    /// An action with no outcome at all: it must lead somewhere with probability 1.
    #[error("state {state}, action {action} has no outcome: list at least one transition")]
    NoOutcomes {
        /// The state.
        state: usize,
        /// The action.
        action: usize,
    },
    /// A negative, infinite or NaN probability.
    #[error("state {state}, action {action}: probability {prob} is not in [0, 1]")]
    BadProbability {
        /// The state.
        state: usize,
        /// The action.
        action: usize,
        /// The offending probability.
        prob: f64,
    },
    /// The outcomes of one action whose probabilities do not add up to 1.
    #[error(
        "state {state}, action {action}: probabilities sum to {total}, expected 1 (within 1e-9)"
    )]
    ProbabilitiesDoNotSumToOne {
        /// The state.
        state: usize,
        /// The action.
        action: usize,
        /// The sum of its outcomes' probabilities.
        total: f64,
    },
    /// A transition to a state that does not exist.
    #[error("state {state}, action {action} leads to state {next}, but there are only {n_states}")]
    NextStateOutOfRange {
        /// The state.
        state: usize,
        /// The action.
        action: usize,
        /// The next state named by the transition.
        next: usize,
        /// The number of states of the model.
        n_states: usize,
    },
    /// An infinite or NaN reward.
    #[error("state {state}, action {action}: reward {reward} is not finite")]
    BadReward {
        /// The state.
        state: usize,
        /// The action.
        action: usize,
        /// The offending reward.
        reward: f64,
    },
    /// A discount factor outside `[0, 1]`.
    #[error("discount γ = {0} is outside [0, 1]")]
    InvalidGamma(f64),
    /// A stopping threshold that is not a positive number: θ ≤ 0 would never stop.
    #[error("threshold θ = {0} must be a positive number: with θ ≤ 0 the sweeps never stop")]
    InvalidTheta(f64),
    /// A sweep cap of 0.
    #[error("max_sweeps must be at least 1")]
    InvalidMaxSweeps,
    /// A policy whose rows are not probability distributions over the actions.
    #[error("invalid policy: {0}")]
    InvalidPolicy(String),
    /// The sweeps hit the cap before the largest change fell below θ: with γ = 1 this means a
    /// policy that never reaches a terminal state, whose values run off to −∞ or +∞.
    #[error(
        "did not converge after {sweeps} sweeps (last largest change {last_change:e}): with γ = 1, \
         does the policy ever reach a terminal state?"
    )]
    DidNotConverge {
        /// The sweeps done, the cap.
        sweeps: usize,
        /// The largest change of the last sweep.
        last_change: f64,
    },
}

/// Fails unless `policy` is `(S, A)` for `mdp` and each of its rows is a probability distribution
/// (entries in `[0, 1]` summing to 1 within 1e-9).
///
/// # Errors
/// [`DpError::ShapeMismatch`] for the wrong shape, [`DpError::InvalidPolicy`] naming the first
/// bad row.
pub fn ensure_policy(mdp: &Mdp, policy: ArrayView2<'_, f64>) -> Result<(), DpError> {
    let expected = [mdp.n_states(), mdp.n_actions()];
    if policy.shape() != expected {
        return Err(DpError::ShapeMismatch(format!(
            "policy has shape {:?}, expected (states, actions) = {expected:?}",
            policy.shape()
        )));
    }
    for (s, row) in policy.rows().into_iter().enumerate() {
        let total: f64 = row.sum();
        if row.iter().any(|p| !(0.0..=1.0).contains(p)) || (total - 1.0).abs() > 1e-9 {
            return Err(DpError::InvalidPolicy(format!(
                "π(·|{s}) = {row} is not a probability distribution"
            )));
        }
    }
    Ok(())
}
