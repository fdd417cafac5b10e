//! Step 4: greedy policies, ties included; and the kit's policy helpers.

use ndarray::{Array2, ArrayView1};

use crate::mdp::Mdp;

/// Every greedy action of every state: the actions whose q-value is within `tol` of the best.
///
/// ```text
/// v: (S)   →   (S) lists of actions, each sorted, never empty
/// greedy(s) = { a : q(s, a; v) ≥ maxₐ′ q(s, a′; v) − tol }      for a non-terminal s
/// greedy(s) = { 0, 1, …, A − 1 }                                 for a terminal s
/// ```
///
/// Ties are real: in Figure 3.5 of Sutton & Barto several moves are optimal in most cells, and in
/// a terminal state every action is. `tol` absorbs the rounding of values computed to θ.
///
/// # Panics
/// When `v` does not have one entry per state.
///
/// # Examples
/// ```
/// # use value_iteration::{greedy_actions, Gridworld};
/// use ndarray::Array1;
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 2)).to_mdp()?;
/// // V = (−2, −1, 0): from state 0 only Right (2) helps; from 1 too; state 2 is terminal.
/// let actions = greedy_actions(&mdp, Array1::from(vec![-2.0, -1.0, 0.0]).view(), 1.0, 1e-9);
/// assert_eq!(actions, vec![vec![2], vec![2], vec![0, 1, 2, 3]]);
/// # Ok::<(), value_iteration::DpError>(())
/// ```
#[track_caller]
pub fn greedy_actions(mdp: &Mdp, v: ArrayView1<'_, f64>, gamma: f64, tol: f64) -> Vec<Vec<usize>> {
    assert_eq!(v.len(), mdp.n_states(), "v needs one value per state");
    // TODO: Per state, keep every action whose q_value is within tol of the best; all actions if terminal.
    // 1×3 corridor, V = (−2, −1, 0), γ = 1 -> [[2], [2], [0, 1, 2, 3]]
    todo!(
        "greedy actions for v {:?}, γ = {gamma}, tolerance {tol}",
        v.shape()
    )
}

/// A greedy deterministic policy: in each state one action with the largest q-value.
///
/// ```text
/// v: (S)   →   policy: (S), each in 0..A
/// policy(s) ∈ argmaxₐ q(s, a; v)        (any of the tied actions; 0 in a terminal state)
/// ```
///
/// # Panics
/// When `v` does not have one entry per state.
///
/// # Examples
/// ```
/// # use value_iteration::{greedy_policy, Gridworld};
/// use ndarray::Array1;
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 2)).to_mdp()?;
/// assert_eq!(greedy_policy(&mdp, Array1::from(vec![-2.0, -1.0, 0.0]).view(), 1.0), vec![2, 2, 0]);
/// # Ok::<(), value_iteration::DpError>(())
/// ```
#[track_caller]
pub fn greedy_policy(mdp: &Mdp, v: ArrayView1<'_, f64>, gamma: f64) -> Vec<usize> {
    assert_eq!(v.len(), mdp.n_states(), "v needs one value per state");
    // TODO: Per state, return an action with the largest q_value (0 in terminal states).
    // 1×3 corridor, V = (−2, −1, 0), γ = 1 -> [2, 2, 0]
    todo!("a greedy policy for v {:?}, γ = {gamma}", v.shape())
}

/// The equiprobable random policy, `π(a|s) = 1/A`, `(S, A)`.
pub fn uniform_policy(mdp: &Mdp) -> Array2<f64> {
    let a = mdp.n_actions();
    Array2::from_elem((mdp.n_states(), a), 1.0 / a as f64)
}

/// The deterministic policy taking `actions[s]` in state `s`, as probabilities `(S, A)`.
///
/// # Panics
/// When an action is not in `0..n_actions`.
///
/// # Examples
/// ```
/// # use value_iteration::deterministic_policy;
/// use ndarray::array;
/// assert_eq!(deterministic_policy(&[1, 0], 2), array![[0.0, 1.0], [1.0, 0.0]]);
/// ```
#[track_caller]
pub fn deterministic_policy(actions: &[usize], n_actions: usize) -> Array2<f64> {
    let mut policy = Array2::zeros((actions.len(), n_actions));
    for (s, &a) in actions.iter().enumerate() {
        assert!(a < n_actions, "state {s}: action {a} out of 0..{n_actions}");
        policy[[s, a]] = 1.0;
    }
    policy
}
