//! The figures of exercise 03 for `mlings plot 3`, drawn from the crate under test (`crate::sut`):
//!
//! - `values`: V* of Sutton & Barto's 5×5 gridworld (Figure 3.5) with its optimal moves;
//! - `frozen-lake`: V* of the slippery FrozenLake 8×8 with its optimal moves, holes and goal;
//! - `convergence`: the largest change of each sweep, ‖V_k+1 − V_k‖∞, on a log scale, for value
//!   iteration on both worlds and for evaluating the uniform random policy.
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure, Heatmap, learner};

use crate::sut;

/// Sweeps go on until their largest change is below this: small enough to show the straight line
/// of geometric convergence over many decades.
const THETA: f64 = 1e-12;
/// Actions whose q-values are this close tie (the values are accurate to about γθ/(1 − γ)).
const TIE: f64 = 1e-7;
/// The sweep cap of the policy evaluation the plot program runs itself.
const MAX_SWEEPS: usize = 20_000;
/// Gymnasium's `FrozenLake-v1` 8×8 map: S start, F frozen, H hole, G goal.
const LAKE_8X8: [&str; 8] = [
    "SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG",
];
/// The discount of the 5×5 gridworld, as in the book.
const GRID_GAMMA: f64 = 0.9;
/// The discount of FrozenLake: close to 1, so that the lake converges visibly slower.
const LAKE_GAMMA: f64 = 0.99;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    plot::emit(
        "03-value-iteration",
        vec![
            plot::figure("values", grid_values),
            plot::figure("frozen-lake", lake_values),
            plot::figure("convergence", convergence),
        ],
    );
}

/// Figures 3.2 and 3.5 of Sutton & Barto: off-grid −1, A = (0, 1) → A′ = (4, 1) for +10,
/// B = (0, 3) → B′ = (2, 3) for +5.
fn book_grid() -> sut::Gridworld {
    sut::Gridworld::new(5, 5)
        .off_grid_reward(-1.0)
        .teleport((0, 1), (4, 1), 10.0)
        .teleport((0, 3), (2, 3), 5.0)
}

fn lake() -> Result<sut::Gridworld, String> {
    sut::Gridworld::frozen_lake(&LAKE_8X8).map_err(|e| format!("the FrozenLake 8×8 map: {e}"))
}

/// One arrow per cell: the sum of the unit moves of every greedy action, so that two tied moves
/// (up and right) draw one diagonal arrow; `None` where nothing stands out (a terminal state, or
/// moves that cancel out, as in a teleporting cell where all four tie).
fn arrows(actions: &[Vec<usize>], terminal: impl Fn(usize) -> bool) -> Vec<Option<(f64, f64)>> {
    actions
        .iter()
        .enumerate()
        .map(|(s, tied)| {
            if terminal(s) {
                return None;
            }
            let (dx, dy) = tied.iter().fold((0.0, 0.0), |(dx, dy), &a| {
                let (d_row, d_col) = sut::Action::from_index(a).delta();
                // Row + 1 is down the picture; an arrow's dy > 0 points up.
                (dx + d_col as f64, dy - d_row as f64)
            });
            (dx != 0.0 || dy != 0.0).then_some((dx, dy))
        })
        .collect()
}

/// Where the moves cancel out and `labels` says nothing, the tied moves as letters (`U D`).
fn label_ties(labels: &mut [String], arrows: &[Option<(f64, f64)>], actions: &[Vec<usize>]) {
    for ((label, arrow), tied) in labels.iter_mut().zip(arrows).zip(actions) {
        if label.is_empty() && arrow.is_none() {
            let letters: Vec<String> = tied
                .iter()
                .map(|&a| sut::Action::from_index(a).letter().to_string())
                .collect();
            *label = letters.join(" ");
        }
    }
}

/// V* and the optimal moves of the book's 5×5 gridworld (Figure 3.5).
fn grid_values() -> Result<Figure, String> {
    let grid = book_grid();
    let mdp = learner(grid.to_mdp())?;
    let solved = learner(sut::value_iteration(
        &mdp,
        sut::Settings::new(GRID_GAMMA).theta(THETA),
    ))?;
    let greedy = sut::greedy_actions(&mdp, solved.v.view(), GRID_GAMMA, TIE);
    let mut labels = vec![String::new(); grid.n_states()];
    for (cell, name) in [((0, 1), "A"), ((4, 1), "A′"), ((0, 3), "B"), ((2, 3), "B′")] {
        labels[grid.state(cell)] = name.to_owned();
    }
    let arrows = arrows(&greedy, |s| mdp.is_terminal(s));
    label_ties(&mut labels, &arrows, &greedy);
    let map = Heatmap::new(grid.rows, grid.cols, solved.v.to_vec(), "V*(s)")
        .with_arrows(arrows)
        .with_cell_labels(labels);
    Ok(Figure::heatmap(
        "values",
        &format!(
            "V* and optimal moves: Sutton & Barto's 5×5 gridworld (Fig. 3.5), γ = {GRID_GAMMA}, \
             {} sweeps",
            solved.sweeps
        ),
        "column (a diagonal arrow: two moves tie)",
        "row",
        map,
    ))
}

/// V* and the optimal moves of the slippery FrozenLake 8×8; holes and goal drawn blank.
fn lake_values() -> Result<Figure, String> {
    let lake = lake()?;
    let mdp = learner(lake.to_mdp())?;
    let solved = learner(sut::value_iteration(
        &mdp,
        sut::Settings::new(LAKE_GAMMA).theta(THETA),
    ))?;
    let greedy = sut::greedy_actions(&mdp, solved.v.view(), LAKE_GAMMA, TIE);
    let mut labels: Vec<String> = LAKE_8X8
        .iter()
        .flat_map(|row| row.chars())
        .map(|letter| match letter {
            'F' => String::new(),
            other => other.to_string(),
        })
        .collect();
    let arrows = arrows(&greedy, |s| mdp.is_terminal(s));
    label_ties(&mut labels, &arrows, &greedy);
    let map = Heatmap::new(lake.rows, lake.cols, solved.v.to_vec(), "V*(s)")
        .with_blanks((0..lake.n_states()).map(|s| mdp.is_terminal(s)))
        .with_arrows(arrows)
        .with_cell_labels(labels);
    Ok(Figure::heatmap(
        "frozen-lake",
        &format!(
            "V* and optimal moves: slippery FrozenLake 8×8 (H hole, G goal +1), γ = {LAKE_GAMMA}, \
             {} sweeps",
            solved.sweeps
        ),
        "column (a diagonal arrow: two moves tie)",
        "row",
        map,
    ))
}

/// `(sweep, Δ)` for every sweep with Δ > 0: a log axis cannot show an exact 0.
fn per_sweep(deltas: &[f64]) -> Vec<(f64, f64)> {
    plot::indexed(deltas, 1.0)
        .into_iter()
        .filter(|&(_, delta)| delta > 0.0)
        .collect()
}

/// The largest change of each sweep of policy evaluation of the uniform random policy, swept
/// with the learner's [`sut::evaluation_sweep`] until it falls below θ.
fn evaluation_deltas(mdp: &sut::Mdp, gamma: f64) -> Vec<f64> {
    let policy = sut::uniform_policy(mdp);
    let mut v = ndarray::Array1::zeros(mdp.n_states());
    let mut deltas = Vec::new();
    while deltas.len() < MAX_SWEEPS {
        let v_new = sut::evaluation_sweep(mdp, policy.view(), v.view(), gamma);
        let delta = sut::max_change(v_new.view(), v.view());
        v = v_new;
        deltas.push(delta);
        // Values that blew up stop it too (the figure then says so).
        if delta < THETA || !delta.is_finite() {
            break;
        }
    }
    deltas
}

/// ‖V_k+1 − V_k‖∞ per sweep: value iteration on both worlds, and policy evaluation on the grid.
fn convergence() -> Result<Figure, String> {
    let grid = learner(book_grid().to_mdp())?;
    let on_grid = learner(sut::value_iteration(
        &grid,
        sut::Settings::new(GRID_GAMMA).theta(THETA),
    ))?;
    let evaluation = evaluation_deltas(&grid, GRID_GAMMA);
    let lake = learner(lake()?.to_mdp())?;
    let on_lake = learner(sut::value_iteration(
        &lake,
        sut::Settings::new(LAKE_GAMMA).theta(THETA),
    ))?;
    Ok(Figure::xy(
        "convergence",
        &format!(
            "Largest change per sweep until it falls below θ = {THETA:e}: \
             value iteration and policy evaluation"
        ),
        "sweep k",
        "‖V_k+1 − V_k‖∞ (log scale)",
    )
    .line(
        &format!(
            "value iteration, 5×5 gridworld, γ = {GRID_GAMMA}: {} sweeps",
            on_grid.sweeps
        ),
        per_sweep(&on_grid.deltas),
    )
    .line(
        &format!(
            "evaluating the random policy, 5×5 gridworld, γ = {GRID_GAMMA}: {} sweeps",
            evaluation.len()
        ),
        per_sweep(&evaluation),
    )
    .line(
        &format!(
            "value iteration, FrozenLake 8×8, γ = {LAKE_GAMMA}: {} sweeps",
            on_lake.sweeps
        ),
        per_sweep(&on_lake.deltas),
    )
    .y_log())
}
