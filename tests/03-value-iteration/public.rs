//! Public checks: small cases derived by hand, shipped to learners.

use mlings_grader::assert::{close, close_array, close_slice, ensure};
use mlings_grader::{Check, Failure, OutcomeExt};
use ndarray::{Array1, array};

use super::oracle::{self, corridor, figure_3_2, figure_4_1, grid_mdp};
use super::{EXACT, ok};
use crate::sut;

/// Every public check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: model.
        Check::public(
            1,
            "validate_accepts_distributions_and_rejects_sums_other_than_one",
            2,
            || {
                let t = sut::Transition::new;
                let good = vec![
                    vec![
                        vec![t(0.25, 0, 1.0), t(0.75, 1, 0.0)],
                        vec![t(1.0, 1, -1.0)],
                    ],
                    vec![vec![t(1.0, 1, 0.0)], vec![t(1.0, 1, 0.0)]],
                ];
                ok(sut::validate(&good, &[false, true]))?;
                // 0.5 + 0.4 = 0.9 in state 1, action 0.
                let bad = vec![
                    vec![vec![t(1.0, 0, 0.0)]],
                    vec![vec![t(0.5, 0, 0.0), t(0.4, 1, 0.0)]],
                ];
                match sut::validate(&bad, &[false, false]) {
                    Err(sut::DpError::ProbabilitiesDoNotSumToOne {
                        state: 1,
                        action: 0,
                        total,
                    }) => close("total", total, 0.9, EXACT),
                    other => Err(Failure::new(format!(
                        "probabilities 0.5 + 0.4 in state 1, action 0: got {other:?}, expected \
                         Err(ProbabilitiesDoNotSumToOne {{ state: 1, action: 0, total: 0.9 }})"
                    ))),
                }
            },
        ),
        Check::public(1, "gridworld_moves_bump_into_edges_and_teleport", 3, || {
            let t = sut::Transition::new;
            // Figure 3.2: up from the corner bumps (−1, stay), right moves (0), A and B jump.
            let book = figure_3_2();
            let cases = [
                (&book, 0, 3, vec![t(1.0, 0, -1.0)]),
                (&book, 0, 2, vec![t(1.0, 1, 0.0)]),
                (&book, 1, 0, vec![t(1.0, 21, 10.0)]),
                (&book, 3, 1, vec![t(1.0, 13, 5.0)]),
                (&book, 24, 1, vec![t(1.0, 24, -1.0)]),
                (&book, 12, 3, vec![t(1.0, 7, 0.0)]),
            ];
            // Figure 4.1: terminal corners absorb; other moves cost −1, off-grid ones too.
            let terminal = figure_4_1();
            let more = [
                (&terminal, 0, 2, vec![t(1.0, 0, 0.0)]),
                (&terminal, 1, 0, vec![t(1.0, 0, -1.0)]),
                (&terminal, 4, 0, vec![t(1.0, 4, -1.0)]),
            ];
            for (grid, s, a, expected) in cases.into_iter().chain(more) {
                let got = grid.outcomes(s, a);
                let off_grid_free = got.len() == 1 && got[0].next == s && got[0].reward == 0.0;
                ensure(oracle::same_outcomes(&got, &expected), || {
                    format!(
                        "state {s} {:?}, action {} ({:?}): got {}, expected {}",
                        grid.cell(s),
                        a,
                        sut::Action::from_index(a),
                        oracle::show(&got),
                        oracle::show(&expected)
                    )
                })
                .hint_if(
                    off_grid_free && expected[0].reward == -1.0,
                    "a move off the grid leaves the agent in place but still earns off_grid_reward (−1)",
                )?;
            }
            Ok(())
        }),
        // Step 2: q-value.
        Check::public(2, "q_value_by_hand", 3, || {
            // 0.5 · (1 + 0.9 · 10) + 0.5 · (0 + 0.9 · 2) = 5.9; γ on the reward gives 5.85.
            let t = sut::Transition::new;
            let mdp = sut::Mdp::new_unchecked(
                vec![
                    vec![vec![t(0.5, 1, 1.0), t(0.5, 0, 0.0)], vec![t(1.0, 1, -2.0)]],
                    vec![vec![t(1.0, 1, 0.0)], vec![t(1.0, 1, 0.0)]],
                ],
                vec![false, true],
            );
            let v = array![2.0, 10.0];
            let q0 = sut::q_value(&mdp, v.view(), 0, 0, 0.9);
            close("q(0, 0)", q0, 5.9, EXACT).hint_if(
                (q0 - 5.85).abs() < 1e-9,
                "γ multiplies the reward too: q = r + γ·V(s′), not γ·(r + V(s′))",
            )?;
            // −2 + 0.9 · 10 = 7.
            close(
                "q(0, 1)",
                sut::q_value(&mdp, v.view(), 0, 1, 0.9),
                7.0,
                EXACT,
            )
        }),
        // Step 3: policy-evaluation.
        Check::public(3, "evaluation_sweeps_on_a_corridor", 2, || {
            // 1×3 corridor, terminal on the right, random policy, γ = 1. Sweep 1 from 0: every
            // move costs −1. Sweep 2: state 0 sees −1 + (−1) four times; state 1 sees −2, −2, −1
            // (into the terminal), −2: −1.75. In place, sweep 1 would give state 1 −1.25.
            let mdp = grid_mdp(&corridor(3), true);
            let pi = sut::uniform_policy(&mdp);
            let v1 = sut::evaluation_sweep(&mdp, pi.view(), Array1::zeros(3).view(), 1.0);
            close_array("v after sweep 1", &v1, &array![-1.0, -1.0, 0.0], EXACT).hint_if(
                (v1[1] + 1.25).abs() < 1e-12,
                "the sweep is in place: compute every new value from the old values only",
            )?;
            let v2 = sut::evaluation_sweep(&mdp, pi.view(), v1.view(), 1.0);
            close_array("v after sweep 2", &v2, &array![-2.0, -1.75, 0.0], EXACT)
        }),
        Check::public(3, "evaluate_policy_of_a_two_state_chain", 2, || {
            // V(0) = 0.5 · (1 + 0.9 V(0)) + 0.5 · 0  ⇒  V(0) = 0.5 / 0.55 = 0.909090…
            let t = sut::Transition::new;
            let mdp = sut::Mdp::new_unchecked(
                vec![
                    vec![vec![t(0.5, 0, 1.0), t(0.5, 1, 0.0)]],
                    vec![vec![t(1.0, 1, 0.0)]],
                ],
                vec![false, true],
            );
            let pi = array![[1.0], [1.0]];
            let result = ok(sut::evaluate_policy(
                &mdp,
                pi.view(),
                sut::Settings::new(0.9).theta(1e-12),
            ))?;
            // Stopped at a change below 1e-12: within 0.45e-12 / 0.55 of the limit.
            close_array(
                "v",
                &result.v,
                &array![0.5 / 0.55, 0.0],
                mlings_grader::assert::Tol::abs(1e-11),
            )?;
            ensure(result.sweeps > 1, || {
                format!("{} sweeps: count every sweep done", result.sweeps)
            })
        }),
        // Step 4: greedy-policy.
        Check::public(4, "greedy_actions_and_policy_on_a_corridor", 2, || {
            // V = (−2, −1, 0): only Right (2) moves towards the terminal; it is terminal itself.
            let mdp = grid_mdp(&corridor(3), true);
            let v = array![-2.0, -1.0, 0.0];
            let sets = sut::greedy_actions(&mdp, v.view(), 1.0, 1e-9);
            ensure(sets == vec![vec![2], vec![2], vec![0, 1, 2, 3]], || {
                format!("greedy actions {sets:?}, expected [[2], [2], [0, 1, 2, 3]]")
            })?;
            let policy = sut::greedy_policy(&mdp, v.view(), 1.0);
            ensure(policy.len() == 3 && policy[..2] == [2, 2], || {
                format!("greedy policy {policy:?}, expected [2, 2, any]")
            })
        }),
        // Step 5: value-iteration.
        Check::public(5, "optimality_sweep_by_hand", 2, || {
            // From v = (−5, 0, 0) on the corridor: state 0 takes max(−1 − 5, −1 + 0) = −1,
            // state 1 −1, the terminal 0; the largest change is 4.
            let mdp = grid_mdp(&corridor(3), true);
            let v = array![-5.0, 0.0, 0.0];
            let mut v_new = Array1::from_elem(3, f64::NAN);
            let delta = sut::optimality_sweep(&mdp, v.view(), v_new.view_mut(), 1.0);
            close_array("v_new", &v_new, &array![-1.0, -1.0, 0.0], EXACT)?;
            close("largest change", delta, 4.0, EXACT)
        }),
        Check::public(5, "value_iteration_on_a_corridor", 3, || {
            // Sweeps from 0: (−1, −1, 0), (−2, −1, 0), (−2, −1, 0): changes 1, 1, 0.
            let mdp = grid_mdp(&corridor(3), true);
            let result = ok(sut::value_iteration(&mdp, sut::Settings::new(1.0)))?;
            close_array("v", &result.v, &array![-2.0, -1.0, 0.0], EXACT)?;
            ensure(result.sweeps == 3, || {
                format!("{} sweeps, expected 3", result.sweeps)
            })?;
            close_slice("deltas", &result.deltas, &[1.0, 1.0, 0.0], EXACT)?;
            ensure(
                result.policy.len() == 3 && result.policy[..2] == [2, 2],
                || format!("policy {:?}, expected [2, 2, any]", result.policy),
            )
        }),
        // Step 6: policy-iteration.
        Check::public(6, "policy_iteration_on_a_corridor", 2, || {
            let mdp = grid_mdp(&corridor(4), true);
            let result = ok(sut::policy_iteration(&mdp, sut::Settings::new(1.0)))?;
            ensure(
                result.policy.len() == 4 && result.policy[..3] == [2, 2, 2],
                || format!("policy {:?}, expected [2, 2, 2, any]", result.policy),
            )?;
            close_array(
                "v",
                &result.v,
                &array![-3.0, -2.0, -1.0, 0.0],
                mlings_grader::assert::Tol::abs(1e-8),
            )
        }),
        // Step 7: q-value-iteration.
        Check::public(7, "q_value_iteration_on_a_corridor", 2, || {
            // From state 1: Left −1 − 2, Down −1 − 1, Right −1 + 0, Up −1 − 1.
            let mdp = grid_mdp(&corridor(3), true);
            let result = ok(sut::q_value_iteration(&mdp, sut::Settings::new(1.0)))?;
            close_array(
                "Q",
                &result.q,
                &array![
                    [-3.0, -3.0, -2.0, -3.0],
                    [-3.0, -2.0, -1.0, -2.0],
                    [0.0, 0.0, 0.0, 0.0]
                ],
                EXACT,
            )
        }),
        Check::public(7, "in_place_sweep_by_hand", 2, || {
            // Terminal on the left: state 2 reads the new v(1) = −1 at once (−2), where a
            // synchronous sweep reads the old −5 and gives −6.
            let grid = sut::Gridworld::new(1, 3)
                .step_reward(-1.0)
                .off_grid_reward(-1.0)
                .terminal((0, 0));
            let mdp = grid_mdp(&grid, true);
            let mut v = array![0.0, -5.0, -5.0];
            let delta = sut::in_place_sweep(&mdp, v.view_mut(), 1.0);
            close_array("v", &v, &array![0.0, -1.0, -2.0], EXACT).hint_if(
                (v[2] + 6.0).abs() < 1e-12,
                "this sweep is synchronous: write each new value into v at once",
            )?;
            close("largest change", delta, 4.0, EXACT)
        }),
    ]
}
