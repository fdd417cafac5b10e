//! Public checks: small cases derived by hand or by the suite's oracle, shipped to learners.
//!
//! Every known mistake of the exercise fails one of these with a hint naming it, so a learner
//! holding only the release sees it; a hint fires only when the result is what that mistake
//! gives on the same input.

use std::time::Duration;

use mlings_grader::assert::{Tol, close, close_array, close_slice, ensure};
use mlings_grader::{Check, Failure, Outcome, OutcomeExt, expect_err, ok};
use ndarray::{Array1, array};

use super::oracle::{
    self, Norm, Sweep, corridor, figure_3_2, figure_4_1, frozen_lake, grid_mdp, random_mdp,
    random_policy,
};
use super::steps::{
    GREEDY_POLICY, MODEL, POLICY_EVALUATION, POLICY_ITERATION, Q_VALUE, Q_VALUE_ITERATION,
    VALUE_ITERATION,
};
use super::{EXACT, in_sets, same};
use crate::sut;

/// Every public check.
pub fn checks() -> Vec<Check> {
    [
        model(),
        q_value(),
        policy_evaluation(),
        greedy_policy(),
        value_iteration(),
        policy_iteration(),
        q_value_iteration(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The 1×3 corridor of `oracle::corridor`, its terminal cell on the right keeping ordinary −1
/// moves: only an algorithm that never updates it keeps its value at 0.
fn open_corridor() -> sut::Mdp {
    grid_mdp(&corridor(3), false)
}

/// A 1×`n` corridor, every move −1, terminal at the left end (absorbing).
fn corridor_to_the_left(n: usize) -> sut::Mdp {
    let grid = sut::Gridworld::new(1, n)
        .step_reward(-1.0)
        .off_grid_reward(-1.0)
        .terminal((0, 0));
    grid_mdp(&grid, true)
}

fn model() -> Vec<Check> {
    vec![
        Check::public(
            MODEL,
            "validate_accepts_distributions_and_rejects_sums_other_than_one",
            2,
            || {
                let t = sut::Transition::new;
                // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in f64: a distribution all the same.
                let good = vec![
                    vec![
                        vec![t(0.25, 0, 1.0), t(0.75, 1, 0.0)],
                        vec![t(0.7, 0, 1.0), t(0.2, 1, 0.0), t(0.1, 1, 2.0)],
                    ],
                    vec![vec![t(1.0, 1, 0.0)], vec![t(1.0, 1, 0.0)]],
                ];
                match sut::validate(&good, &[false, true]) {
                    Ok(()) => Ok(()),
                    Err(e) => Err(Failure::new(format!(
                        "a valid table (state 0, action 1 sums to 0.7 + 0.2 + 0.1): got the error \
                         \"{e}\", expected Ok"
                    ))),
                }
                .hint_if(
                    matches!(
                        sut::validate(&good, &[false, true]),
                        Err(sut::DpError::ProbabilitiesDoNotSumToOne { total, .. })
                            if total != 1.0 && (total - 1.0).abs() <= 1e-9
                    ),
                    "the sum is compared with 1 exactly: 0.7 + 0.2 + 0.1 = 0.9999999999999999 in \
                     f64; accept |∑ p − 1| ≤ 1e-9",
                )?;
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
        Check::public(
            MODEL,
            "validate_accepts_terminal_states_that_are_not_absorbing",
            1,
            || {
                // State 1 is terminal but its actions still move (to 0, reward 5): the algorithms
                // never read a terminal state's transitions, so the contract allows them.
                let t = sut::Transition::new;
                let table = vec![
                    vec![vec![t(1.0, 1, -1.0)], vec![t(1.0, 0, 0.0)]],
                    vec![vec![t(1.0, 0, 5.0)], vec![t(0.5, 0, 0.0), t(0.5, 1, 1.0)]],
                ];
                let got = sut::validate(&table, &[false, true]);
                let without_flags = sut::validate(&table, &[false, false]);
                ensure(got.is_ok(), || {
                    format!(
                        "terminal state 1 whose actions lead to state 0: got {got:?}, expected \
                         Ok (terminal states need not be absorbing)"
                    )
                })
                .hint_if(
                    without_flags.is_ok(),
                    "a terminal state that is not absorbing is refused: the contract allows any \
                     valid transitions there (no sweep reads them); validate them like any other",
                )
            },
        ),
        Check::public(
            MODEL,
            "validate_rejects_bad_probabilities_next_states_and_terminal_rows",
            2,
            || {
                let t = sut::Transition::new;
                let ok_row = || vec![vec![t(1.0, 0, 0.0)], vec![t(0.5, 1, 1.0), t(0.5, 0, -1.0)]];
                let with = |outcomes: Vec<sut::Transition>| {
                    vec![ok_row(), vec![vec![t(1.0, 1, 0.0)], outcomes]]
                };
                let two = [false, false];
                // Each case: what, the table, the terminal flags, the error expected, and the
                // hint when the table is accepted.
                type Expect = fn(&sut::DpError) -> bool;
                let cases: [(&str, _, [bool; 2], Expect, &str); 4] = [
                    (
                        "probabilities −0.25 and 1.25 (summing to 1)",
                        with(vec![t(-0.25, 0, 0.0), t(1.25, 1, 0.0)]),
                        two,
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
                        "a probability outside [0, 1] is accepted because the sum is 1: check \
                         0 ≤ p ≤ 1 for every outcome, not only the sum",
                    ),
                    (
                        "a NaN probability",
                        with(vec![t(f64::NAN, 0, 0.0)]),
                        two,
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
                        "a NaN probability is accepted: `p < 0.0 || p > 1.0` is false for NaN, \
                         and so is `|∑ p − 1| > 1e-9`; test `(0.0..=1.0).contains(&p)`",
                    ),
                    (
                        "next state 2 of 2 states",
                        with(vec![t(1.0, 2, 0.0)]),
                        two,
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
                        "a next state s′ ≥ S is accepted: every s′ must be below the number of states, s′ < S",
                    ),
                    (
                        "a terminal state whose action sums to 0.5",
                        with(vec![t(0.5, 1, 0.0)]),
                        [false, true],
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
                        "terminal states are skipped: validate their transitions like any other \
                         state's",
                    ),
                ];
                for (what, table, terminal, expected, hint) in cases {
                    let got = sut::validate(&table, &terminal);
                    // The mistake's signature: accepted with the flags given, and for the
                    // terminal case refused once the state is no longer flagged terminal.
                    let signature =
                        got.is_ok() && (terminal == two || sut::validate(&table, &two).is_err());
                    expect_err(what, got, expected).hint_if(signature, hint)?;
                }
                Ok(())
            },
        ),
        Check::public(
            MODEL,
            "gridworld_moves_bump_into_edges_and_teleport",
            3,
            || {
                let t = sut::Transition::new;
                // Figure 3.2: up from the corner bumps (−1, stay), right moves (0), A and B jump —
                // even Up from A, into the edge; the side edges do not wrap to the next row.
                let book = figure_3_2();
                // Figure 4.1: terminal corners absorb; other moves cost −1, off-grid ones too.
                let terminal = figure_4_1();
                // Every rule at once: a step cost apart from the off-grid one, a teleport, an entry
                // reward.
                let mixed = sut::Gridworld::new(3, 4)
                    .step_reward(-0.04)
                    .off_grid_reward(-0.5)
                    .terminal((0, 3))
                    .entry_reward((0, 3), 1.0)
                    .teleport((2, 0), (0, 0), 2.0);
                // Each case: the grid, s, a, the outcomes expected, and known mistakes' outcomes
                // with their hints.
                let cases: Vec<(&sut::Gridworld, usize, usize, Outcomes, Vec<Mistake>)> = vec![
                    (
                        &book,
                        0,
                        3,
                        vec![t(1.0, 0, -1.0)],
                        vec![(vec![t(1.0, 0, 0.0)], OFF_GRID_FREE)],
                    ),
                    (&book, 0, 2, vec![t(1.0, 1, 0.0)], vec![]),
                    (&book, 1, 0, vec![t(1.0, 21, 10.0)], vec![]),
                    (
                        &book,
                        1,
                        3,
                        vec![t(1.0, 21, 10.0)],
                        vec![(vec![t(1.0, 1, -1.0)], TELEPORT_AFTER_EDGE)],
                    ),
                    (&book, 3, 1, vec![t(1.0, 13, 5.0)], vec![]),
                    (
                        &book,
                        24,
                        1,
                        vec![t(1.0, 24, -1.0)],
                        vec![(vec![t(1.0, 24, 0.0)], OFF_GRID_FREE)],
                    ),
                    (&book, 12, 3, vec![t(1.0, 7, 0.0)], vec![]),
                    (
                        &book,
                        5,
                        0,
                        vec![t(1.0, 5, -1.0)],
                        vec![(vec![t(1.0, 4, 0.0)], WRAPS)],
                    ),
                    (
                        &book,
                        9,
                        2,
                        vec![t(1.0, 9, -1.0)],
                        vec![(vec![t(1.0, 10, 0.0)], WRAPS)],
                    ),
                    (
                        &terminal,
                        0,
                        2,
                        vec![t(1.0, 0, 0.0)],
                        vec![(vec![t(1.0, 1, -1.0)], NOT_ABSORBING)],
                    ),
                    (&terminal, 1, 0, vec![t(1.0, 0, -1.0)], vec![]),
                    (
                        &terminal,
                        4,
                        0,
                        vec![t(1.0, 4, -1.0)],
                        vec![(vec![t(1.0, 4, -2.0)], OFF_GRID_PLUS_STEP)],
                    ),
                    (
                        &mixed,
                        8,
                        1,
                        vec![t(1.0, 0, 2.0)],
                        vec![(vec![t(1.0, 0, 2.0 - 0.04)], TELEPORT_PLUS_STEP)],
                    ),
                    (
                        &mixed,
                        0,
                        3,
                        vec![t(1.0, 0, -0.5)],
                        vec![(vec![t(1.0, 0, -0.54)], OFF_GRID_PLUS_STEP)],
                    ),
                    (
                        &mixed,
                        2,
                        2,
                        vec![t(1.0, 3, 0.96)],
                        vec![(vec![t(1.0, 3, -0.04)], ENTRY_FORGOTTEN)],
                    ),
                ];
                for (grid, s, a, expected, mistakes) in cases {
                    compare_outcomes(grid, s, a, &expected, &mistakes)?;
                }
                Ok(())
            },
        ),
        Check::public(
            MODEL,
            "frozen_lake_slips_to_the_two_perpendicular_sides",
            2,
            || {
                let t = sut::Transition::new;
                let lake = frozen_lake();
                let third = 1.0 / 3.0;
                // (1, 2) Down: slides Left into the hole (1, 1), Down to (2, 2) or Right into the
                // hole (1, 3). (3, 2) Right: Down bumps (stays), Right enters G (+1), Up to (2, 2).
                let cases: Vec<(usize, usize, Outcomes, Vec<Mistake>)> = vec![
                    (
                        6,
                        1,
                        vec![t(third, 5, 0.0), t(third, 10, 0.0), t(third, 7, 0.0)],
                        vec![
                            (
                                vec![t(0.1, 5, 0.0), t(0.8, 10, 0.0), t(0.1, 7, 0.0)],
                                SLIP_80_10_10,
                            ),
                            (
                                vec![t(third, 2, 0.0), t(third, 10, 0.0), t(third, 7, 0.0)],
                                SLIP_BACKWARDS,
                            ),
                            (
                                vec![t(third, 5, 0.0), t(third, 10, 0.0), t(third, 2, 0.0)],
                                SLIP_BACKWARDS,
                            ),
                        ],
                    ),
                    (
                        14,
                        2,
                        vec![t(third, 14, 0.0), t(third, 15, 1.0), t(third, 10, 0.0)],
                        vec![
                            (
                                vec![t(0.1, 14, 0.0), t(0.8, 15, 1.0), t(0.1, 10, 0.0)],
                                SLIP_80_10_10,
                            ),
                            (
                                vec![t(third, 13, 0.0), t(third, 15, 1.0), t(third, 10, 0.0)],
                                SLIP_BACKWARDS,
                            ),
                            (
                                vec![t(third, 14, 0.0), t(third, 15, 1.0), t(third, 13, 0.0)],
                                SLIP_BACKWARDS,
                            ),
                        ],
                    ),
                ];
                for (s, a, expected, mistakes) in cases {
                    compare_outcomes(&lake, s, a, &expected, &mistakes)?;
                }
                Ok(())
            },
        ),
    ]
}

/// The outcomes of one move.
type Outcomes = Vec<sut::Transition>;
/// A known mistake: the outcomes it gives, and the hint that names it.
type Mistake = (Outcomes, &'static str);

const OFF_GRID_FREE: &str =
    "a move off the grid leaves the agent in place but still earns off_grid_reward (−1)";
const OFF_GRID_PLUS_STEP: &str =
    "a move off the grid earns off_grid_reward alone, not step_reward on top of it";
const TELEPORT_AFTER_EDGE: &str = "the edge is tested before the teleport: every action taken in a \
     teleporting cell jumps, even one that points off the grid (rule 2 comes before rule 4)";
const TELEPORT_PLUS_STEP: &str = "the jump earns its own reward only: step_reward applies to ordinary moves (rule 3), not to teleports";
const WRAPS: &str = "a move off the left or right edge wraps into the neighbouring row: test the \
     column against the grid's edges, not only the state index";
const NOT_ABSORBING: &str =
    "a terminal cell moves like any other: it is absorbing, every action stays there with reward 0";
const ENTRY_FORGOTTEN: &str = "the entry reward is forgotten: a move into a cell earns step_reward plus that cell's entry reward";
const SLIP_80_10_10: &str = "FrozenLake slips with probability 1/3 to each of the three \
     directions (a − 1, a, a + 1), not 0.8 / 0.1 / 0.1";
const SLIP_BACKWARDS: &str = "the agent slides backwards: the slips are the two perpendicular \
     moves (a + 3) % 4 and (a + 1) % 4, never the opposite one (a + 2) % 4";

/// Compares the learner's outcomes of `(s, a)` with `expected`, naming a known mistake whose
/// outcomes they are.
fn compare_outcomes(
    grid: &sut::Gridworld,
    s: usize,
    a: usize,
    expected: &[sut::Transition],
    mistakes: &[Mistake],
) -> Outcome {
    let got = grid.outcomes(s, a);
    let mut outcome = ensure(oracle::same_outcomes(&got, expected), || {
        format!(
            "{}×{} grid, state {s} {:?}, action {a} ({:?}): got {}, expected {}",
            grid.rows,
            grid.cols,
            grid.cell(s),
            sut::Action::from_index(a),
            oracle::show(&got),
            oracle::show(expected)
        )
    });
    for (wrong, hint) in mistakes {
        outcome = outcome.hint_if(oracle::same_outcomes(&got, wrong), hint);
    }
    outcome
}

fn q_value() -> Vec<Check> {
    vec![Check::public(Q_VALUE, "q_value_by_hand", 3, || {
        // 0.5 · (1 + 0.9 · 10) + 0.5 · (0 + 0.9 · 2) = 5.9. Known mistakes on the same input:
        // γ on the reward 5.85; no probabilities (1 + 9) + (0 + 1.8) = 11.8; V read at s
        // rather than s′ 0.5 · 2.8 + 0.5 · 1.8 = 2.3; V(s′) taken as 0 because s′ = 1 is
        // terminal 0.5 · 1 + 0.5 · 1.8 = 1.4.
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
        close("q(0, 0)", q0, 5.9, EXACT)
            .hint_if(
                (q0 - 5.85).abs() < 1e-9,
                "γ multiplies the reward too: q = r + γ·V(s′), not γ·(r + V(s′))",
            )
            .hint_if(
                (q0 - 11.8).abs() < 1e-9,
                "the outcomes are added up without their probabilities: weight each \
                 r + γ·V(s′) by p",
            )
            .hint_if(
                (q0 - 2.3).abs() < 1e-9,
                "V is read at the current state s: read it at each outcome's next state s′",
            )
            .hint_if(
                (q0 - 1.4).abs() < 1e-9,
                "V(s′) is taken as 0 because s′ is terminal: q reads v[s′] as given (the \
                 algorithms keep terminal values at 0 themselves)",
            )?;
        // −2 + 0.9 · 10 = 7.
        close(
            "q(0, 1)",
            sut::q_value(&mdp, v.view(), 0, 1, 0.9),
            7.0,
            EXACT,
        )
    })]
}

fn policy_evaluation() -> Vec<Check> {
    vec![
        Check::public(
            POLICY_EVALUATION,
            "evaluation_sweeps_on_a_corridor",
            2,
            || {
                // 1×3 corridor, terminal on the right (its moves still cost −1), random policy,
                // γ = 1. Sweep 1 from 0: every move costs −1, the terminal stays 0. Sweep 2: state 0
                // sees −1 + (−1) four times; state 1 sees −2, −2, −1 (into the terminal), −2: −1.75.
                // In place, sweep 1 would give state 1 −1.25; a max instead of the average gives
                // state 1 −1 in sweep 2; an updated terminal −1 in sweep 1.
                let mdp = open_corridor();
                let pi = sut::uniform_policy(&mdp);
                let v1 = sut::evaluation_sweep(&mdp, pi.view(), Array1::zeros(3).view(), 1.0);
                close_array("v after sweep 1", &v1, &array![-1.0, -1.0, 0.0], EXACT)
                .hint_if(
                    (v1[1] + 1.25).abs() < 1e-12,
                    "the sweep is in place: compute every new value from the old values only",
                )
                .hint_if(
                    (v1[2] + 1.0).abs() < 1e-12,
                    "the terminal state is updated: its value stays 0, whatever its transitions",
                )?;
                let v2 = sut::evaluation_sweep(&mdp, pi.view(), v1.view(), 1.0);
                close_array("v after sweep 2", &v2, &array![-2.0, -1.75, 0.0], EXACT).hint_if(
                    same(&v2, &array![-2.0, -1.0, 0.0], 1e-12),
                    "the sweep takes the best action: policy evaluation averages q over π(a|s), \
                 it does not maximise",
                )
            },
        ),
        Check::public(
            POLICY_EVALUATION,
            "evaluate_policy_of_a_two_state_chain",
            2,
            || {
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
                close_array("v", &result.v, &array![0.5 / 0.55, 0.0], Tol::abs(1e-11))?;
                let (_, deltas) = oracle::iterate(&mdp, Some(&pi), 0.9, 1e-12, Norm::Max);
                ensure(result.sweeps == deltas.len(), || {
                    format!(
                        "{} sweeps, expected {} (the sweep whose change fell below θ included)",
                        result.sweeps,
                        deltas.len()
                    )
                })
                .hint_if(
                    result.sweeps + 1 == deltas.len() || result.sweeps == deltas.len() + 1,
                    "the sweeps are counted off by one: count every sweep done, the last one \
                 (whose change fell below θ) included",
                )
            },
        ),
        Check::public(
            POLICY_EVALUATION,
            "evaluation_stops_at_the_first_sweep_below_theta",
            2,
            || {
                // The corridor's changes, by hand: 1, 1, 0.75, 0.5625, …; θ = 1 must not stop at
                // a change of exactly 1. The oracle counts the sweeps the right rule takes and
                // those of known mistakes (sum of changes, signed changes, Δ ≤ θ).
                let cases = [
                    (grid_mdp(&corridor(3), true), None, 1.0, 1e-3),
                    (grid_mdp(&corridor(3), true), None, 1.0, 1.0),
                    (grid_mdp(&figure_3_2(), true), Some(41), 0.9, 1e-3),
                    (random_mdp(40, 15, 3), Some(41), 0.8, 1e-6),
                ];
                for (mdp, seed, gamma, theta) in cases {
                    let pi = match seed {
                        Some(seed) => random_policy(seed, mdp.n_states(), mdp.n_actions()),
                        None => sut::uniform_policy(&mdp),
                    };
                    let result = ok(sut::evaluate_policy(
                        &mdp,
                        pi.view(),
                        sut::Settings::new(gamma).theta(theta),
                    ))?;
                    let count = |norm, or_equal| {
                        let deltas = oracle::deltas(&mdp, Some(&pi), gamma, norm, 5_000);
                        oracle::sweeps_to_stop(&deltas, theta, or_equal)
                    };
                    let (v, deltas) = oracle::iterate(&mdp, Some(&pi), gamma, theta, Norm::Max);
                    let right = deltas.len();
                    let got = Some(result.sweeps);
                    let what = format!("{} states, γ = {gamma}, θ = {theta:e}", mdp.n_states());
                    ensure(result.sweeps == right, || {
                        format!(
                            "{what}: {} sweeps, expected {right} (up to the first sweep whose \
                             largest change is below θ)",
                            result.sweeps
                        )
                    })
                    .hint_if(
                        got == count(Norm::Sum, false),
                        "the sweeps stop on the sum of the changes: stop when the largest \
                         (max-norm) change is below θ",
                    )
                    .hint_if(
                        got == count(Norm::Signed, false) && got != Some(right),
                        "the change is signed: Δ = maxₛ |V_new(s) − V(s)|, and values that \
                         fall change too",
                    )
                    .hint_if(
                        got == count(Norm::Max, true),
                        "the sweeps stop at Δ = θ: stop only when Δ < θ, strictly",
                    )
                    .hint_if(
                        result.sweeps + 1 == right && same(&result.v, &v, 1e-12),
                        "the sweeps are counted off by one: count every sweep done, the last \
                         one included",
                    )?;
                    close_array(&format!("{what}: v"), &result.v, &v, EXACT)?;
                }
                Ok(())
            },
        ),
        Check::public(
            POLICY_EVALUATION,
            "evaluation_gives_up_after_max_sweeps",
            1,
            || {
                // "Always left" on the corridor with γ = 1 never reaches the terminal: −1 a sweep.
                let mdp = grid_mdp(&corridor(3), true);
                let left = sut::deterministic_policy(&[0; 3], 4);
                match sut::evaluate_policy(&mdp, left.view(), sut::Settings::new(1.0).max_sweeps(5))
                {
                    Err(sut::DpError::DidNotConverge {
                        sweeps,
                        last_change,
                    }) => {
                        ensure(sweeps == 5, || {
                            format!(
                                "DidNotConverge after {sweeps} sweeps, expected after 5 (the cap)"
                            )
                        })
                        .hint_if(
                            sweeps == 6,
                            "the cap is tested one sweep late: give up as soon as sweeps ≥ \
                         max_sweeps",
                        )?;
                        close("last_change", last_change, 1.0, EXACT)
                    }
                    other => Err(Failure::new(format!(
                        "γ = 1, a policy that never terminates, max_sweeps 5: got {other:?}, \
                     expected Err(DidNotConverge {{ sweeps: 5, last_change: 1.0 }})"
                    ))),
                }
            },
        )
        .timeout(Duration::from_secs(10)),
    ]
}

fn greedy_policy() -> Vec<Check> {
    vec![
        Check::public(
            GREEDY_POLICY,
            "greedy_actions_and_policy_on_a_corridor",
            2,
            || {
                // V = (−2, −1, 0): only Right (2) moves towards the terminal. The terminal state
                // keeps ordinary moves here, whose q-values differ: every action is greedy there
                // all the same.
                let mdp = open_corridor();
                let v = array![-2.0, -1.0, 0.0];
                let sets = sut::greedy_actions(&mdp, v.view(), 1.0, 1e-9);
                let all_q_negative =
                    |s: usize| (0..4).all(|a| oracle::q(&mdp, &v, s, a, 1.0, false) < 0.0);
                ensure(sets == vec![vec![2], vec![2], vec![0, 1, 2, 3]], || {
                    format!("greedy actions {sets:?}, expected [[2], [2], [0, 1, 2, 3]]")
                })
                .hint_if(
                    sets.len() == 3
                        && sets[..2] == [vec![2], vec![2]]
                        && sets[2] == oracle_set_ignoring_terminal(&mdp, &v, 2),
                    "in a terminal state every action is greedy: return 0..A there, without \
                 comparing q-values",
                )
                .hint_if(
                    sets.iter().take(2).any(Vec::is_empty),
                    "a state has no greedy action: the best q is the maximum over the actions \
                 (start from −∞), and an action is kept when q ≥ best − tol",
                )?;
                let policy = sut::greedy_policy(&mdp, v.view(), 1.0);
                ensure(policy.len() == 3 && policy[..2] == [2, 2], || {
                    format!("greedy policy {policy:?}, expected [2, 2, any]")
                })
                .hint_if(
                    policy.len() == 3 && policy[..2] == [0, 0] && all_q_negative(0),
                    "the search for the best q starts at 0: every q here is negative, so start \
                 from −∞ (or from the first action's q)",
                )
            },
        ),
        Check::public(
            GREEDY_POLICY,
            "greedy_actions_keeps_every_action_within_tol",
            1,
            || {
                // 2×2 grid, terminal (1, 1), every move −1. From (0, 0), Down reaches V = −1 and
                // Right V = −1 + 3e-10: tied within tol = 1e-9, so both are greedy.
                let grid = sut::Gridworld::new(2, 2)
                    .step_reward(-1.0)
                    .off_grid_reward(-1.0)
                    .terminal((1, 1));
                let mdp = grid_mdp(&grid, true);
                let v = array![-2.0, -1.0 + 3e-10, -1.0, 0.0];
                let sets = sut::greedy_actions(&mdp, v.view(), 1.0, 1e-9);
                let expected = vec![vec![1, 2], vec![1], vec![2], vec![0, 1, 2, 3]];
                ensure(sets == expected, || {
                    format!("greedy actions {sets:?}, expected {expected:?}")
                })
                .hint_if(
                    sets.first().is_some_and(|s| s.len() == 1),
                    "only one action is kept where two tie within tol: keep every action whose q \
                 is at least best − tol",
                )?;
                let policy = sut::greedy_policy(&mdp, v.view(), 1.0);
                ensure(
                    policy.len() == 4 && (policy[0] == 1 || policy[0] == 2),
                    || {
                        format!(
                            "greedy policy {policy:?}, expected Down (1) or Right (2) in state 0"
                        )
                    },
                )
            },
        ),
    ]
}

/// The actions within 1e-9 of the best q of `s`, as if `s` were not terminal.
fn oracle_set_ignoring_terminal(mdp: &sut::Mdp, v: &Array1<f64>, s: usize) -> Vec<usize> {
    let qs: Vec<f64> = (0..mdp.n_actions())
        .map(|a| oracle::q(mdp, v, s, a, 1.0, false))
        .collect();
    let best = qs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (0..qs.len()).filter(|&a| qs[a] >= best - 1e-9).collect()
}

fn value_iteration() -> Vec<Check> {
    vec![
        Check::public(VALUE_ITERATION, "optimality_sweep_by_hand", 2, || {
            // From v = (−5, 0, 0) on the corridor: state 0 takes max(−1 − 5, −1 + 0) = −1,
            // state 1 −1, the terminal 0 (its own moves would give −1); changes 4, 1, 0: the
            // largest 4 (the sum would be 5). From 0 every value falls by 1: the largest change
            // is 1 (signed, 0).
            let mdp = open_corridor();
            let v = array![-5.0, 0.0, 0.0];
            let mut v_new = Array1::from_elem(3, f64::NAN);
            let delta = sut::optimality_sweep(&mdp, v.view(), v_new.view_mut(), 1.0);
            close_array(
                "v_new from (−5, 0, 0)",
                &v_new,
                &array![-1.0, -1.0, 0.0],
                EXACT,
            )
            .hint_if(
                (v_new[2] + 1.0).abs() < 1e-12,
                "the terminal state is updated: its value stays 0, whatever its transitions",
            )?;
            close("largest change from (−5, 0, 0)", delta, 4.0, EXACT).hint_if(
                (delta - 5.0).abs() < 1e-12,
                "the changes are summed over the states: return the largest one (max-norm)",
            )?;
            let zero = Array1::zeros(3);
            let mut v_new = Array1::from_elem(3, f64::NAN);
            let delta = sut::optimality_sweep(&mdp, zero.view(), v_new.view_mut(), 1.0);
            close_array("v_new from 0", &v_new, &array![-1.0, -1.0, 0.0], EXACT)?;
            close("largest change from 0", delta, 1.0, EXACT).hint_if(
                delta == 0.0,
                "the change is signed: Δ = maxₛ |V_new(s) − V(s)|, and values that fall change \
                 too",
            )
        }),
        Check::public(VALUE_ITERATION, "value_iteration_on_a_corridor", 3, || {
            // Sweeps from 0: (−1, −1, 0), (−2, −1, 0), (−2, −1, 0): changes 1, 1, 0. With
            // θ = 1 the same three sweeps: a change of exactly θ does not stop them.
            let mdp = grid_mdp(&corridor(3), true);
            for theta in [1e-10, 1.0] {
                let what = format!("θ = {theta:e}");
                let result = ok(sut::value_iteration(
                    &mdp,
                    sut::Settings::new(1.0).theta(theta),
                ))?;
                close_array(
                    &format!("{what}: v"),
                    &result.v,
                    &array![-2.0, -1.0, 0.0],
                    EXACT,
                )
                .hint_if(
                    result.sweeps == 1 && theta == 1.0 && result.deltas == [1.0],
                    "the sweeps stop at Δ = θ: stop only when Δ < θ, strictly",
                )
                .hint_if(
                    result.deltas == [0.0],
                    "the change is signed: Δ = maxₛ |V_new(s) − V(s)|, and values that \
                         fall change too",
                )?;
                close_slice(
                    &format!("{what}: deltas"),
                    &result.deltas,
                    &[1.0, 1.0, 0.0],
                    EXACT,
                )
                .hint_if(
                    result.deltas == [1.0, 1.0],
                    "the last sweep's change is not recorded: push every Δ, the one below θ \
                     included",
                )?;
                ensure(result.sweeps == 3, || {
                    format!("{what}: {} sweeps, expected 3", result.sweeps)
                })
                .hint_if(
                    result.sweeps == 2 || result.sweeps == 4,
                    "the sweeps are counted off by one: count every sweep done, the last one \
                     included",
                )?;
                ensure(
                    result.policy.len() == 3 && result.policy[..2] == [2, 2],
                    || format!("{what}: policy {:?}, expected [2, 2, any]", result.policy),
                )?;
            }
            Ok(())
        }),
        Check::public(
            VALUE_ITERATION,
            "policy_is_greedy_for_the_final_values",
            2,
            || {
                // A loose θ stops value iteration while the greedy actions still change per sweep.
                let mdp = grid_mdp(&figure_3_2(), true);
                for theta in [6.0, 3.0, 1.0] {
                    let result = ok(sut::value_iteration(
                        &mdp,
                        sut::Settings::new(0.9).theta(theta),
                    ))?;
                    let fresh = oracle::greedy_sets(&mdp, &result.v, 0.9, 1e-9);
                    let stale_v = previous_values(&mdp, 0.9, result.sweeps);
                    let stale = oracle::greedy_sets(&mdp, &stale_v, 0.9, 1e-9);
                    let in_stale = result.policy.len() == 25
                        && result
                            .policy
                            .iter()
                            .enumerate()
                            .all(|(s, a)| stale[s].contains(a));
                    in_sets(
                        &format!("θ = {theta}: policy vs the returned V"),
                        &result.policy,
                        &fresh,
                        5,
                    )
                    .hint_if(
                        in_stale,
                        "the policy is read from stale values: extract it from the final V, after \
                     the last sweep",
                    )?;
                }
                Ok(())
            },
        ),
    ]
}

/// The synchronous value-iteration values after `sweeps − 1` sweeps from 0 (the values a stale
/// policy is read from).
fn previous_values(mdp: &sut::Mdp, gamma: f64, sweeps: usize) -> Array1<f64> {
    let mut v = Array1::zeros(mdp.n_states());
    for _ in 1..sweeps {
        v = oracle::sweep(mdp, None, &v, gamma, Sweep::Synchronous, false);
    }
    v
}

fn policy_iteration() -> Vec<Check> {
    vec![
        Check::public(
            POLICY_ITERATION,
            "policy_iteration_on_a_corridor",
            2,
            || {
                // γ = 1: from the random policy (which reaches the terminal from everywhere) to
                // "always Right", V = (−3, −2, −1, 0).
                let mdp = grid_mdp(&corridor(4), true);
                let result = match sut::policy_iteration(&mdp, sut::Settings::new(1.0)) {
                    Err(e @ sut::DpError::DidNotConverge { last_change, .. }) => {
                        // A deterministic policy walking into a wall loses exactly 1 a sweep.
                        return Err(Failure::new(format!(
                            "γ = 1 on a 1×4 corridor: got the error \"{e}\", expected Ok"
                        )))
                        .hint_if(
                            last_change == 1.0,
                            "the first policy never reaches the terminal, so its evaluation cannot \
                         converge with γ = 1: start from the uniform random policy",
                        );
                    }
                    other => ok(other)?,
                };
                ensure(
                    result.policy.len() == 4 && result.policy[..3] == [2, 2, 2],
                    || format!("policy {:?}, expected [2, 2, 2, any]", result.policy),
                )?;
                let uniform = oracle::v_pi(&mdp, &sut::uniform_policy(&mdp), 1.0);
                close_array(
                    "v",
                    &result.v,
                    &array![-3.0, -2.0, -1.0, 0.0],
                    Tol::abs(1e-8),
                )
                .hint_if(
                    same(&result.v, &uniform, 1e-6),
                    "the values returned are those of the first (random) policy: evaluate each \
                 improved policy and improve on those fresh values",
                )
            },
        ),
        Check::public(
            POLICY_ITERATION,
            "policy_iteration_keeps_tied_actions_and_stops_when_the_policy_is_stable",
            2,
            || {
                // State 0: action 0 goes to state 1 (reward 0), action 1 ends the episode with
                // reward 1. State 1: action 0 ends with +1, action 1 with −9. γ = 1.
                // Evaluation 1 (random policy): V(1) = −4, V(0) = −1.5, so π₁ = (1, 0) with no
                // tie. Evaluation 2: V = (1, 1, 0), and in state 0 both actions give 1: π₁(0) = 1
                // is kept, the policy is stable, 2 evaluations. Switching to the tied action 0
                // costs a third evaluation; so does stopping only once the values stop changing.
                let t = sut::Transition::new;
                let mdp = sut::Mdp::new_unchecked(
                    vec![
                        vec![vec![t(1.0, 1, 0.0)], vec![t(1.0, 2, 1.0)]],
                        vec![vec![t(1.0, 2, 1.0)], vec![t(1.0, 2, -9.0)]],
                        vec![vec![t(1.0, 2, 0.0)], vec![t(1.0, 2, 0.0)]],
                    ],
                    vec![false, false, true],
                );
                let result = ok(sut::policy_iteration(&mdp, sut::Settings::new(1.0)))?;
                close_array("v", &result.v, &array![1.0, 1.0, 0.0], Tol::abs(1e-9))?;
                ensure(
                    result.policy.len() == 3 && result.policy[..2] == [1, 0],
                    || {
                        format!(
                            "policy {:?}, expected [1, 0, any]: in state 0 the action of π₁ (1) \
                         ties with action 0 and is kept",
                            result.policy
                        )
                    },
                )
                .hint_if(
                    result.policy.len() == 3 && result.policy[..2] == [0, 0],
                    "the policy switches to another tied action: keep the current action \
                     unless another is better by more than 1e-9 · (1 + |q|)",
                )?;
                ensure(result.evaluations == 2, || {
                    format!(
                        "{} evaluations, expected 2 (the random policy's, then π₁'s, which is \
                         stable)",
                        result.evaluations
                    )
                })
                .hint_if(
                    result.evaluations == 3,
                    "the loop stops when the values stop changing: stop as soon as the improved \
                     policy equals the current one, before evaluating it again",
                )
                .hint_if(
                    result.evaluations == 1,
                    "the evaluations are counted off by one: count the random policy's too",
                )?;
                // The random policy's evaluation takes 3 sweeps (Δ = 4, 2, 0), π₁'s 2 (Δ = 1, 0).
                ensure(result.sweeps == 5, || {
                    format!(
                        "{} sweeps, expected 5: the random policy's 3 and π₁'s 2, added",
                        result.sweeps
                    )
                })
                .hint_if(
                    [2, 3].contains(&result.sweeps),
                    "sweeps counts one evaluation only: add up the sweeps of every evaluation",
                )
            },
        ),
    ]
}

const Q_IN_PLACE: &str = "Q is updated in place: compute every new Q(s, a) from the previous \
     sweep's Q only (a synchronous sweep)";

fn q_value_iteration() -> Vec<Check> {
    vec![
        Check::public(
            Q_VALUE_ITERATION,
            "q_value_iteration_on_a_corridor",
            2,
            || {
                // From state 1: Left −1 − 2, Down −1 − 1, Right −1 + 0, Up −1 − 1. Changes of Q per
                // sweep 1, 1, 1, 0 (those of V = maxₐ Q are 1, 1, 0: one sweep short).
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
                )?;
                close_slice("deltas", &result.deltas, &[1.0, 1.0, 1.0, 0.0], EXACT)
                    .hint_if(
                        result.deltas == oracle::q_deltas(&mdp, 1.0, 1e-10, false, true),
                        "the change is measured on V = maxₐ Q: measure it on every Q(s, a)",
                    )
                    .hint_if(
                        result.deltas == oracle::q_deltas(&mdp, 1.0, 1e-10, true, false),
                        Q_IN_PLACE,
                    )?;
                // Terminal on the left, in state order: in place, state 2 would read state 1's new
                // row within the first sweep.
                let left = corridor_to_the_left(3);
                let result = ok(sut::q_value_iteration(&left, sut::Settings::new(1.0)))?;
                let expected = oracle::q_deltas(&left, 1.0, 1e-10, false, false);
                let in_place = oracle::q_deltas(&left, 1.0, 1e-10, true, false);
                close_slice(
                    "terminal on the left: deltas",
                    &result.deltas,
                    &expected,
                    EXACT,
                )
                .hint_if(result.deltas == in_place, Q_IN_PLACE)?;
                // Terminal on the right with ordinary moves, γ = 0.9: its row stays 0.
                let open = open_corridor();
                let result = ok(sut::q_value_iteration(&open, sut::Settings::new(0.9)))?;
                ensure(result.q.row(2).iter().all(|&q| q == 0.0), || {
                format!(
                    "terminal state 2 (with ordinary moves) has Q = {}, expected 0",
                    result.q.row(2)
                )
            })
            .hint(
                "the terminal state is updated: its action values stay 0, whatever its transitions",
            )
            },
        ),
        Check::public(
            Q_VALUE_ITERATION,
            "q_iteration_and_in_place_stop_at_the_first_sweep_below_theta",
            1,
            || {
                // On the 1×3 corridor with γ = 1 every sweep changes some value by exactly 1
                // until the last, which changes nothing (Q iteration: Δ = 1, 1, 1, 0; in place:
                // 1, 1, 0). θ = 1 must not stop at a change of exactly 1.
                let mdp = grid_mdp(&corridor(3), true);
                let settings = sut::Settings::new(1.0).theta(1.0);
                let q = ok(sut::q_value_iteration(&mdp, settings))?;
                let in_place = ok(sut::value_iteration_in_place(&mdp, settings))?;
                for (what, sweeps, deltas) in [
                    ("q_value_iteration", q.sweeps, &q.deltas),
                    (
                        "value_iteration_in_place",
                        in_place.sweeps,
                        &in_place.deltas,
                    ),
                ] {
                    let stops_right = deltas.len() == sweeps
                        && deltas.last().is_some_and(|&d| d < 1.0)
                        && deltas[..sweeps.saturating_sub(1)].iter().all(|&d| d >= 1.0);
                    ensure(stops_right, || {
                        format!(
                            "{what}, θ = 1: {sweeps} sweeps with the changes {deltas:?}, \
                             expected to stop at the first change below 1"
                        )
                    })
                    .hint_if(
                        deltas.last() == Some(&1.0),
                        "the sweeps stop at Δ = θ: stop only when Δ < θ",
                    )?;
                }
                Ok(())
            },
        ),
        Check::public(Q_VALUE_ITERATION, "in_place_sweep_by_hand", 2, || {
            // 1×5 corridor, terminal on the left, every move −1, γ = 1, from
            // v = (0, −5, −5, −5, 2). In state order: state 1 → −1; state 2 reads the new
            // v(1): −2; state 3 → −1 + 2 = 1; state 4 stays by the edge: 1. Largest change 6.
            // Synchronous: (0, −1, −6, 1, 1). Last state first: (0, −1, −1, 0, 1).
            let mdp = corridor_to_the_left(5);
            let start = array![0.0, -5.0, -5.0, -5.0, 2.0];
            let mut v = start.clone();
            let delta = sut::in_place_sweep(&mdp, v.view_mut(), 1.0);
            let synchronous = oracle::sweep(&mdp, None, &start, 1.0, Sweep::Synchronous, false);
            let reversed = oracle::sweep(&mdp, None, &start, 1.0, Sweep::InPlaceReversed, false);
            close_array("v", &v, &array![0.0, -1.0, -2.0, 1.0, 1.0], EXACT)
                .hint_if(
                    same(&v, &synchronous, 1e-12),
                    "this sweep is synchronous: write each new value into v at once, so later \
                     states read it",
                )
                .hint_if(
                    same(&v, &reversed, 1e-12),
                    "the states are swept from the last to the first: sweep them in state order \
                     0, 1, …, S − 1",
                )?;
            close("largest change", delta, 6.0, EXACT).hint_if(
                delta == 0.0,
                "the change is measured after v(s) is overwritten (so it is always 0): keep \
                 the old value until the change is taken",
            )
        }),
    ]
}
