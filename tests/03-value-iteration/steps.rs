//! The steps of exercise 03, declared once: every check names one, and so does the plot program
//! when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `validate`, `Gridworld::outcomes`, in `mdp.rs`, `gridworld.rs`.
pub const MODEL: Step = Step::new(1, "model");
/// Step 2: `q_value`, in `bellman.rs`.
pub const Q_VALUE: Step = Step::new(2, "q-value");
/// Step 3: `evaluation_sweep`, `evaluate_policy`, in `evaluation.rs`.
pub const POLICY_EVALUATION: Step = Step::new(3, "policy-evaluation");
/// Step 4: `greedy_actions`, `greedy_policy`, in `policy.rs`.
pub const GREEDY_POLICY: Step = Step::new(4, "greedy-policy");
/// Step 5: `optimality_sweep`, `value_iteration`, in `value_iteration.rs`.
pub const VALUE_ITERATION: Step = Step::new(5, "value-iteration");
/// Step 6: `policy_iteration`, in `policy_iteration.rs`.
pub const POLICY_ITERATION: Step = Step::new(6, "policy-iteration");
/// Step 7: `q_value_iteration`, `in_place_sweep`, `value_iteration_in_place`, in `q_iteration.rs`.
pub const Q_VALUE_ITERATION: Step = Step::new(7, "q-value-iteration");

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    MODEL,
    Q_VALUE,
    POLICY_EVALUATION,
    GREEDY_POLICY,
    VALUE_ITERATION,
    POLICY_ITERATION,
    Q_VALUE_ITERATION,
];
