//! Step 2: the one-step look-ahead, `q(s, a)`.

use ndarray::ArrayView1;

use crate::mdp::Mdp;

/// The value of taking action `a` in state `s` and following the values `v` afterwards: the
/// expected immediate reward plus the discounted value of the next state.
///
/// ```text
/// v: (S)   s ∈ 0..S   a ∈ 0..A   γ ∈ [0, 1]
/// q(s, a) = ∑ₛ′ P(s′ | s, a) · (r(s, a, s′) + γ · V(s′))
/// ```
///
/// γ discounts the future, not the reward received now: `r + γ·V(s′)`, never `γ·(r + V(s′))`.
///
/// # Panics
/// When `v` does not have one entry per state, or `s` or `a` is out of range.
///
/// # Examples
/// ```
/// # use value_iteration::{q_value, Mdp, Transition};
/// use ndarray::array;
/// // One action: half the time reward 1 and state 1 (V = 10), half the time reward 0 and state 0.
/// let mdp = Mdp::new(
///     vec![vec![vec![Transition::new(0.5, 1, 1.0), Transition::new(0.5, 0, 0.0)]], vec![vec![Transition::new(1.0, 1, 0.0)]]],
///     vec![false, true],
/// )?;
/// // 0.5 · (1 + 0.9 · 10) + 0.5 · (0 + 0.9 · 2) = 5.9
/// assert!((q_value(&mdp, array![2.0, 10.0].view(), 0, 0, 0.9) - 5.9).abs() < 1e-12);
/// # Ok::<(), value_iteration::DpError>(())
/// ```
#[track_caller]
pub fn q_value(mdp: &Mdp, v: ArrayView1<'_, f64>, s: usize, a: usize, gamma: f64) -> f64 {
    assert_eq!(v.len(), mdp.n_states(), "v needs one value per state");
    // TODO: Sum p · (r + γ · V(s′)) over mdp.outcomes(s, a).
    // one outcome (1.0, s′ = 1, r = 1) with V(1) = 10, γ = 0.9 -> 10.0
    todo!("q(s = {s}, a = {a}) with v {:?} and γ = {gamma}", v.shape())
}
