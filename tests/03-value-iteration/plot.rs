//! The figures of exercise 03 for `mlings plot 3`, drawn from the crate under test (`crate::sut`):
//!
//! - `values`: V* of Sutton & Barto's 5×5 gridworld (Figure 3.5) with its optimal moves;
//! - `frozen-lake`: V* of the slippery FrozenLake 8×8 with its optimal moves, holes and goal;
//! - `convergence`: the largest change of each sweep, ‖V_k+1 − V_k‖∞, on a log scale, for value
//!   iteration on both worlds and for evaluating the uniform random policy.
//!
//! Each figure draws what the learner's finished steps allow and names the step the rest needs:
//! until value iteration (step 5) works, the heatmaps show the values of the uniform random
//! policy (policy evaluation, step 3; Figure 3.2 for the gridworld), with the greedy moves once
//! step 4 works, and the convergence figure the sweeps that can be run.
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure, Heatmap, StepError};
use ndarray::Array1;

use crate::sut;

// The steps the figures wait for, as the suite declares them; the plot names only a few.
#[allow(dead_code)]
#[path = "steps.rs"]
mod steps;

use steps::{GREEDY_POLICY, MODEL, POLICY_EVALUATION, VALUE_ITERATION};

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

/// The values a heatmap shows: V* by the learner's value iteration, or until step 5 works, the
/// values of the uniform random policy by the learner's policy evaluation (step 3).
struct Values {
    v: Array1<f64>,
    sweeps: usize,
    /// Why V* is not drawn, when these are the random policy's values.
    waiting: Option<StepError>,
}

impl Values {
    fn of(mdp: &sut::Mdp, gamma: f64) -> Result<Values, String> {
        let settings = sut::Settings::new(gamma).theta(THETA);
        let optimal = plot::try_step(VALUE_ITERATION, || sut::value_iteration(mdp, settings));
        match optimal {
            Ok(solved) => Ok(Values {
                v: solved.v,
                sweeps: solved.sweeps,
                waiting: None,
            }),
            Err(waiting) => {
                let policy = sut::uniform_policy(mdp);
                let random = plot::try_step(POLICY_EVALUATION, || {
                    sut::evaluate_policy(mdp, policy.view(), settings)
                })
                .map_err(|why| format!("V* {waiting}; the random policy's values {why}"))?;
                Ok(Values {
                    v: random.v,
                    sweeps: random.sweeps,
                    waiting: Some(waiting),
                })
            }
        }
    }

    /// `V*(s)` or `Vπ(s)`.
    fn symbol(&self) -> &'static str {
        if self.waiting.is_none() {
            "V*(s)"
        } else {
            "Vπ(s)"
        }
    }

    /// What the title calls the values and their moves.
    fn what(&self) -> &'static str {
        if self.waiting.is_none() {
            "V* and optimal moves"
        } else {
            "V of the uniform random policy and its greedy moves"
        }
    }
}

/// A heatmap of `values` on `world`, with the greedy moves by the learner's step 4 when it works,
/// and the notes of what it waits for.
fn values_heatmap(
    mdp: &sut::Mdp,
    values: &Values,
    gamma: f64,
    (rows, cols): (usize, usize),
    mut labels: Vec<String>,
    blank: impl Fn(usize) -> bool,
) -> (Heatmap, Vec<String>) {
    let mut notes: Vec<String> = values
        .waiting
        .iter()
        .map(|waiting| format!("V* {waiting}"))
        .collect();
    let greedy = plot::step(GREEDY_POLICY, || {
        sut::greedy_actions(mdp, values.v.view(), gamma, TIE)
    });
    let map = Heatmap::new(rows, cols, values.v.to_vec(), values.symbol())
        .with_blanks((0..mdp.n_states()).map(blank));
    let map = match greedy {
        Ok(greedy) => {
            let arrows = arrows(&greedy, |s| mdp.is_terminal(s));
            label_ties(&mut labels, &arrows, &greedy);
            map.with_arrows(arrows)
        }
        Err(waiting) => {
            notes.push(format!("drawing the moves {waiting}"));
            map
        }
    };
    (map.with_cell_labels(labels), notes)
}

/// V* and the optimal moves of the book's 5×5 gridworld (Figure 3.5); until value iteration
/// works, the values of the random policy (Figure 3.2).
fn grid_values() -> Result<Figure, String> {
    let grid = book_grid();
    let mdp = plot::try_step(MODEL, || grid.to_mdp())?;
    let values = Values::of(&mdp, GRID_GAMMA)?;
    let mut labels = vec![String::new(); grid.n_states()];
    for (cell, name) in [((0, 1), "A"), ((4, 1), "A′"), ((0, 3), "B"), ((2, 3), "B′")] {
        labels[grid.state(cell)] = name.to_owned();
    }
    let (map, notes) = values_heatmap(
        &mdp,
        &values,
        GRID_GAMMA,
        (grid.rows, grid.cols),
        labels,
        |_| false,
    );
    let figure_number = if values.waiting.is_none() {
        "3.5"
    } else {
        "3.2"
    };
    let figure = Figure::heatmap(
        "values",
        &format!(
            "{}: Sutton & Barto's 5×5 gridworld (Fig. {figure_number}), γ = {GRID_GAMMA}, \
             {} sweeps",
            values.what(),
            values.sweeps
        ),
        "column (a diagonal arrow: two moves tie)",
        "row",
        map,
    );
    Ok(notes.into_iter().fold(figure, Figure::note))
}

/// V* and the optimal moves of the slippery FrozenLake 8×8 (the random policy's values until
/// value iteration works); holes and goal drawn blank.
fn lake_values() -> Result<Figure, String> {
    let lake = lake()?;
    let mdp = plot::try_step(MODEL, || lake.to_mdp())?;
    let values = Values::of(&mdp, LAKE_GAMMA)?;
    let labels: Vec<String> = LAKE_8X8
        .iter()
        .flat_map(|row| row.chars())
        .map(|letter| match letter {
            'F' => String::new(),
            other => other.to_string(),
        })
        .collect();
    let (map, notes) = values_heatmap(
        &mdp,
        &values,
        LAKE_GAMMA,
        (lake.rows, lake.cols),
        labels,
        |s| mdp.is_terminal(s),
    );
    let figure = Figure::heatmap(
        "frozen-lake",
        &format!(
            "{}: slippery FrozenLake 8×8 (H hole, G goal +1), γ = {LAKE_GAMMA}, {} sweeps",
            values.what(),
            values.sweeps
        ),
        "column (a diagonal arrow: two moves tie)",
        "row",
        map,
    );
    Ok(notes.into_iter().fold(figure, Figure::note))
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
    let mut v = Array1::zeros(mdp.n_states());
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

/// ‖V_k+1 − V_k‖∞ per sweep: value iteration on both worlds (step 5), and policy evaluation on
/// the grid (step 3), whichever the learner's steps allow.
fn convergence() -> Result<Figure, String> {
    let grid = plot::try_step(MODEL, || book_grid().to_mdp())?;
    let lake = lake()?;
    let lake = plot::try_step(MODEL, || lake.to_mdp())?;
    let iterate = |mdp: &sut::Mdp, gamma: f64| {
        plot::try_step(VALUE_ITERATION, || {
            sut::value_iteration(mdp, sut::Settings::new(gamma).theta(THETA))
        })
    };
    let mut lines = Vec::new();
    let mut waiting = None;
    match iterate(&grid, GRID_GAMMA) {
        Ok(on_grid) => lines.push((
            format!(
                "value iteration, 5×5 gridworld, γ = {GRID_GAMMA}: {} sweeps",
                on_grid.sweeps
            ),
            per_sweep(&on_grid.deltas),
        )),
        Err(why) => waiting = Some(format!("value iteration {why}")),
    }
    let mut evaluation_waits = None;
    match plot::step(POLICY_EVALUATION, || evaluation_deltas(&grid, GRID_GAMMA)) {
        Ok(evaluation) => lines.push((
            format!(
                "evaluating the random policy, 5×5 gridworld, γ = {GRID_GAMMA}: {} sweeps",
                evaluation.len()
            ),
            per_sweep(&evaluation),
        )),
        Err(why) => evaluation_waits = Some(format!("policy evaluation {why}")),
    }
    if waiting.is_none() {
        match iterate(&lake, LAKE_GAMMA) {
            Ok(on_lake) => lines.push((
                format!(
                    "value iteration, FrozenLake 8×8, γ = {LAKE_GAMMA}: {} sweeps",
                    on_lake.sweeps
                ),
                per_sweep(&on_lake.deltas),
            )),
            Err(why) => waiting = Some(format!("value iteration {why}")),
        }
    }
    let notes: Vec<String> = waiting.into_iter().chain(evaluation_waits).collect();
    if lines.is_empty() {
        return Err(notes.join("; "));
    }
    let figure = Figure::xy(
        "convergence",
        &format!(
            "Largest change per sweep until it falls below θ = {THETA:e}: \
             value iteration and policy evaluation"
        ),
        "sweep k",
        "‖V_k+1 − V_k‖∞ (log scale)",
    )
    .y_log();
    let figure = lines.into_iter().fold(figure, |figure, (label, points)| {
        figure.line(&label, points)
    });
    Ok(notes.into_iter().fold(figure, Figure::note))
}
