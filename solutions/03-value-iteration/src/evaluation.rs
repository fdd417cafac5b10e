//! Step 3: iterative policy evaluation with synchronous sweeps.

use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::error::DpError;
use crate::mdp::Mdp;
use crate::settings::Settings;
// BEGIN SOLUTION
use crate::bellman::q_value;
use crate::error::ensure_policy;
// END SOLUTION

/// The values of a policy and the sweeps it took to compute them.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// `v_π`, `(S)`; 0 in terminal states.
    pub v: Array1<f64>,
    /// The number of sweeps done, the last one included (the one whose change fell below θ).
    pub sweeps: usize,
}

/// One synchronous sweep of policy evaluation: every new value from the old values only.
///
/// ```text
/// policy: (S, A), π(a|s)   v: (S)   →   v_new: (S)
/// v_new(s) = ∑ₐ π(a|s) · q(s, a; v)      for every non-terminal s
/// v_new(s) = 0                           for every terminal s
/// ```
///
/// Synchronous means `q` reads `v`, never a value already updated in this sweep: updating in
/// place (Gauss–Seidel) converges too, but to other numbers after each sweep (Figure 4.1 after
/// one sweep reads 0, −1, −1, −1 on its top row; in place it reads 0, −1, −1.25, −1.3125).
///
/// # Panics
/// When `v` does not have one entry per state or `policy` is not `(S, A)`.
///
/// # Examples
/// ```
/// # use value_iteration_solution::{evaluation_sweep, uniform_policy, Gridworld};
/// use ndarray::Array1;
/// let grid = Gridworld::new(4, 4).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 0)).terminal((3, 3));
/// let mdp = grid.to_mdp()?;
/// let v1 = evaluation_sweep(&mdp, uniform_policy(&mdp).view(), Array1::zeros(16).view(), 1.0);
/// assert_eq!(v1.to_vec()[..4], [0.0, -1.0, -1.0, -1.0]);
/// # Ok::<(), value_iteration_solution::DpError>(())
/// ```
#[track_caller]
pub fn evaluation_sweep(
    mdp: &Mdp,
    policy: ArrayView2<'_, f64>,
    v: ArrayView1<'_, f64>,
    gamma: f64,
) -> Array1<f64> {
    assert_eq!(v.len(), mdp.n_states(), "v needs one value per state");
    assert_eq!(
        policy.shape(),
        [mdp.n_states(), mdp.n_actions()],
        "policy must be (states, actions)"
    );
    // BEGIN SOLUTION
    Array1::from_shape_fn(mdp.n_states(), |s| {
        if mdp.is_terminal(s) {
            return 0.0;
        }
        (0..mdp.n_actions())
            .map(|a| policy[[s, a]] * q_value(mdp, v, s, a, gamma))
            .sum()
    })
    // STUB
    // // TODO: Build v_new from v only: ∑ₐ π(a|s) · q_value(…) per non-terminal state, 0 in terminal ones.
    // // Figure 4.1 from v = 0, γ = 1 -> top row [0, -1, -1, -1]
    // todo!(
    //     "one synchronous sweep of policy {:?} from v {:?} with γ = {gamma}",
    //     policy.shape(),
    //     v.shape()
    // )
    // END SOLUTION
}

/// Iterative policy evaluation: synchronous sweeps from `V = 0` until the largest change of a
/// sweep is below θ.
///
/// ```text
/// policy: (S, A), each row a distribution over actions   →   v_π: (S), sweeps
/// repeat  v ← evaluation_sweep(v),  Δ = maxₛ |v_new(s) − v(s)|   until Δ < θ
/// ```
///
/// The stopping test uses the max-norm Δ, not a sum over states. With γ = 1 the values converge
/// only if the policy reaches a terminal state from everywhere; otherwise they run off to −∞ and
/// the sweep cap `settings.max_sweeps` turns that into an error instead of an endless loop.
///
/// # Errors
/// [`Settings::validate`]'s errors; [`crate::error::ensure_policy`]'s errors;
/// [`DpError::DidNotConverge`] when `settings.max_sweeps` sweeps end with Δ ≥ θ.
///
/// # Examples
/// ```
/// # use value_iteration_solution::{evaluate_policy, uniform_policy, Gridworld, Settings};
/// let grid = Gridworld::new(4, 4).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 0)).terminal((3, 3));
/// let mdp = grid.to_mdp()?;
/// let result = evaluate_policy(&mdp, uniform_policy(&mdp).view(), Settings::new(1.0).theta(1e-9))?;
/// assert!((result.v[1] + 14.0).abs() < 1e-6); // Figure 4.1: v_π(0, 1) = −14
/// # Ok::<(), value_iteration_solution::DpError>(())
/// ```
pub fn evaluate_policy(
    mdp: &Mdp,
    policy: ArrayView2<'_, f64>,
    settings: Settings,
) -> Result<Evaluation, DpError> {
    // BEGIN SOLUTION
    settings.validate()?;
    ensure_policy(mdp, policy)?;
    let mut v = Array1::zeros(mdp.n_states());
    let mut sweeps = 0;
    loop {
        let v_new = evaluation_sweep(mdp, policy, v.view(), settings.gamma);
        sweeps += 1;
        let delta = max_change(v_new.view(), v.view());
        v = v_new;
        if delta < settings.theta {
            return Ok(Evaluation { v, sweeps });
        }
        if sweeps >= settings.max_sweeps {
            return Err(DpError::DidNotConverge {
                sweeps,
                last_change: delta,
            });
        }
    }
    // STUB
    // // TODO: Validate (settings.validate(), crate::error::ensure_policy), then sweep from 0 until Δ < θ.
    // // Figure 4.1, γ = 1, θ = 1e-9 -> v(0, 1) ≈ −14 after a few hundred sweeps
    // todo!(
    //     "evaluate policy {:?} on {} states with {settings:?}",
    //     policy.shape(),
    //     mdp.n_states()
    // )
    // END SOLUTION
}

/// The max-norm of the change between two value vectors, `maxₛ |a(s) − b(s)|`; NaN counts as an
/// infinite change.
///
/// # Panics
/// When the lengths differ.
///
/// # Examples
/// ```
/// # use value_iteration_solution::max_change;
/// use ndarray::array;
/// assert_eq!(max_change(array![1.0, -2.0].view(), array![0.5, 1.0].view()), 3.0);
/// ```
#[track_caller]
pub fn max_change(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    assert_eq!(a.len(), b.len(), "two value vectors of the same length");
    a.iter().zip(b.iter()).fold(0.0, |m, (x, y)| {
        let d = (x - y).abs();
        if d.is_nan() { f64::INFINITY } else { m.max(d) }
    })
}
