//! Exercise 03 benches: the learner's dynamic-programming sweeps against the reference and naive
//! loops, on a deterministic n×n gridworld: 4 actions, reward −1 per step (a move off the grid
//! stays put, also for −1), an absorbing goal in the top-left corner, γ = 0.99 — the workload of
//! `benches/peers/value_iteration.py`, built with the crate's `Gridworld::to_mdp`.
//!
//! - `sweep`: one synchronous Bellman optimality sweep, `optimality_sweep`,
//!   `V′(s) = maxₐ [ r̄(s, a) + γ ∑ₛ′ P(s′|s, a) · V(s′) ]` (target ≤ 0.5 ms at 500×500 with the
//!   reference; numpy takes 13–14 ms on flat transitions, scipy's sparse P·V 3.1 ms);
//! - `evaluation_sweep`: one synchronous policy-evaluation sweep of the uniform random policy,
//!   `V′(s) = ∑ₐ π(a|s) · q(s, a; V)`, which returns a new vector (500×500 only).
//!
//! Sizes 100×100 and 500×500 (10,000 and 250,000 states, 4 transitions per state); throughput
//! in transitions per second. "naive" is the sweep a learner writes first: loops over the
//! nested `Vec<Vec<Vec<Transition>>>` table the model is written down as. The learner's rows
//! run only once its kernel matches the reference on a small probe.
//!
//! ```sh
//! cargo bench -p value-iteration-solution --bench value_iteration
//! ```

use std::hint::black_box;
use std::sync::OnceLock;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use value_iteration as learner;
use value_iteration_solution as reference;

const SIDES: [usize; 2] = [100, 500];
/// The evaluation sweep is benchmarked at this size only: criterion's report takes seconds per
/// benchmark, and the 100×100 rows would say nothing the `sweep` group does not.
const EVALUATION_SIDE: usize = 500;
const GAMMA: f64 = 0.99;

/// The gridworld of every bench: n×n, −1 per step and per bump into the edge, goal at (0, 0).
fn gridworld(n: usize) -> reference::Gridworld {
    reference::Gridworld::new(n, n)
        .step_reward(-1.0)
        .off_grid_reward(-1.0)
        .terminal((0, 0))
}

/// One gridworld in the three forms the implementations read: the reference's packed model,
/// the learner's (the same transitions, packed by the learner's crate), and the nested table a
/// naive sweep walks, with its terminal flags.
struct Problem {
    reference: reference::Mdp,
    learner: learner::Mdp,
    table: reference::Table,
    terminal: Vec<bool>,
}

impl Problem {
    fn new(n: usize) -> Problem {
        let grid = gridworld(n);
        let reference = grid.to_mdp().expect("a valid gridworld");
        let table: reference::Table = (0..grid.n_states())
            .map(|s| (0..4).map(|a| grid.outcomes(s, a)).collect())
            .collect();
        let terminal = reference.terminal().to_vec();
        // The learner's model from the reference's dynamics, so that its sweep is benchmarked
        // even before its `Gridworld::outcomes` works.
        let learner_table = table
            .iter()
            .map(|actions| {
                actions
                    .iter()
                    .map(|outcomes| {
                        outcomes
                            .iter()
                            .map(|t| learner::Transition::new(t.prob, t.next, t.reward))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let learner = learner::Mdp::new_unchecked(learner_table, terminal.clone());
        Problem {
            reference,
            learner,
            table,
            terminal,
        }
    }
}

/// The gridworlds of [`SIDES`], built once for both groups (a 500×500 one takes a while).
fn problems() -> &'static [(usize, Problem)] {
    static PROBLEMS: OnceLock<Vec<(usize, Problem)>> = OnceLock::new();
    PROBLEMS.get_or_init(|| SIDES.iter().map(|&n| (n, Problem::new(n))).collect())
}

/// Values to sweep from, seeded and asymmetric: −100·U[0, 1) per state, 0 at the goal.
fn values(states: usize, seed: u64) -> Array1<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut v = Array1::from_shape_simple_fn(states, || -100.0 * rng.random_range(0.0..1.0));
    v[0] = 0.0;
    v
}

fn size(n: usize) -> String {
    format!("{n}x{n}")
}

fn close(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-10 * (1.0 + y.abs()))
}

/// One optimality sweep over the nested table, state by state; returns the largest change.
fn optimality_sweep_loops(
    table: &reference::Table,
    terminal: &[bool],
    v: &[f64],
    v_new: &mut [f64],
    gamma: f64,
) -> f64 {
    let mut delta: f64 = 0.0;
    for (s, actions) in table.iter().enumerate() {
        if terminal[s] {
            v_new[s] = 0.0;
            continue;
        }
        let mut best = f64::NEG_INFINITY;
        for outcomes in actions {
            let mut q = 0.0;
            for t in outcomes {
                q += t.prob * (t.reward + gamma * v[t.next]);
            }
            best = best.max(q);
        }
        delta = delta.max((best - v[s]).abs());
        v_new[s] = best;
    }
    delta
}

/// One policy-evaluation sweep over the nested table, state by state, into a new vector.
fn evaluation_sweep_loops(
    table: &reference::Table,
    terminal: &[bool],
    policy: ArrayView2<'_, f64>,
    v: &[f64],
    gamma: f64,
) -> Vec<f64> {
    let mut v_new = vec![0.0; table.len()];
    for (s, actions) in table.iter().enumerate() {
        if terminal[s] {
            continue;
        }
        for (a, outcomes) in actions.iter().enumerate() {
            let mut q = 0.0;
            for t in outcomes {
                q += t.prob * (t.reward + gamma * v[t.next]);
            }
            v_new[s] += policy[[s, a]] * q;
        }
    }
    v_new
}

fn sweep(c: &mut Criterion) {
    let probe = Problem::new(7);
    let v = values(49, 1);
    let mut want = Array1::zeros(49);
    let want_delta =
        reference::optimality_sweep(&probe.reference, v.view(), want.view_mut(), GAMMA);
    let ready = mlings_benches::learner_ready("sweep", || {
        let mut got = Array1::zeros(49);
        let delta = learner::optimality_sweep(&probe.learner, v.view(), got.view_mut(), GAMMA);
        close(got.view(), want.view()) && (delta - want_delta).abs() <= 1e-10
    });
    let mut group = c.benchmark_group("sweep");
    for (n, problem) in problems().iter().map(|(n, p)| (*n, p)) {
        let v = values(n * n, n as u64);
        let mut v_new = Array1::zeros(n * n);
        group.throughput(Throughput::Elements(
            problem.reference.n_transitions() as u64
        ));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", size(n)), &n, |b, _| {
                b.iter(|| {
                    learner::optimality_sweep(
                        &problem.learner,
                        black_box(v.view()),
                        v_new.view_mut(),
                        GAMMA,
                    )
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", size(n)), &n, |b, _| {
            b.iter(|| {
                reference::optimality_sweep(
                    &problem.reference,
                    black_box(v.view()),
                    v_new.view_mut(),
                    GAMMA,
                )
            })
        });
        let (v, v_new) = (v.as_slice().expect("standard layout"), v_new.as_slice_mut());
        let v_new = v_new.expect("standard layout");
        group.bench_with_input(BenchmarkId::new("naive", size(n)), &n, |b, _| {
            b.iter(|| {
                optimality_sweep_loops(
                    &problem.table,
                    &problem.terminal,
                    black_box(v),
                    v_new,
                    GAMMA,
                )
            })
        });
    }
    group.finish();
}

fn evaluation_sweep(c: &mut Criterion) {
    let probe = Problem::new(7);
    let policy = reference::uniform_policy(&probe.reference);
    let v = values(49, 2);
    let want = reference::evaluation_sweep(&probe.reference, policy.view(), v.view(), GAMMA);
    let ready = mlings_benches::learner_ready("evaluation_sweep", || {
        let got = learner::evaluation_sweep(&probe.learner, policy.view(), v.view(), GAMMA);
        close(got.view(), want.view())
    });
    let mut group = c.benchmark_group("evaluation_sweep");
    for (n, problem) in problems()
        .iter()
        .filter(|(n, _)| *n == EVALUATION_SIDE)
        .map(|(n, p)| (*n, p))
    {
        let policy: Array2<f64> = reference::uniform_policy(&problem.reference);
        let v = values(n * n, n as u64 + 1);
        group.throughput(Throughput::Elements(
            problem.reference.n_transitions() as u64
        ));
        if ready {
            group.bench_with_input(BenchmarkId::new("learner", size(n)), &n, |b, _| {
                b.iter(|| {
                    black_box(learner::evaluation_sweep(
                        &problem.learner,
                        policy.view(),
                        black_box(v.view()),
                        GAMMA,
                    ))
                })
            });
        }
        group.bench_with_input(BenchmarkId::new("reference", size(n)), &n, |b, _| {
            b.iter(|| {
                black_box(reference::evaluation_sweep(
                    &problem.reference,
                    policy.view(),
                    black_box(v.view()),
                    GAMMA,
                ))
            })
        });
        let v = v.as_slice().expect("standard layout");
        group.bench_with_input(BenchmarkId::new("naive", size(n)), &n, |b, _| {
            b.iter(|| {
                black_box(evaluation_sweep_loops(
                    &problem.table,
                    &problem.terminal,
                    policy.view(),
                    black_box(v),
                    GAMMA,
                ))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = mlings_benches::config();
    targets = sweep, evaluation_sweep
}
criterion_main!(benches);
