//! # Exercise 03 — Bellman value iteration and dynamic programming
//!
//! "The value of taking an action in a state is the immediate reward plus the discounted value of
//! the best action in the next state." You turn that sentence into working dynamic programming —
//! policy evaluation, value iteration, policy iteration, Q-value iteration — and the suite checks
//! it against the figures of Sutton & Barto's *Reinforcement Learning: An Introduction* and
//! against FrozenLake.
//!
//! Why: every reinforcement-learning method, from Q-learning to the value heads of game-playing
//! networks, approximates the Bellman equations you solve exactly here. On a model small enough to
//! sweep, you can see them converge, watch ties between optimal actions appear, and measure how
//! fast the error shrinks.
//!
//! ## Symbols and shapes
//!
//! ```text
//! S   states, 0..S (a gridworld numbers its cells row by row: s = row · cols + col)
//! A   actions, 0..A (gridworlds: 0 Left, 1 Down, 2 Right, 3 Up)
//! P(s′ | s, a), r    the transitions of a model: outcomes(s, a) = [(p, s′, r), …], ∑ p = 1
//! γ   discount, in [0, 1]            θ   stopping threshold on the largest change of a sweep
//! V: (S)   state values               Q: (S, A)   action values
//! π: (S, A), π(a|s)   a stochastic policy;   policy: (S), one action per state, a deterministic one
//! terminal states: V = 0, always; no sweep ever updates them
//! ```
//!
//! ## The math
//!
//! ```text
//! one-step look-ahead    q(s, a; V) = ∑ₛ′ P(s′|s, a) · (r + γ V(s′))
//! policy evaluation      V_new(s) = ∑ₐ π(a|s) · q(s, a; V)         (synchronous: reads V only)
//! value iteration        V_new(s) = maxₐ q(s, a; V)
//! greedy policy          π(s) ∈ argmaxₐ q(s, a; V)                  (ties: any of them)
//! stopping               Δ = maxₛ |V_new(s) − V(s)| < θ              (max-norm, not a sum)
//! contract (γ < 1)       ‖V − V*‖∞ ≤ γθ / (1 − γ)
//! Q-value iteration      Q_new(s, a) = ∑ₛ′ P(s′|s, a) · (r + γ maxₐ′ Q(s′, a′))
//! ```
//!
//! ## A worked example
//!
//! Figure 3.2 of the book: a 5×5 grid, moving off the grid costs −1 and leaves you in place, any
//! move from A = (0, 1) jumps to A′ = (4, 1) for +10, from B = (0, 3) to B′ = (2, 3) for +5,
//! γ = 0.9. Under the random policy v_π(A) = 8.789 and v_π(A′) = −1.345, and indeed
//!
//! ```text
//! q(A, any) = 10 + 0.9 · v_π(A′) = 10 + 0.9 · (−1.345) = 8.789
//! ```
//!
//! With γ wrongly applied to the reward, `0.9 · (10 + v(A′))`, every value of the figure comes out
//! exactly 0.9 times too small — one of the mistakes the suite recognises.
//!
//! ## Steps (111 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 model | [`validate`], [`Gridworld::outcomes`] | `mdp.rs`, `gridworld.rs` | 21 |
//! | 2 q-value | [`q_value`] | `bellman.rs` | 8 |
//! | 3 policy-evaluation | [`evaluation_sweep`], [`evaluate_policy`] | `evaluation.rs` | 23 |
//! | 4 greedy-policy | [`greedy_actions`], [`greedy_policy`] | `policy.rs` | 10 |
//! | 5 value-iteration | [`optimality_sweep`], [`value_iteration`] | `value_iteration.rs` | 25 |
//! | 6 policy-iteration | [`policy_iteration`] | `policy_iteration.rs` | 12 |
//! | 7 q-value-iteration | [`q_value_iteration`], [`in_place_sweep`], [`value_iteration_in_place`] | `q_iteration.rs` | 12 |
//!
//! Run `cargo test -p value-iteration` to grade your work. Later steps are graded on models the
//! kit builds itself and with its own trusted versions of the earlier steps where possible, so one
//! early bug does not hide the rest.
//!
//! ## What is given, what you write, and why
//!
//! - **Given: the storage of the model**, [`Mdp`]: one flat, compressed (CSR-like) array of
//!   transitions, read front to back by every sweep. How a sparse model is laid out in memory is
//!   what makes a sweep over 250,000 states take about a millisecond, but it is not what this
//!   exercise teaches — and every later step and the bench stand on it, so one bug there would
//!   hide everything else.
//! - **You write what a model means**: [`validate`] (what makes a table of transitions an MDP —
//!   probabilities that are distributions, next states that exist) and [`Gridworld::outcomes`]
//!   (the dynamics of one move: off-grid penalties, teleports, terminal corners, slipping on ice),
//!   which are exactly where the book's examples differ from one another.
//! - **Given: the descriptions** ([`Gridworld`]'s builder, [`Gridworld::frozen_lake`],
//!   [`Gridworld::to_mdp`]), the settings ([`Settings`], with its checks), the typed errors
//!   ([`DpError`], [`error::ensure_policy`]) and small helpers ([`max_change`],
//!   [`uniform_policy`], [`deterministic_policy`]). Call the checks where a `TODO` says so.
//! - **You write all of the dynamic programming**, steps 2 to 7.
//!
//! ## Constraints
//!
//! - Synchronous sweeps unless a function says "in place": a new value is computed from the old
//!   values only.
//! - Terminal states keep value 0: never update them, whatever transitions the model lists for
//!   them.
//! - Bad input is a typed [`DpError`], never a panic or an endless loop: γ outside [0, 1], θ ≤ 0,
//!   probabilities that do not sum to 1, and γ = 1 with a policy that never terminates (the sweep
//!   cap [`Settings::max_sweeps`] ends it with [`DpError::DidNotConverge`]).
//! - No linear-algebra crate: loops and ndarray.
//! - For an extra challenge: make [`optimality_sweep`] allocate nothing and sweep a 500×500
//!   gridworld in about a millisecond, reading [`Mdp::flat`] front to back (`mlings bench 3`).
//!
//! ## Data
//!
//! `data/sutton-barto/`: Figures 3.2, 3.5 and 4.1 of Sutton & Barto, *Reinforcement Learning: An
//! Introduction*, 2nd ed. (2018), recomputed exactly. `data/frozenlake/`: the FrozenLake 4×4 map of
//! Gymnasium's `FrozenLake-v1` and its optimal values at γ = 0.9, 0.99 and 1.0.

pub mod bellman;
pub mod error;
pub mod evaluation;
pub mod gridworld;
pub mod mdp;
pub mod policy;
pub mod policy_iteration;
pub mod q_iteration;
pub mod settings;
pub mod value_iteration;

pub use bellman::q_value;
pub use error::DpError;
pub use evaluation::{Evaluation, evaluate_policy, evaluation_sweep, max_change};
pub use gridworld::{Action, Cell, Gridworld, Teleport};
pub use mdp::{Flat, Mdp, Table, Transition, validate};
pub use policy::{deterministic_policy, greedy_actions, greedy_policy, uniform_policy};
pub use policy_iteration::{PolicyIteration, policy_iteration};
pub use q_iteration::{QIteration, in_place_sweep, q_value_iteration, value_iteration_in_place};
pub use settings::Settings;
pub use value_iteration::{ValueIteration, optimality_sweep, value_iteration};
