//! Step 5: value iteration — the Bellman optimality backup, swept until the values settle.

use ndarray::{Array1, ArrayView1, ArrayViewMut1};

use crate::error::DpError;
use crate::mdp::Mdp;
use crate::settings::Settings;

/// What value iteration returns: the optimal values, a greedy policy, and how it got there.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueIteration {
    /// `V ≈ V*`, `(S)`; 0 in terminal states. [`crate::Gridworld::to_grid`] lays it out as a grid.
    pub v: Array1<f64>,
    /// A policy greedy with respect to the final `v`, `(S)`.
    pub policy: Vec<usize>,
    /// The number of sweeps done, the last one included.
    pub sweeps: usize,
    /// The largest change `maxₛ |V_new(s) − V(s)|` of each sweep, `(sweeps)`: the last one is
    /// below θ, every earlier one is not.
    pub deltas: Vec<f64>,
}

/// One synchronous sweep of the Bellman optimality backup, written into `v_new`; returns the
/// largest change.
///
/// ```text
/// v: (S)   v_new: (S), overwritten   →   Δ = maxₛ |v_new(s) − v(s)|
/// v_new(s) = maxₐ q(s, a; v) = maxₐ [ r̄(s, a) + γ ∑ₛ′ P(s′ | s, a) · V(s′) ]    non-terminal s
/// v_new(s) = 0                                                                   terminal s
/// ```
///
/// This is the kernel the bench times: it allocates nothing, and reads the model's flat arrays
/// ([`Mdp::flat`]: the same numbers as [`Mdp::expected_reward`] and [`Mdp::successors`]) front
/// to back, skipping the probabilities of a deterministic model, which are all 1.
///
/// # Panics
/// When `v` or `v_new` does not have one entry per state, or is not contiguous, or the model
/// has no actions.
///
/// # Examples
/// ```
/// # use value_iteration::{optimality_sweep, Gridworld};
/// use ndarray::Array1;
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 2)).to_mdp()?;
/// let v = Array1::zeros(3);
/// let mut v_new = Array1::zeros(3);
/// let delta = optimality_sweep(&mdp, v.view(), v_new.view_mut(), 1.0);
/// assert_eq!((v_new.to_vec(), delta), (vec![-1.0, -1.0, 0.0], 1.0));
/// # Ok::<(), value_iteration::DpError>(())
/// ```
#[allow(unused_mut)] // `v_new` is written once you implement the sweep
#[track_caller]
pub fn optimality_sweep(
    mdp: &Mdp,
    v: ArrayView1<'_, f64>,
    mut v_new: ArrayViewMut1<'_, f64>,
    gamma: f64,
) -> f64 {
    assert_eq!(v.len(), mdp.n_states(), "v needs one value per state");
    assert_eq!(
        v_new.len(),
        mdp.n_states(),
        "v_new needs one value per state"
    );
    // TODO: Write maxₐ q(s, a) (0 if terminal) into v_new for every state, reading only v; return the largest |change|.
    // 1×3 corridor, step −1, terminal at the right end, v = 0 -> v_new = [-1, -1, 0], Δ = 1
    todo!(
        "one optimality sweep from v {:?} into v_new {:?} with γ = {gamma}",
        v.shape(),
        v_new.shape()
    )
}

/// Value iteration: synchronous optimality sweeps from `V = 0` until the largest change of a
/// sweep is below θ, then the greedy policy of the final values.
///
/// ```text
/// repeat  Δ = optimality_sweep(V → V_new),  V ← V_new   until Δ < θ
/// policy = greedy_policy(V)                  (from the final V, not the one before it)
/// ```
///
/// The convergence contract: for γ < 1, stopping at Δ < θ leaves `‖V − V*‖∞ < γθ / (1 − γ)`.
/// With γ = 1 it converges on episodic tasks where every state can reach a terminal one.
///
/// # Errors
/// [`Settings::validate`]'s errors; [`DpError::DidNotConverge`] after `settings.max_sweeps`
/// sweeps with Δ ≥ θ.
///
/// # Examples
/// ```
/// # use value_iteration::{value_iteration, Gridworld, Settings};
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 2)).to_mdp()?;
/// let result = value_iteration(&mdp, Settings::new(1.0))?;
/// assert_eq!(result.v.to_vec(), vec![-2.0, -1.0, 0.0]);
/// assert_eq!((result.sweeps, result.deltas), (3, vec![1.0, 1.0, 0.0]));
/// assert_eq!(&result.policy[..2], &[2, 2]); // Right, Right
/// # Ok::<(), value_iteration::DpError>(())
/// ```
pub fn value_iteration(mdp: &Mdp, settings: Settings) -> Result<ValueIteration, DpError> {
    // TODO: Validate the settings, sweep from V = 0 until Δ < θ (recording every Δ), then take the greedy policy of the final V.
    // 1×3 corridor, γ = 1 -> V = [-2, -1, 0] after 3 sweeps, Δ = [1, 1, 0]
    todo!(
        "value iteration on {} states with {settings:?}",
        mdp.n_states()
    )
}
