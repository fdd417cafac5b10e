//! The suite's own slow, obviously correct implementations (plain loops), to grade against.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::sut;

/// The FrozenLake map shipped with the kit (`data/frozenlake/map.txt`).
pub const FROZEN_LAKE_MAP: &str = include_str!("../../data/frozenlake/map.txt");

/// A seeded generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// Sutton & Barto's Example 3.5 (Figures 3.2 and 3.5): 5×5, off-grid −1, A → A′ +10, B → B′ +5.
pub fn figure_3_2() -> sut::Gridworld {
    sut::Gridworld::new(5, 5)
        .off_grid_reward(-1.0)
        .teleport((0, 1), (4, 1), 10.0)
        .teleport((0, 3), (2, 3), 5.0)
}

/// Sutton & Barto's Example 4.1 (Figure 4.1): 4×4, every move −1, terminal corners.
pub fn figure_4_1() -> sut::Gridworld {
    sut::Gridworld::new(4, 4)
        .step_reward(-1.0)
        .off_grid_reward(-1.0)
        .terminal((0, 0))
        .terminal((3, 3))
}

/// FrozenLake 4×4 from the kit's map.
pub fn frozen_lake() -> sut::Gridworld {
    let rows: Vec<&str> = FROZEN_LAKE_MAP
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    sut::Gridworld::frozen_lake(&rows).expect("the kit's FrozenLake map is well formed")
}

/// A 1×`n` corridor, every move −1, terminal at the right end.
pub fn corridor(n: usize) -> sut::Gridworld {
    sut::Gridworld::new(1, n)
        .step_reward(-1.0)
        .off_grid_reward(-1.0)
        .terminal((0, n - 1))
}

/// The outcomes of one move on `g`, by the rules of `sut::Gridworld`, written out once more;
/// `absorbing` says whether terminal cells absorb (else they move like any other cell).
pub fn grid_outcomes(
    g: &sut::Gridworld,
    s: usize,
    a: usize,
    absorbing: bool,
) -> Vec<sut::Transition> {
    let (row, col) = (s / g.cols, s % g.cols);
    if absorbing && g.terminals.contains(&(row, col)) {
        return vec![sut::Transition::new(1.0, s, 0.0)];
    }
    if let Some(t) = g.teleports.iter().find(|t| t.from == (row, col)) {
        return vec![sut::Transition::new(
            1.0,
            t.to.0 * g.cols + t.to.1,
            t.reward,
        )];
    }
    let directions = if g.slippery {
        vec![(a + 3) % 4, a, (a + 1) % 4]
    } else {
        vec![a]
    };
    let p = 1.0 / directions.len() as f64;
    directions
        .into_iter()
        .map(|d| {
            // Left, Down, Right, Up.
            let (dr, dc) = [(0, -1), (1, 0), (0, 1), (-1, 0)][d];
            let (r, c) = (row as i64 + dr, col as i64 + dc);
            if r < 0 || c < 0 || r >= g.rows as i64 || c >= g.cols as i64 {
                sut::Transition::new(p, s, g.off_grid_reward)
            } else {
                let to = (r as usize, c as usize);
                let bonus: f64 = g
                    .entry_rewards
                    .iter()
                    .filter(|(cell, _)| *cell == to)
                    .map(|(_, r)| r)
                    .sum();
                sut::Transition::new(p, to.0 * g.cols + to.1, g.step_reward + bonus)
            }
        })
        .collect()
}

/// The grid as an MDP built by the oracle (never by the learner's step 1); with `absorbing`
/// false its terminal cells keep ordinary moves, so only an algorithm that never updates a
/// terminal state keeps it at 0.
pub fn grid_mdp(g: &sut::Gridworld, absorbing: bool) -> sut::Mdp {
    let n = g.rows * g.cols;
    let table = (0..n)
        .map(|s| (0..4).map(|a| grid_outcomes(g, s, a, absorbing)).collect())
        .collect();
    let terminal = (0..n)
        .map(|s| g.terminals.contains(&(s / g.cols, s % g.cols)))
        .collect();
    sut::Mdp::new_unchecked(table, terminal)
}

/// A random MDP: 1 to 3 outcomes per (state, action) with random probabilities and rewards in
/// [−1, 1]; about one state in six terminal, with ordinary (non-absorbing) transitions.
pub fn random_mdp(seed: u64, n_states: usize, n_actions: usize) -> sut::Mdp {
    let mut r = rng(seed);
    let table = (0..n_states)
        .map(|_| {
            (0..n_actions)
                .map(|_| {
                    let k = r.random_range(1..=3);
                    let weights: Vec<f64> = (0..k).map(|_| r.random_range(0.1..1.0)).collect();
                    let total: f64 = weights.iter().sum();
                    weights
                        .iter()
                        .map(|w| {
                            sut::Transition::new(
                                w / total,
                                r.random_range(0..n_states),
                                r.random_range(-1.0..1.0),
                            )
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let terminal = (0..n_states)
        .map(|s| s > 0 && r.random_range(0..6) == 0)
        .collect();
    sut::Mdp::new_unchecked(table, terminal)
}

/// A random stochastic policy, `(S, A)`.
pub fn random_policy(seed: u64, n_states: usize, n_actions: usize) -> Array2<f64> {
    let mut r = rng(seed);
    let mut pi = Array2::from_shape_simple_fn((n_states, n_actions), || r.random_range(0.0..1.0));
    for mut row in pi.rows_mut() {
        let total = row.sum();
        row /= total;
    }
    pi
}

/// Random values in [−5, 5], `(S)`.
pub fn random_values(seed: u64, n_states: usize) -> Array1<f64> {
    let mut r = rng(seed);
    Array1::from_shape_simple_fn(n_states, || r.random_range(-5.0..5.0))
}

/// `q(s, a) = ∑ p (r + γ V(s′))`; `wrong` applies γ to the reward too (a known mistake).
pub fn q(mdp: &sut::Mdp, v: &Array1<f64>, s: usize, a: usize, gamma: f64, wrong: bool) -> f64 {
    let mut total = 0.0;
    for t in mdp.outcomes(s, a) {
        total += if wrong {
            t.prob * gamma * (t.reward + v[t.next])
        } else {
            t.prob * (t.reward + gamma * v[t.next])
        };
    }
    total
}

/// How an oracle sweep visits the states.
#[derive(Clone, Copy, PartialEq)]
pub enum Sweep {
    /// Every new value from the old values.
    Synchronous,
    /// Each new value written at once, in state order (Gauss–Seidel).
    InPlace,
    /// In place, but from the last state to the first (a known mistake: the contract says in
    /// state order).
    InPlaceReversed,
}

/// How the oracle measures a sweep's change.
#[derive(Clone, Copy, PartialEq)]
pub enum Norm {
    /// `maxₛ |ΔV(s)|`, the right one.
    Max,
    /// `∑ₛ |ΔV(s)|`, a known mistake.
    Sum,
    /// `maxₛ (V_new(s) − V(s))` without the absolute value, a known mistake: a sweep whose
    /// values only fall measures 0.
    Signed,
}

/// The change from `b` to `a` measured by `norm`.
pub fn change(a: &Array1<f64>, b: &Array1<f64>, norm: Norm) -> f64 {
    let diffs = a.iter().zip(b.iter()).map(|(x, y)| (x - y).abs());
    match norm {
        Norm::Max => diffs.fold(0.0, f64::max),
        Norm::Sum => diffs.sum(),
        Norm::Signed => a
            .iter()
            .zip(b.iter())
            .map(|(x, y)| x - y)
            .fold(0.0, f64::max),
    }
}

/// One sweep of policy evaluation (`policy` given) or of value iteration (`None`); terminal
/// states are set to 0 unless `update_terminals` (a known mistake).
pub fn sweep(
    mdp: &sut::Mdp,
    policy: Option<&Array2<f64>>,
    v: &Array1<f64>,
    gamma: f64,
    mode: Sweep,
    update_terminals: bool,
) -> Array1<f64> {
    let mut new = v.clone();
    let order: Vec<usize> = if mode == Sweep::InPlaceReversed {
        (0..mdp.n_states()).rev().collect()
    } else {
        (0..mdp.n_states()).collect()
    };
    for s in order {
        let source = if mode == Sweep::Synchronous { v } else { &new };
        let value = if mdp.is_terminal(s) && !update_terminals {
            0.0
        } else {
            let qs = (0..mdp.n_actions()).map(|a| q(mdp, source, s, a, gamma, false));
            match policy {
                Some(pi) => qs.enumerate().map(|(a, q)| pi[[s, a]] * q).sum(),
                None => qs.fold(f64::NEG_INFINITY, f64::max),
            }
        };
        new[s] = value;
    }
    new
}

/// Sweeps from 0 until the change is below θ: the values and every sweep's change.
pub fn iterate(
    mdp: &sut::Mdp,
    policy: Option<&Array2<f64>>,
    gamma: f64,
    theta: f64,
    norm: Norm,
) -> (Array1<f64>, Vec<f64>) {
    let mut v = Array1::zeros(mdp.n_states());
    let mut deltas = Vec::new();
    loop {
        let new = sweep(mdp, policy, &v, gamma, Sweep::Synchronous, false);
        let delta = change(&new, &v, norm);
        v = new;
        deltas.push(delta);
        if delta < theta || deltas.len() >= 1_000_000 {
            return (v, deltas);
        }
    }
}

/// The change of each of the first `sweeps` synchronous sweeps from 0, measured by `norm` (to
/// count the sweeps a stopping rule takes, right or mistaken).
pub fn deltas(
    mdp: &sut::Mdp,
    policy: Option<&Array2<f64>>,
    gamma: f64,
    norm: Norm,
    sweeps: usize,
) -> Vec<f64> {
    let mut v = Array1::zeros(mdp.n_states());
    (0..sweeps)
        .map(|_| {
            let new = sweep(mdp, policy, &v, gamma, Sweep::Synchronous, false);
            let delta = change(&new, &v, norm);
            v = new;
            delta
        })
        .collect()
}

/// The number of sweeps a stopping rule takes on `deltas`: up to the first change below θ, or
/// with `or_equal` (a known mistake) the first change at most θ; `None` if none is.
pub fn sweeps_to_stop(deltas: &[f64], theta: f64, or_equal: bool) -> Option<usize> {
    deltas
        .iter()
        .position(|&d| d < theta || (or_equal && d == theta))
        .map(|i| i + 1)
}

/// One sweep of Q-value iteration from `q`: synchronous (every entry from the old `Q`), or in
/// place (a known mistake: each new entry is written at once, and the entries after it read it).
/// Terminal rows stay 0.
pub fn q_sweep(mdp: &sut::Mdp, q: &Array2<f64>, gamma: f64, in_place: bool) -> Array2<f64> {
    let mut new = q.clone();
    for s in 0..mdp.n_states() {
        for a in 0..mdp.n_actions() {
            let source = if in_place { &new } else { q };
            let mut total = 0.0;
            for t in mdp.outcomes(s, a) {
                let best = source.row(t.next).fold(f64::NEG_INFINITY, |m, &x| m.max(x));
                total += t.prob * (t.reward + gamma * best);
            }
            new[[s, a]] = if mdp.is_terminal(s) { 0.0 } else { total };
        }
    }
    new
}

/// Q-value iteration from 0 until the change is below θ: every sweep's change, measured on `Q`
/// (`on_values` false, the right one) or on `V = maxₐ Q` (a known mistake).
pub fn q_deltas(
    mdp: &sut::Mdp,
    gamma: f64,
    theta: f64,
    in_place: bool,
    on_values: bool,
) -> Vec<f64> {
    let v_of = |q: &Array2<f64>| {
        q.map_axis(ndarray::Axis(1), |r| {
            r.fold(f64::NEG_INFINITY, |m, &x| m.max(x))
        })
    };
    let mut q = Array2::zeros((mdp.n_states(), mdp.n_actions()));
    let mut deltas = Vec::new();
    loop {
        let new = q_sweep(mdp, &q, gamma, in_place);
        let delta = if on_values {
            change(&v_of(&new), &v_of(&q), Norm::Max)
        } else {
            new.iter()
                .zip(q.iter())
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max)
        };
        q = new;
        deltas.push(delta);
        if delta < theta || deltas.len() >= 100_000 {
            return deltas;
        }
    }
}

/// The optimal values, by value iteration to a change below 1e-13.
pub fn v_star(mdp: &sut::Mdp, gamma: f64) -> Array1<f64> {
    iterate(mdp, None, gamma, 1e-13, Norm::Max).0
}

/// The values of `policy`, by evaluation to a change below 1e-13.
pub fn v_pi(mdp: &sut::Mdp, policy: &Array2<f64>, gamma: f64) -> Array1<f64> {
    iterate(mdp, Some(policy), gamma, 1e-13, Norm::Max).0
}

/// `Q(s, a) = q(s, a; V)`, `(S, A)`, with terminal rows 0.
pub fn q_table(mdp: &sut::Mdp, v: &Array1<f64>, gamma: f64) -> Array2<f64> {
    Array2::from_shape_fn((mdp.n_states(), mdp.n_actions()), |(s, a)| {
        if mdp.is_terminal(s) {
            0.0
        } else {
            q(mdp, v, s, a, gamma, false)
        }
    })
}

/// Every action within `tol` of the best q-value; every action in a terminal state.
pub fn greedy_sets(mdp: &sut::Mdp, v: &Array1<f64>, gamma: f64, tol: f64) -> Vec<Vec<usize>> {
    (0..mdp.n_states())
        .map(|s| {
            if mdp.is_terminal(s) {
                return (0..mdp.n_actions()).collect();
            }
            let qs: Vec<f64> = (0..mdp.n_actions())
                .map(|a| q(mdp, v, s, a, gamma, false))
                .collect();
            let best = qs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            (0..qs.len()).filter(|&a| qs[a] >= best - tol).collect()
        })
        .collect()
}

/// `‖T V − V‖∞`, the Bellman optimality residual (terminal states must hold 0).
pub fn bellman_residual(mdp: &sut::Mdp, v: &Array1<f64>, gamma: f64) -> f64 {
    let backed = sweep(mdp, None, v, gamma, Sweep::Synchronous, false);
    change(&backed, v, Norm::Max)
}

/// Outcomes merged per next state: `next → (total probability, probability-weighted reward)`.
pub fn merged(outcomes: &[sut::Transition]) -> BTreeMap<usize, (f64, f64)> {
    let mut map = BTreeMap::new();
    for t in outcomes {
        let e = map.entry(t.next).or_insert((0.0, 0.0));
        e.0 += t.prob;
        e.1 += t.prob * t.reward;
    }
    map
}

/// Whether two outcome lists are the same distribution of next states and rewards.
pub fn same_outcomes(got: &[sut::Transition], expected: &[sut::Transition]) -> bool {
    let (g, e) = (merged(got), merged(expected));
    g.len() == e.len()
        && g.iter().zip(&e).all(|((gs, gv), (es, ev))| {
            gs == es && (gv.0 - ev.0).abs() < 1e-12 && (gv.1 - ev.1).abs() < 1e-12
        })
}

/// Outcomes as `[(p, s′, r), …]` for messages.
pub fn show(outcomes: &[sut::Transition]) -> String {
    let items: Vec<String> = outcomes
        .iter()
        .map(|t| format!("({:.4}, {}, {})", t.prob, t.next, t.reward))
        .collect();
    format!("[{}]", items.join(", "))
}
