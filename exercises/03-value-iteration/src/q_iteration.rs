//! Step 7: Q-value iteration, and in-place (Gauss–Seidel) value iteration.

use ndarray::{Array1, Array2, ArrayViewMut1, Axis};

use crate::error::DpError;
use crate::mdp::Mdp;
use crate::settings::Settings;
use crate::value_iteration::ValueIteration;

/// What Q-value iteration returns.
#[derive(Debug, Clone, PartialEq)]
pub struct QIteration {
    /// `Q ≈ Q*`, `(S, A)`; rows of terminal states are 0.
    pub q: Array2<f64>,
    /// The number of sweeps done, the last one included.
    pub sweeps: usize,
    /// The largest change `max₍ₛ,ₐ₎ |Q_new(s, a) − Q(s, a)|` of each sweep, `(sweeps)`.
    pub deltas: Vec<f64>,
}

impl QIteration {
    /// `V(s) = maxₐ Q(s, a)`, `(S)`.
    pub fn v(&self) -> Array1<f64> {
        self.q
            .map_axis(Axis(1), |row| row.fold(f64::NEG_INFINITY, |m, &q| m.max(q)))
    }

    /// A greedy policy, `π(s) = argmaxₐ Q(s, a)` (the first of tied actions), `(S)`.
    pub fn policy(&self) -> Vec<usize> {
        self.q
            .rows()
            .into_iter()
            .map(|row| (0..row.len()).fold(0, |b, a| if row[a] > row[b] { a } else { b }))
            .collect()
    }
}

/// Q-value iteration: the Bellman optimality backup on action values, synchronous sweeps from
/// `Q = 0` until the largest change is below θ.
///
/// Synchronous, like [`value_iteration`](crate::value_iteration): every new `Q(s, a)` reads the
/// previous sweep's `Q` only, never an entry already updated in this sweep; and the change is
/// measured on every `Q(s, a)`, not on `V = maxₐ Q`.
///
/// ```text
/// Q: (S, A)
/// Q_new(s, a) = ∑ₛ′ P(s′ | s, a) · (r + γ · maxₐ′ Q(s′, a′))     non-terminal s
/// Q_new(s, a) = 0                                                terminal s
/// stop when Δ = max₍ₛ,ₐ₎ |Q_new(s, a) − Q(s, a)| < θ
/// ```
///
/// At convergence `maxₐ Q*(s, a) = V*(s)`: no model is needed to act greedily on Q, which is why
/// Q-learning learns Q rather than V.
///
/// # Errors
/// [`Settings::validate`]'s errors; [`DpError::DidNotConverge`] after `settings.max_sweeps`.
///
/// # Examples
/// ```
/// # use value_iteration::{q_value_iteration, Gridworld, Settings};
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 2)).to_mdp()?;
/// let result = q_value_iteration(&mdp, Settings::new(1.0))?;
/// // From state 1: Right ends the episode (−1); Left costs −1 and then −2 from state 0.
/// assert_eq!(result.q.row(1).to_vec(), vec![-3.0, -2.0, -1.0, -2.0]);
/// assert_eq!(result.v().to_vec(), vec![-2.0, -1.0, 0.0]);
/// # Ok::<(), value_iteration::DpError>(())
/// ```
pub fn q_value_iteration(mdp: &Mdp, settings: Settings) -> Result<QIteration, DpError> {
    // TODO: Validate, then sweep Q from 0: V = row maxima of the old Q, Q_new(s, a) = q_value(V) (0 if terminal), until Δ < θ.
    // 1×3 corridor, γ = 1 -> Q row 1 = [-3, -2, -1, -2]
    todo!(
        "Q-value iteration on {} states × {} actions with {settings:?}",
        mdp.n_states(),
        mdp.n_actions()
    )
}

/// One in-place (Gauss–Seidel) sweep of the optimality backup, in state order: each new value is
/// written into `v` at once, so later states of the same sweep already read it. Returns the
/// largest change. The order is part of the contract: another order converges too, but to
/// other numbers after each sweep.
///
/// ```text
/// for s = 0, 1, …, S − 1:   v(s) ← maxₐ q(s, a; v)   (0 if terminal)
/// Δ = maxₛ |change of v(s)|
/// ```
///
/// In place, values travel across the whole grid in one sweep when the states are visited in
/// the direction they flow, so it usually needs fewer sweeps than the synchronous version — but
/// after each sweep the numbers differ from the synchronous ones.
///
/// # Panics
/// When `v` does not have one entry per state.
///
/// # Examples
/// ```
/// # use value_iteration::{in_place_sweep, Gridworld};
/// use ndarray::Array1;
/// // Terminal at the left end. State 2 already reads the new v(1) = −1: −1 + v(1) = −2, where a
/// // synchronous sweep would read the old v(1) = −5 and give −6.
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 0)).to_mdp()?;
/// let mut v = Array1::from(vec![0.0, -5.0, -5.0]);
/// let delta = in_place_sweep(&mdp, v.view_mut(), 1.0);
/// assert_eq!((v.to_vec(), delta), (vec![0.0, -1.0, -2.0], 4.0));
/// # Ok::<(), value_iteration::DpError>(())
/// ```
#[allow(unused_mut)] // `v` is written once you implement the sweep
#[track_caller]
pub fn in_place_sweep(mdp: &Mdp, mut v: ArrayViewMut1<'_, f64>, gamma: f64) -> f64 {
    assert_eq!(v.len(), mdp.n_states(), "v needs one value per state");
    // TODO: For s in order, set v[s] to maxₐ q_value(…) reading the current v (0 if terminal); return the largest change.
    // 1×3 corridor, terminal at the left, v = [0, -5, -5], γ = 1 -> v = [0, -1, -2], Δ = 4
    todo!("one in-place sweep of v {:?} with γ = {gamma}", v.shape())
}

/// Value iteration with in-place sweeps ([`in_place_sweep`]) from `V = 0`, stopping when the
/// largest change of a sweep is below θ; the same result type as
/// [`value_iteration`](crate::value_iteration).
///
/// # Errors
/// [`Settings::validate`]'s errors; [`DpError::DidNotConverge`] after `settings.max_sweeps`.
///
/// # Examples
/// ```
/// # use value_iteration::{value_iteration_in_place, Gridworld, Settings};
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 0)).to_mdp()?;
/// let result = value_iteration_in_place(&mdp, Settings::new(1.0))?;
/// assert_eq!((result.v.to_vec(), result.sweeps), (vec![0.0, -1.0, -2.0], 3));
/// # Ok::<(), value_iteration::DpError>(())
/// ```
pub fn value_iteration_in_place(mdp: &Mdp, settings: Settings) -> Result<ValueIteration, DpError> {
    // TODO: Validate, then repeat in_place_sweep on one V from 0 until Δ < θ; finish with the greedy policy.
    // 1×3 corridor, terminal at the left, γ = 1 -> V = [0, -1, -2] after 3 sweeps
    todo!(
        "in-place value iteration on {} states with {settings:?}",
        mdp.n_states()
    )
}
