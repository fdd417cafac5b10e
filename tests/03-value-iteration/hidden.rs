//! Hidden checks: Sutton & Barto's Figures 3.2, 3.5 and 4.1, FrozenLake 4×4, the convergence
//! contract, random MDPs from a seed, and bad input.

use std::time::Duration;

use mlings_grader::assert::{Tol, close, close_array, close_slice, ensure, near};
use mlings_grader::{Check, Failure, Outcome, OutcomeExt, expect_err, ok};
use ndarray::{Array1, Array2};

use super::oracle::{
    self, Norm, Sweep, corridor, figure_3_2, figure_4_1, frozen_lake, grid_mdp, random_mdp,
    random_policy, random_values,
};
use super::steps::{
    GREEDY_POLICY, MODEL, POLICY_EVALUATION, POLICY_ITERATION, Q_VALUE, Q_VALUE_ITERATION,
    VALUE_ITERATION,
};
use super::{EXACT, in_sets, same};
use crate::sut;

/// `data/sutton-barto/figure-3.2.txt`: v_π of the random policy (Sutton & Barto, Figure 3.2).
const FIGURE_3_2: &str = include_str!("../../data/sutton-barto/figure-3.2.txt");
/// `data/sutton-barto/figure-3.5.txt`: v* and every optimal action (Figure 3.5).
const FIGURE_3_5: &str = include_str!("../../data/sutton-barto/figure-3.5.txt");
/// `data/sutton-barto/figure-4.1.txt`: v_π after sweeps 1, 2, 3 and at convergence (Figure 4.1).
const FIGURE_4_1: &str = include_str!("../../data/sutton-barto/figure-4.1.txt");
/// `data/frozenlake/optimal.txt`: FrozenLake 4×4 optimal values and tied actions per γ.
const FROZEN_LAKE: &str = include_str!("../../data/frozenlake/optimal.txt");

/// The discounts FrozenLake is graded at, with their section names.
const LAKE_GAMMAS: [(f64, &str); 3] = [(0.9, "0.9"), (0.99, "0.99"), (1.0, "1.0")];

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: model.
        Check::hidden(MODEL, "validate_names_every_kind_of_bad_table", 3, || {
            let t = sut::Transition::new;
            let ok_row = || vec![vec![t(1.0, 0, 0.0)], vec![t(0.5, 1, 1.0), t(0.5, 0, -1.0)]];
            let with = |outcomes: Vec<sut::Transition>| {
                vec![ok_row(), vec![vec![t(1.0, 1, 0.0)], outcomes]]
            };
            let two = [false, false];
            // Thirds that add up to 1 only up to rounding are fine.
            ok(sut::validate(
                &with(vec![
                    t(1.0 / 3.0, 0, 0.0),
                    t(1.0 / 3.0, 1, 0.0),
                    t(1.0 / 3.0, 1, 2.0),
                ]),
                &two,
            ))?;
            expect_err("an empty table", sut::validate(&[], &[]), |e| {
                matches!(e, sut::DpError::EmptyModel(_))
            })?;
            expect_err(
                "states with no actions",
                sut::validate(&[vec![], vec![]], &two),
                |e| matches!(e, sut::DpError::EmptyModel(_)),
            )?;
            expect_err(
                "state 1 with 1 action, state 0 with 2",
                sut::validate(&[ok_row(), vec![vec![t(1.0, 1, 0.0)]]], &two),
                |e| matches!(e, sut::DpError::ShapeMismatch(_)),
            )?;
            expect_err(
                "3 terminal flags for 2 states",
                sut::validate(&with(vec![t(1.0, 0, 0.0)]), &[false, false, true]),
                |e| matches!(e, sut::DpError::ShapeMismatch(_)),
            )?;
            expect_err(
                "no outcome in state 1, action 1",
                sut::validate(&with(vec![]), &two),
                |e| {
                    matches!(
                        e,
                        sut::DpError::NoOutcomes {
                            state: 1,
                            action: 1
                        }
                    )
                },
            )?;
            expect_err(
                "probabilities −0.25 and 1.25",
                sut::validate(&with(vec![t(-0.25, 0, 0.0), t(1.25, 1, 0.0)]), &two),
                |e| {
                    matches!(
                        e,
                        sut::DpError::BadProbability {
                            state: 1,
                            action: 1,
                            ..
                        }
                    )
                },
            )?;
            expect_err(
                "a NaN probability",
                sut::validate(&with(vec![t(f64::NAN, 0, 0.0)]), &two),
                |e| {
                    matches!(
                        e,
                        sut::DpError::BadProbability {
                            state: 1,
                            action: 1,
                            ..
                        }
                    )
                },
            )?;
            expect_err(
                "next state 2 of 2",
                sut::validate(&with(vec![t(1.0, 2, 0.0)]), &two),
                |e| {
                    matches!(
                        e,
                        sut::DpError::NextStateOutOfRange {
                            state: 1,
                            action: 1,
                            next: 2,
                            n_states: 2
                        }
                    )
                },
            )?;
            expect_err(
                "a NaN reward",
                sut::validate(&with(vec![t(1.0, 0, f64::NAN)]), &two),
                |e| {
                    matches!(
                        e,
                        sut::DpError::BadReward {
                            state: 1,
                            action: 1,
                            ..
                        }
                    )
                },
            )?;
            expect_err(
                "probabilities summing to 1 + 1e-6",
                sut::validate(&with(vec![t(0.5, 0, 0.0), t(0.500001, 1, 0.0)]), &two),
                |e| {
                    matches!(
                        e,
                        sut::DpError::ProbabilitiesDoNotSumToOne {
                            state: 1,
                            action: 1,
                            ..
                        }
                    )
                },
            )?;
            // Terminal states are validated like any other.
            expect_err(
                "a terminal state summing to 0.5",
                sut::validate(&with(vec![t(0.5, 1, 0.0)]), &[false, true]),
                |e| {
                    matches!(
                        e,
                        sut::DpError::ProbabilitiesDoNotSumToOne {
                            state: 1,
                            action: 1,
                            ..
                        }
                    )
                },
            )?;
            // Through the kit's constructor too.
            expect_err(
                "Mdp::new with a sum of 0.9",
                sut::Mdp::new(with(vec![t(0.9, 0, 0.0)]), two.to_vec()),
                |e| matches!(e, sut::DpError::ProbabilitiesDoNotSumToOne { .. }),
            )
        }),
        Check::hidden(
            MODEL,
            "gridworld_outcomes_follow_the_rules_on_every_cell",
            3,
            || {
                // The book's grids and a grid with every rule: entry rewards, terminals next to a
                // teleport, a cost per step different from the off-grid one.
                let mixed = sut::Gridworld::new(3, 4)
                    .step_reward(-0.04)
                    .off_grid_reward(-0.5)
                    .terminal((0, 3))
                    .entry_reward((0, 3), 1.0)
                    .terminal((1, 3))
                    .entry_reward((1, 3), -1.0)
                    .teleport((2, 0), (0, 0), 2.0);
                for grid in [figure_3_2(), figure_4_1(), mixed] {
                    compare_grid(&grid)?;
                }
                Ok(())
            },
        ),
        Check::hidden(MODEL, "frozen_lake_slips_one_third_each_way", 3, || {
            // Gymnasium: directions (a − 1) % 4, a, (a + 1) % 4, 1/3 each; +1 on entering G.
            compare_grid(&frozen_lake())
        }),
        Check::hidden(MODEL, "figure_3_2_from_your_gridworld", 2, || {
            // Your model of Example 3.5, evaluated by the suite's oracle, is Figure 3.2.
            let mdp = ok(figure_3_2().to_mdp())?;
            let v = oracle::v_pi(&mdp, &sut::uniform_policy(&mdp), 0.9);
            let got = to_grid(&v, 5);
            close_array(
                "v_π of your Figure 3.2 model",
                &got,
                &grid(FIGURE_3_2, "v"),
                Tol::abs(1e-9),
            )
            .hint_if(
                near(got[[0, 0]], 5.8, 0.01) && near(got[[0, 1]], 10.7, 0.01),
                "the off-grid −1 is forgotten: a move off the grid stays in place and earns −1",
            )
        }),
        // Step 2: q-value.
        Check::hidden(
            Q_VALUE,
            "q_value_matches_the_oracle_on_random_mdps",
            3,
            || {
                for seed in 0..4 {
                    let mdp = random_mdp(20 + seed, 12, 3);
                    let v = random_values(30 + seed, 12);
                    let gamma = [0.9, 0.5, 1.0, 0.0][seed as usize];
                    for s in 0..12 {
                        for a in 0..3 {
                            let got = sut::q_value(&mdp, v.view(), s, a, gamma);
                            let wrong = oracle::q(&mdp, &v, s, a, gamma, true);
                            close(
                                &format!("seed {seed}, γ = {gamma}: q({s}, {a})"),
                                got,
                                oracle::q(&mdp, &v, s, a, gamma, false),
                                EXACT,
                            )
                            .hint_if(
                                near(got, wrong, 1e-12),
                                "γ multiplies the reward too: q = r + γ·V(s′), not γ·(r + V(s′))",
                            )?;
                        }
                    }
                }
                Ok(())
            },
        ),
        Check::hidden(
            Q_VALUE,
            "q_values_of_v_star_reproduce_figure_3_5",
            2,
            || {
                // maxₐ q(s, a; v*) = v*(s) everywhere; from A every action gives 10 + 0.9 v*(A′).
                let mdp = grid_mdp(&figure_3_2(), true);
                let v_star = flat(&grid(FIGURE_3_5, "v"));
                let best = Array1::from_shape_fn(25, |s| {
                    (0..4)
                        .map(|a| sut::q_value(&mdp, v_star.view(), s, a, 0.9))
                        .fold(f64::NEG_INFINITY, f64::max)
                });
                for a in 0..4 {
                    close(
                        &format!("q(A, {a})"),
                        sut::q_value(&mdp, v_star.view(), 1, a, 0.9),
                        10.0 + 0.9 * v_star[21],
                        EXACT,
                    )?;
                }
                close_array("maxₐ q(s, a; v*)", &best, &v_star, Tol::abs(1e-9))
            },
        ),
        // Step 3: policy-evaluation.
        Check::hidden(
            POLICY_EVALUATION,
            "figure_3_2_values_of_the_random_policy",
            4,
            || {
                let mdp = grid_mdp(&figure_3_2(), true);
                let result = ok(sut::evaluate_policy(
                    &mdp,
                    sut::uniform_policy(&mdp).view(),
                    sut::Settings::new(0.9).theta(1e-10),
                ))?;
                let got = to_grid(&result.v, 5);
                let expected = grid(FIGURE_3_2, "v");
                // Stopped below θ = 1e-10 with γ = 0.9: within 9e-10 of v_π.
                close_array("v_π (Figure 3.2)", &got, &expected, Tol::abs(1e-8))
                .hint_if(same(&got, &(&expected * 0.9), 1e-6), "every value is 0.9× the book's: γ multiplies the reward; it should discount only V(s′)")
            },
        ),
        Check::hidden(
            POLICY_EVALUATION,
            "figure_4_1_after_sweeps_1_2_and_3",
            4,
            || {
                // Terminal corners keep ordinary −1 moves in this model: only skipping them keeps 0.
                let mdp = grid_mdp(&figure_4_1(), false);
                let pi = sut::uniform_policy(&mdp);
                let mut v = Array1::zeros(16);
                for k in 1..=3 {
                    v = sut::evaluation_sweep(&mdp, pi.view(), v.view(), 1.0);
                    let got = to_grid(&v, 4);
                    close_array(&format!("v after sweep {k}"), &got, &grid(FIGURE_4_1, &format!("sweep {k}")), EXACT)
                    .hint_if(k == 1 && near(got[[0, 2]], -1.25, 1e-9) && near(got[[0, 3]], -1.3125, 1e-9), "this is an in-place (Gauss–Seidel) sweep: compute every new value from the old values only")
                    .hint_if(got[[0, 0]] != 0.0 || got[[3, 3]] != 0.0, "terminal states are updated: they must keep value 0 (here they drift by −1 per sweep)")?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            POLICY_EVALUATION,
            "figure_4_1_converges_to_the_book_values",
            3,
            || {
                // Episodic, γ = 1: the random policy reaches a corner from everywhere.
                let mdp = grid_mdp(&figure_4_1(), false);
                let result = ok(sut::evaluate_policy(
                    &mdp,
                    sut::uniform_policy(&mdp).view(),
                    sut::Settings::new(1.0).theta(1e-10),
                ))?;
                let got = to_grid(&result.v, 4);
                close_array(
                    "v_π (Figure 4.1, k = ∞)",
                    &got,
                    &grid(FIGURE_4_1, "converged"),
                    Tol::abs(1e-6),
                )
                .hint_if(
                    got[[0, 0]] != 0.0,
                    "terminal states are updated: they must keep value 0",
                )
            },
        ),
        Check::hidden(
            POLICY_EVALUATION,
            "terminal_states_stay_zero_under_evaluation",
            2,
            || {
                for seed in 0..3 {
                    let mdp = random_mdp(50 + seed, 14, 3);
                    let pi = random_policy(60 + seed, 14, 3);
                    let result = ok(sut::evaluate_policy(
                        &mdp,
                        pi.view(),
                        sut::Settings::new(0.9).theta(1e-11),
                    ))?;
                    for s in (0..14).filter(|&s| mdp.is_terminal(s)) {
                        ensure(result.v[s] == 0.0, || format!("seed {seed}: terminal state {s} has value {}, expected 0", result.v[s]))
                        .hint("terminal states are updated: skip them in every sweep, their value stays 0")?;
                    }
                    close_array(
                        &format!("seed {seed}: v_π"),
                        &result.v,
                        &oracle::v_pi(&mdp, &pi, 0.9),
                        Tol::abs(1e-9),
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            POLICY_EVALUATION,
            "evaluation_rejects_bad_input_without_looping",
            3,
            || {
                let mdp = grid_mdp(&figure_4_1(), true);
                let pi = sut::uniform_policy(&mdp);
                let run = |settings: sut::Settings| sut::evaluate_policy(&mdp, pi.view(), settings);
                for gamma in [-0.1, 1.1, f64::NAN] {
                    expect_err(
                        &format!("γ = {gamma}"),
                        run(sut::Settings::new(gamma)),
                        |e| matches!(e, sut::DpError::InvalidGamma(_)),
                    )?;
                }
                for theta in [0.0, -1e-3, f64::NAN] {
                    expect_err(
                        &format!("θ = {theta}"),
                        run(sut::Settings::new(0.9).theta(theta)),
                        |e| matches!(e, sut::DpError::InvalidTheta(_)),
                    )?;
                }
                expect_err(
                    "a policy of shape (16, 3)",
                    sut::evaluate_policy(
                        &mdp,
                        Array2::from_elem((16, 3), 1.0 / 3.0).view(),
                        sut::Settings::new(0.9),
                    ),
                    |e| matches!(e, sut::DpError::ShapeMismatch(_)),
                )?;
                expect_err(
                    "a policy whose rows sum to 0.9",
                    sut::evaluate_policy(&mdp, (&pi * 0.9).view(), sut::Settings::new(0.9)),
                    |e| matches!(e, sut::DpError::InvalidPolicy(_)),
                )?;
                // "Always left" with γ = 1: the left column walks into the wall forever, −1 a sweep.
                let left = sut::deterministic_policy(&[0; 16], 4);
                expect_err(
                    "γ = 1 with a policy that never terminates (500 sweeps at most)",
                    sut::evaluate_policy(
                        &mdp,
                        left.view(),
                        sut::Settings::new(1.0).max_sweeps(500),
                    ),
                    |e| matches!(e, sut::DpError::DidNotConverge { .. }),
                )
            },
        )
        .timeout(Duration::from_secs(10)),
        // Step 4: greedy-policy.
        Check::hidden(GREEDY_POLICY, "figure_3_5_every_optimal_action", 4, || {
            let mdp = grid_mdp(&figure_3_2(), true);
            let v_star = flat(&grid(FIGURE_3_5, "v"));
            let expected = action_sets(FIGURE_3_5, "optimal actions");
            let got = sut::greedy_actions(&mdp, v_star.view(), 0.9, 1e-6);
            compare_sets("Figure 3.5", &got, &expected, 5)?;
            let policy = sut::greedy_policy(&mdp, v_star.view(), 0.9);
            in_sets("Figure 3.5: greedy policy", &policy, &expected, 5)
        }),
        Check::hidden(
            GREEDY_POLICY,
            "frozen_lake_every_tied_optimal_action",
            3,
            || {
                let mdp = grid_mdp(&frozen_lake(), true);
                for (gamma, name) in LAKE_GAMMAS {
                    let v = flat(&grid(FROZEN_LAKE, &format!("gamma {name} v")));
                    let expected = action_sets(FROZEN_LAKE, &format!("gamma {name} actions"));
                    let got = sut::greedy_actions(&mdp, v.view(), gamma, 1e-8);
                    compare_sets(&format!("FrozenLake, γ = {name}"), &got, &expected, 4)?;
                    let policy = sut::greedy_policy(&mdp, v.view(), gamma);
                    in_sets(
                        &format!("FrozenLake, γ = {name}: greedy policy"),
                        &policy,
                        &expected,
                        4,
                    )?;
                }
                Ok(())
            },
        ),
        // Step 5: value-iteration.
        Check::hidden(
            VALUE_ITERATION,
            "figure_3_5_optimal_values_and_actions",
            4,
            || {
                let mdp = grid_mdp(&figure_3_2(), true);
                let result = ok(sut::value_iteration(
                    &mdp,
                    sut::Settings::new(0.9).theta(1e-10),
                ))?;
                let got = to_grid(&result.v, 5);
                let expected = grid(FIGURE_3_5, "v");
                // ‖V − V*‖ < γθ / (1 − γ) = 9e-10.
                close_array("v* (Figure 3.5)", &got, &expected, Tol::abs(1e-9))
                .hint_if(same(&got, &(&expected * 0.9), 1e-6), "every value is 0.9× the book's: γ multiplies the reward; it should discount only V(s′)")?;
                in_sets(
                    "Figure 3.5: policy",
                    &result.policy,
                    &action_sets(FIGURE_3_5, "optimal actions"),
                    5,
                )
            },
        ),
        Check::hidden(
            VALUE_ITERATION,
            "frozen_lake_optimal_values_at_three_discounts",
            4,
            || {
                let mdp = grid_mdp(&frozen_lake(), true);
                for (gamma, name) in LAKE_GAMMAS {
                    let result = ok(sut::value_iteration(
                        &mdp,
                        sut::Settings::new(gamma).theta(1e-12),
                    ))?;
                    // The reference values are converged to ~1e-11; γ = 1 converges more slowly.
                    close_array(
                        &format!("FrozenLake V*, γ = {name}"),
                        &to_grid(&result.v, 4),
                        &grid(FROZEN_LAKE, &format!("gamma {name} v")),
                        Tol::abs(1e-8),
                    )?;
                    in_sets(
                        &format!("FrozenLake, γ = {name}: policy"),
                        &result.policy,
                        &action_sets(FROZEN_LAKE, &format!("gamma {name} actions")),
                        4,
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            VALUE_ITERATION,
            "convergence_contract_holds_for_loose_thresholds",
            3,
            || {
                let cases = [
                    (grid_mdp(&figure_3_2(), true), 0.9),
                    (random_mdp(70, 20, 3), 0.95),
                    (random_mdp(71, 25, 4), 0.8),
                ];
                for (k, (mdp, gamma)) in cases.iter().enumerate() {
                    let v_star = oracle::v_star(mdp, *gamma);
                    for theta in [1e-1, 1e-3] {
                        let result = ok(sut::value_iteration(
                            mdp,
                            sut::Settings::new(*gamma).theta(theta),
                        ))?;
                        let (_, deltas) = oracle::iterate(mdp, None, *gamma, theta, Norm::Max);
                        let (_, sums) = oracle::iterate(mdp, None, *gamma, theta, Norm::Sum);
                        let what = format!("case {k}, γ = {gamma}, θ = {theta:e}");
                        let summed = result.sweeps == sums.len()
                            || result
                                .deltas
                                .first()
                                .is_some_and(|&d| near(d, sums[0], 1e-9) && sums[0] != deltas[0]);
                        ensure(result.deltas.len() == result.sweeps, || {
                            format!(
                                "{what}: {} deltas for {} sweeps",
                                result.deltas.len(),
                                result.sweeps
                            )
                        })?;
                        close_slice(&format!("{what}: largest change per sweep"), &result.deltas, &deltas, Tol::rel_floor(1e-9, 1e-12))
                        .hint_if(summed, "the change of a sweep is summed over states: use the largest change (max-norm)")?;
                        let bound = gamma * theta / (1.0 - gamma);
                        let err = v_star
                            .iter()
                            .zip(result.v.iter())
                            .map(|(a, b)| (a - b).abs())
                            .fold(0.0, f64::max);
                        ensure(err <= bound + 1e-12, || {
                            format!("{what}: ‖V − V*‖∞ = {err:.3e} > γθ/(1 − γ) = {bound:.3e}")
                        })?;
                    }
                }
                Ok(())
            },
        ),
        Check::hidden(
            VALUE_ITERATION,
            "terminal_states_stay_zero_and_episodic_gamma_1_converges",
            2,
            || {
                // Figure 4.1's grid with non-absorbing corners, γ = 1: v* is minus the distance to the
                // nearest corner.
                let mdp = grid_mdp(&figure_4_1(), false);
                // Updated, the corners drift by −1 a sweep and never converge: the cap ends the
                // run with a last change of exactly 1.
                let result = match sut::value_iteration(
                    &mdp,
                    sut::Settings::new(1.0).max_sweeps(1_000),
                ) {
                    Err(sut::DpError::DidNotConverge {
                        sweeps,
                        last_change,
                    }) => {
                        return Err(Failure::new(format!(
                            "γ = 1, non-absorbing terminal corners: did not converge after {sweeps} sweeps (last change {last_change}), expected convergence in 4 sweeps"
                        )))
                        .hint_if(last_change == 1.0, "terminal states are updated: they must keep value 0 (here they drift by −1 per sweep)");
                    }
                    other => ok(other)?,
                };
                let expected =
                    Array2::from_shape_fn((4, 4), |(r, c)| -((r + c).min(6 - r - c) as f64));
                close_array("v* with γ = 1", &to_grid(&result.v, 4), &expected, EXACT).hint_if(
                    result.v[0] != 0.0 || result.v[15] != 0.0,
                    "terminal states are updated: they must keep value 0",
                )
            },
        ),
        Check::hidden(
            VALUE_ITERATION,
            "random_mdps_small_residual_and_optimal_greedy_policy",
            3,
            || {
                for seed in 0..3 {
                    let mdp = random_mdp(80 + seed, 30, 4);
                    let (gamma, theta) = (0.95, 1e-10);
                    let result = ok(sut::value_iteration(
                        &mdp,
                        sut::Settings::new(gamma).theta(theta),
                    ))?;
                    // V_k = T V_{k−1}, so ‖T V_k − V_k‖ ≤ γ ‖V_k − V_{k−1}‖ < γθ.
                    let residual = oracle::bellman_residual(&mdp, &result.v, gamma);
                    ensure(residual <= gamma * theta + 1e-12, || {
                        format!(
                            "seed {seed}: Bellman optimality residual ‖TV − V‖∞ = {residual:.3e}, expected < γθ = {:.1e}",
                            gamma * theta
                        )
                    })?;
                    let v_star = oracle::v_star(&mdp, gamma);
                    let pi = sut::deterministic_policy(&result.policy, 4);
                    close_array(
                        &format!("seed {seed}: values of your greedy policy"),
                        &oracle::v_pi(&mdp, &pi, gamma),
                        &v_star,
                        Tol::abs(1e-8),
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            VALUE_ITERATION,
            "value_iteration_rejects_bad_settings",
            2,
            || {
                let mdp = grid_mdp(&figure_4_1(), true);
                expect_err(
                    "γ = 1.5",
                    sut::value_iteration(&mdp, sut::Settings::new(1.5)),
                    |e| matches!(e, sut::DpError::InvalidGamma(_)),
                )?;
                expect_err(
                    "θ = 0",
                    sut::value_iteration(&mdp, sut::Settings::new(0.9).theta(0.0)),
                    |e| matches!(e, sut::DpError::InvalidTheta(_)),
                )?;
                expect_err(
                    "θ = −1",
                    sut::value_iteration(&mdp, sut::Settings::new(0.9).theta(-1.0)),
                    |e| matches!(e, sut::DpError::InvalidTheta(_)),
                )?;
                // One state that pays +1 forever: with γ = 1 its value grows by 1 a sweep.
                let forever = pays_one_forever();
                expect_err(
                    "γ = 1 on a task that never ends (300 sweeps at most)",
                    sut::value_iteration(&forever, sut::Settings::new(1.0).max_sweeps(300)),
                    |e| matches!(e, sut::DpError::DidNotConverge { .. }),
                )
            },
        )
        .timeout(Duration::from_secs(10)),
        // Step 6: policy-iteration.
        Check::hidden(
            POLICY_ITERATION,
            "policy_iteration_agrees_with_value_iteration_on_random_mdps",
            2,
            || {
                for seed in 0..4 {
                    let mdp = random_mdp(90 + seed, 25, 3);
                    let gamma = 0.9;
                    let result = ok(sut::policy_iteration(
                        &mdp,
                        sut::Settings::new(gamma).theta(1e-11),
                    ))?;
                    let v_star = oracle::v_star(&mdp, gamma);
                    close_array(
                        &format!("seed {seed}: V of policy iteration vs value iteration"),
                        &result.v,
                        &v_star,
                        Tol::abs(1e-8),
                    )?;
                    let sets = oracle::greedy_sets(&mdp, &v_star, gamma, 1e-9);
                    in_sets(&format!("seed {seed}: policy"), &result.policy, &sets, 25)?;
                    ensure(
                        result.evaluations >= 1 && result.sweeps >= result.evaluations,
                        || {
                            format!(
                                "seed {seed}: {} evaluations in {} sweeps",
                                result.evaluations, result.sweeps
                            )
                        },
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            POLICY_ITERATION,
            "policy_iteration_solves_figure_3_5_and_frozen_lake",
            3,
            || {
                let mdp = grid_mdp(&figure_3_2(), true);
                let result = ok(sut::policy_iteration(
                    &mdp,
                    sut::Settings::new(0.9).theta(1e-11),
                ))?;
                close_array(
                    "Figure 3.5: v*",
                    &to_grid(&result.v, 5),
                    &grid(FIGURE_3_5, "v"),
                    Tol::abs(1e-8),
                )?;
                in_sets(
                    "Figure 3.5: policy",
                    &result.policy,
                    &action_sets(FIGURE_3_5, "optimal actions"),
                    5,
                )?;
                let lake = grid_mdp(&frozen_lake(), true);
                for (gamma, name) in LAKE_GAMMAS {
                    let result = ok(sut::policy_iteration(
                        &lake,
                        sut::Settings::new(gamma).theta(1e-12),
                    ))?;
                    close_array(
                        &format!("FrozenLake V*, γ = {name}"),
                        &to_grid(&result.v, 4),
                        &grid(FROZEN_LAKE, &format!("gamma {name} v")),
                        Tol::abs(1e-8),
                    )?;
                    in_sets(
                        &format!("FrozenLake, γ = {name}: policy"),
                        &result.policy,
                        &action_sets(FROZEN_LAKE, &format!("gamma {name} actions")),
                        4,
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            POLICY_ITERATION,
            "policy_iteration_keeps_an_action_within_1e_9_times_1_plus_abs_q_of_the_best",
            1,
            || {
                // State 0: action 0 ends the episode with reward r, action 1 goes to state 1 with
                // reward r + gap. State 1: action 0 ends with 0, action 1 with −10. γ = 1.
                // Evaluation 1 (random policy): V(1) = −5, so π₁ = (0, 0). Evaluation 2: V(1) = 0
                // exactly, and in state 0 action 1 is better by exactly `gap`: π₁(0) = 0 is kept
                // when gap ≤ 1e-9 · (1 + |q|), else action 1 replaces it.
                let t = sut::Transition::new;
                let two_ways = |r: f64, gap: f64| {
                    sut::Mdp::new_unchecked(
                        vec![
                            vec![vec![t(1.0, 2, r)], vec![t(1.0, 1, r + gap)]],
                            vec![vec![t(1.0, 2, 0.0)], vec![t(1.0, 2, -10.0)]],
                            vec![vec![t(1.0, 2, 0.0)], vec![t(1.0, 2, 0.0)]],
                        ],
                        vec![false, false, true],
                    )
                };
                // (r, gap, the stable action in state 0): within the tolerance near q = −100 and
                // near q = 0, and beyond it.
                for (r, gap, kept) in [(-100.0, 5e-8, 0), (0.0, 5e-10, 0), (0.0, 1e-6, 1)] {
                    let mdp = two_ways(r, gap);
                    let result = ok(sut::policy_iteration(&mdp, sut::Settings::new(1.0)))?;
                    let q = r + gap;
                    ensure(result.policy.len() == 3 && result.policy[0] == kept, || {
                        format!(
                            "q(0, 1) − q(0, 0) = {gap:e} at q ≈ {q}: policy {:?}, expected \
                             action {kept} in state 0 (tolerance 1e-9 · (1 + |q|) = {:e})",
                            result.policy,
                            1e-9 * (1.0 + q.abs())
                        )
                    })
                    .hint_if(
                        kept == 0 && result.policy.first() == Some(&1),
                        "the current action is dropped for one better by less than \
                         1e-9 · (1 + |q|): keep it within that tolerance, relative to |q|",
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            POLICY_ITERATION,
            "policy_iteration_gives_up_only_after_max_sweeps_improvements",
            1,
            || {
                // Every reward 0: each evaluation ends at its first sweep (Δ = 0), the first
                // improvement picks a deterministic policy and the second keeps it. One improvement
                // that changes the policy is allowed with max_sweeps = 1: 2 evaluations, Ok.
                let t = sut::Transition::new;
                let mdp = sut::Mdp::new_unchecked(
                    vec![
                        vec![vec![t(1.0, 1, 0.0)], vec![t(1.0, 1, 0.0)]],
                        vec![vec![t(1.0, 1, 0.0)], vec![t(1.0, 1, 0.0)]],
                    ],
                    vec![false, true],
                );
                let settings = sut::Settings::new(0.9).max_sweeps(1);
                let result = ok(sut::policy_iteration(&mdp, settings))?;
                ensure(result.evaluations == 2, || {
                    format!(
                        "{} evaluations, expected 2 (the random policy's, then π₁'s, which is \
                         stable)",
                        result.evaluations
                    )
                })
            },
        ),
        Check::hidden(
            POLICY_ITERATION,
            "policy_iteration_rejects_bad_settings",
            1,
            || {
                let mdp = grid_mdp(&corridor(3), true);
                expect_err(
                    "γ = −0.5",
                    sut::policy_iteration(&mdp, sut::Settings::new(-0.5)),
                    |e| matches!(e, sut::DpError::InvalidGamma(_)),
                )?;
                expect_err(
                    "θ = 0",
                    sut::policy_iteration(&mdp, sut::Settings::new(0.9).theta(0.0)),
                    |e| matches!(e, sut::DpError::InvalidTheta(_)),
                )
            },
        ),
        // Step 7: q-value-iteration.
        Check::hidden(
            Q_VALUE_ITERATION,
            "q_value_iteration_reaches_q_star",
            3,
            || {
                let cases = [
                    (grid_mdp(&figure_3_2(), true), 0.9),
                    (random_mdp(100, 20, 3), 0.9),
                    (grid_mdp(&figure_4_1(), false), 1.0),
                ];
                for (k, (mdp, gamma)) in cases.iter().enumerate() {
                    let theta = 1e-11;
                    let result = ok(sut::q_value_iteration(
                        mdp,
                        sut::Settings::new(*gamma).theta(theta),
                    ))?;
                    // Terminal rows first: an updated terminal row is what breaks Q* then.
                    for s in (0..mdp.n_states()).filter(|&s| mdp.is_terminal(s)) {
                        ensure(result.q.row(s).iter().all(|&q| q == 0.0), || {
                            format!(
                                "case {k}: terminal state {s} has Q = {}, expected 0",
                                result.q.row(s)
                            )
                        })
                        .hint("terminal states are updated: their action values stay 0")?;
                    }
                    let q_star = oracle::q_table(mdp, &oracle::v_star(mdp, *gamma), *gamma);
                    close_array(&format!("case {k}: Q*"), &result.q, &q_star, Tol::abs(1e-8))?;
                    // Synchronous sweeps: every change as the oracle's, not only the last one.
                    let expected = oracle::q_deltas(mdp, *gamma, theta, false, false);
                    let in_place = oracle::q_deltas(mdp, *gamma, theta, true, false);
                    ensure(result.deltas.len() == result.sweeps, || {
                        format!(
                            "case {k}: {} deltas for {} sweeps: expected one per sweep",
                            result.deltas.len(),
                            result.sweeps
                        )
                    })?;
                    close_slice(
                    &format!("case {k}: largest change of Q per sweep"),
                    &result.deltas,
                    &expected,
                    // The last changes are near θ = 1e-11, where rounding alone moves them by
                    // ~1e-15: absolute below 1e-6, relative above.
                    Tol::rel_floor(1e-6, 1e-6),
                )
                .hint_if(
                    result.deltas.len() == in_place.len()
                        && result.deltas.iter().zip(&in_place).all(|(a, b)| near(*a, *b, 1e-9)),
                    "Q is updated in place: compute every new Q(s, a) from the previous sweep's Q only",
                )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            Q_VALUE_ITERATION,
            "in_place_sweep_matches_gauss_seidel",
            2,
            || {
                for (k, mdp) in [grid_mdp(&figure_3_2(), true), random_mdp(110, 18, 3)]
                    .iter()
                    .enumerate()
                {
                    let start = random_values(111 + k as u64, mdp.n_states());
                    let mut v = start.clone();
                    let delta = sut::in_place_sweep(mdp, v.view_mut(), 0.9);
                    let expected = oracle::sweep(mdp, None, &start, 0.9, Sweep::InPlace, false);
                    let synchronous =
                        oracle::sweep(mdp, None, &start, 0.9, Sweep::Synchronous, false);
                    let reversed =
                        oracle::sweep(mdp, None, &start, 0.9, Sweep::InPlaceReversed, false);
                    close_array(&format!("case {k}: v after one in-place sweep"), &v, &expected, EXACT)
                    .hint_if(same(&v, &synchronous, 1e-12) && !same(&v, &reversed, 1e-12), "this sweep is synchronous: write each new value into v at once, so later states read it")
                    .hint_if(same(&v, &reversed, 1e-12), "the states are swept from the last to the first: sweep them in state order 0, 1, …, S − 1")?;
                    let change = expected
                        .iter()
                        .zip(start.iter())
                        .map(|(a, b)| (a - b).abs())
                        .fold(0.0, f64::max);
                    close(&format!("case {k}: largest change"), delta, change, EXACT)?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            Q_VALUE_ITERATION,
            "in_place_value_iteration_converges_in_no_more_sweeps",
            1,
            || {
                let cases = [
                    (grid_mdp(&figure_4_1(), false), 1.0),
                    (grid_mdp(&figure_3_2(), true), 0.9),
                    (grid_mdp(&frozen_lake(), true), 0.9),
                ];
                for (k, (mdp, gamma)) in cases.iter().enumerate() {
                    let theta = 1e-10;
                    let result = ok(sut::value_iteration_in_place(
                        mdp,
                        sut::Settings::new(*gamma).theta(theta),
                    ))?;
                    close_array(
                        &format!("case {k}: V*"),
                        &result.v,
                        &oracle::v_star(mdp, *gamma),
                        Tol::abs(1e-8),
                    )
                    .hint_if(
                        mdp.terminal()
                            .iter()
                            .zip(result.v.iter())
                            .any(|(&t, &v)| t && v != 0.0),
                        "terminal states are updated: they must keep value 0",
                    )?;
                    let (_, synchronous) = oracle::iterate(mdp, None, *gamma, theta, Norm::Max);
                    ensure(
                        result.sweeps <= synchronous.len() && result.deltas.len() == result.sweeps,
                        || {
                            format!(
                                "case {k}: {} in-place sweeps ({} deltas), synchronous value iteration needs {}",
                                result.sweeps,
                                result.deltas.len(),
                                synchronous.len()
                            )
                        },
                    )?;
                    in_sets(
                        &format!("case {k}: policy"),
                        &result.policy,
                        &oracle::greedy_sets(mdp, &result.v, *gamma, 1e-9),
                        mdp.n_states(),
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            Q_VALUE_ITERATION,
            "q_iteration_and_in_place_reject_bad_settings",
            1,
            || {
                let mdp = grid_mdp(&corridor(3), true);
                expect_err(
                    "Q-value iteration with γ = 2",
                    sut::q_value_iteration(&mdp, sut::Settings::new(2.0)),
                    |e| matches!(e, sut::DpError::InvalidGamma(_)),
                )?;
                expect_err(
                    "in-place value iteration with θ = −1",
                    sut::value_iteration_in_place(&mdp, sut::Settings::new(0.9).theta(-1.0)),
                    |e| matches!(e, sut::DpError::InvalidTheta(_)),
                )?;
                let forever = pays_one_forever();
                expect_err(
                    "Q-value iteration, γ = 1, a task that never ends",
                    sut::q_value_iteration(&forever, sut::Settings::new(1.0).max_sweeps(300)),
                    |e| matches!(e, sut::DpError::DidNotConverge { .. }),
                )
            },
        )
        .timeout(Duration::from_secs(10)),
    ]
}

/// Compares the learner's outcomes with the oracle's on every cell and action of `grid`.
fn compare_grid(grid: &sut::Gridworld) -> Outcome {
    for s in 0..grid.n_states() {
        for a in 0..4 {
            let got = grid.outcomes(s, a);
            let expected = oracle::grid_outcomes(grid, s, a, true);
            let total: f64 = got.iter().map(|t| t.prob).sum();
            let off_grid_free = grid.off_grid_reward != 0.0
                && got.iter().any(|t| t.next == s && t.reward == 0.0)
                && expected
                    .iter()
                    .any(|t| t.next == s && t.reward == grid.off_grid_reward);
            ensure(oracle::same_outcomes(&got, &expected), || {
                format!(
                    "{}×{} grid, state {s} {:?}, action {a} ({:?}): got {} (probabilities sum to {total}), expected {}",
                    grid.rows,
                    grid.cols,
                    grid.cell(s),
                    sut::Action::from_index(a),
                    oracle::show(&got),
                    oracle::show(&expected)
                )
            })
            .hint_if(off_grid_free, "the off-grid reward is forgotten: a move off the grid stays in place and earns off_grid_reward")?;
        }
    }
    Ok(())
}

/// The `[name]` section of a data file: its rows of space-separated fields.
fn section<'a>(text: &'a str, name: &str) -> Vec<Vec<&'a str>> {
    let header = format!("[{name}]");
    let mut lines = text.lines().map(str::trim).skip_while(|l| *l != header);
    assert!(
        lines.next().is_some(),
        "section {header} missing from the data file"
    );
    lines
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect()
}

/// A grid of numbers from a data file.
fn grid(text: &str, name: &str) -> Array2<f64> {
    let rows = section(text, name);
    Array2::from_shape_fn((rows.len(), rows[0].len()), |(r, c)| {
        rows[r][c].parse().expect("a number in the data file")
    })
}

/// A grid of action sets (letters L, D, R, U) from a data file, in state order.
fn action_sets(text: &str, name: &str) -> Vec<Vec<usize>> {
    section(text, name)
        .into_iter()
        .flatten()
        .map(|cell| {
            let mut set: Vec<usize> = cell
                .chars()
                .map(|c| "LDRU".find(c).expect("an action letter"))
                .collect();
            set.sort_unstable();
            set
        })
        .collect()
}

/// `v: (rows · cols)` as a `(rows, cols)` grid.
fn to_grid(v: &Array1<f64>, cols: usize) -> Array2<f64> {
    let rows = v.len().div_ceil(cols);
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        v.get(r * cols + c).copied().unwrap_or(f64::NAN)
    })
}

/// A grid as a vector, row-major.
fn flat(grid: &Array2<f64>) -> Array1<f64> {
    grid.iter().copied().collect()
}

/// Action letters of a set, for messages.
fn letters(set: &[usize]) -> String {
    set.iter()
        .map(|&a| sut::Action::from_index(a).letter())
        .collect()
}

/// Checks that the learner's sets of greedy actions are exactly the expected ones.
fn compare_sets(what: &str, got: &[Vec<usize>], expected: &[Vec<usize>], cols: usize) -> Outcome {
    ensure(got.len() == expected.len(), || {
        format!(
            "{what}: {} action sets for {} states",
            got.len(),
            expected.len()
        )
    })?;
    for (s, (g, e)) in got.iter().zip(expected).enumerate() {
        let mut sorted = g.clone();
        sorted.sort_unstable();
        sorted.dedup();
        ensure(&sorted == e, || {
            format!(
                "{what}: state {s} ({}, {}): greedy actions {:?} ({}), expected {:?} ({})",
                s / cols,
                s % cols,
                g,
                letters(g),
                e,
                letters(e)
            )
        })
        .hint_if(
            sorted.len() == 1 && e.len() > 1,
            "only one action is kept where several tie: keep every action within tol of the best",
        )?;
    }
    Ok(())
}

/// One state with one action that pays +1 and stays: with γ = 1 its value grows by 1 a sweep, so
/// no iteration converges.
fn pays_one_forever() -> sut::Mdp {
    sut::Mdp::new_unchecked(
        vec![vec![vec![sut::Transition::new(1.0, 0, 1.0)]]],
        vec![false],
    )
}
