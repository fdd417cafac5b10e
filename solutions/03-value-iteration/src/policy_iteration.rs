//! Step 6: policy iteration — evaluate, improve, until the policy is stable.

use ndarray::Array1;

use crate::error::DpError;
use crate::mdp::Mdp;
use crate::settings::Settings;
// BEGIN SOLUTION
use crate::bellman::q_value;
use crate::evaluation::evaluate_policy;
use crate::policy::{deterministic_policy, uniform_policy};
// END SOLUTION

/// What policy iteration returns.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyIteration {
    /// The values of the final policy, `(S)`.
    pub v: Array1<f64>,
    /// The final, stable policy, `(S)`.
    pub policy: Vec<usize>,
    /// The number of policy evaluations done (the first one, of the random policy, included).
    pub evaluations: usize,
    /// The evaluation sweeps of all evaluations together.
    pub sweeps: usize,
}

/// Policy iteration from the equiprobable random policy.
///
/// ```text
/// π₀ = uniform;  repeat:
///     V   ← evaluate_policy(π)                                  (step 3)
///     π′(s) = argmaxₐ q(s, a; V), keeping π(s) when it is tied  (step 4, with the fresh V)
/// until π′ = π
/// ```
///
/// Starting from the random policy matters with γ = 1: it reaches a terminal state from
/// everywhere in the book's examples, where a deterministic start (say "always left") may never
/// terminate, and its evaluation would not converge.
///
/// Keep the current action unless another one is better by more than `1e-9 · (1 + |q|)`:
/// switching between tied actions would never stop. Stop as soon as an improvement leaves the
/// policy unchanged, without evaluating it again (the values settling is not the test): on a
/// model with a unique optimal policy reached in k improvements, that is k + 1 evaluations.
///
/// # Errors
/// [`Settings::validate`]'s errors; [`evaluate_policy`](crate::evaluate_policy)'s errors;
/// [`DpError::DidNotConverge`] when the policy is still changing after `settings.max_sweeps`
/// improvements: each of them changed it (the first, from the random policy, included), and the
/// next one changes it again.
///
/// # Examples
/// ```
/// # use value_iteration_solution::{policy_iteration, Gridworld, Settings};
/// let mdp = Gridworld::new(1, 3).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 2)).to_mdp()?;
/// let result = policy_iteration(&mdp, Settings::new(1.0))?;
/// assert_eq!(&result.policy[..2], &[2, 2]);
/// assert!((result.v[0] + 2.0).abs() < 1e-9);
/// # Ok::<(), value_iteration_solution::DpError>(())
/// ```
pub fn policy_iteration(mdp: &Mdp, settings: Settings) -> Result<PolicyIteration, DpError> {
    // BEGIN SOLUTION
    settings.validate()?;
    let first = evaluate_policy(mdp, uniform_policy(mdp).view(), settings)?;
    let (mut v, mut sweeps, mut evaluations) = (first.v, first.sweeps, 1);
    let mut policy: Option<Vec<usize>> = None;
    loop {
        let improved: Vec<usize> = (0..mdp.n_states())
            .map(|s| {
                let q: Vec<f64> = (0..mdp.n_actions())
                    .map(|a| q_value(mdp, v.view(), s, a, settings.gamma))
                    .collect();
                let best = (0..q.len()).fold(0, |b, a| if q[a] > q[b] { a } else { b });
                match &policy {
                    Some(old) if q[old[s]] >= q[best] - 1e-9 * (1.0 + q[best].abs()) => old[s],
                    _ => best,
                }
            })
            .collect();
        if policy.as_ref() == Some(&improved) {
            return Ok(PolicyIteration {
                v,
                policy: improved,
                evaluations,
                sweeps,
            });
        }
        if evaluations > settings.max_sweeps {
            return Err(DpError::DidNotConverge {
                sweeps,
                last_change: f64::NAN,
            });
        }
        let pi = deterministic_policy(&improved, mdp.n_actions());
        let evaluation = evaluate_policy(mdp, pi.view(), settings)?;
        v = evaluation.v;
        sweeps += evaluation.sweeps;
        evaluations += 1;
        policy = Some(improved);
    }
    // STUB
    // // TODO: Evaluate the uniform policy, then alternate greedy improvement (keep tied actions) and evaluation until stable.
    // // 1×3 corridor, γ = 1 -> policy [2, 2, _], V = [-2, -1, 0]
    // todo!(
    //     "policy iteration on {} states with {settings:?}",
    //     mdp.n_states()
    // )
    // END SOLUTION
}
