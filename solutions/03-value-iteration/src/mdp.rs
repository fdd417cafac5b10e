//! Step 1 (part 1): the tabular MDP, stored sparse per (state, action), and its validation.
//!
//! The storage is given; you write [`validate`], which [`Mdp::new`] calls before it packs the
//! table.

use crate::error::DpError;

/// One possible outcome of taking an action in a state: with probability `prob` the next state
/// is `next` and the reward is `reward`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transition {
    /// P(s′, r | s, a), in `[0, 1]`.
    pub prob: f64,
    /// The next state s′.
    pub next: usize,
    /// The reward r received on this transition.
    pub reward: f64,
}

impl Transition {
    /// The outcome "`next` with probability `prob` and reward `reward`".
    pub fn new(prob: f64, next: usize, reward: f64) -> Self {
        Transition { prob, next, reward }
    }
}

/// The outcomes of every action in every state, as the model is written down:
/// `table[s][a]` lists the transitions of action `a` in state `s`.
pub type Table = Vec<Vec<Vec<Transition>>>;

/// A finite MDP with `S` states and `A` actions per state, its transitions stored sparse.
///
/// ```text
/// S  states 0..S        A  actions 0..A (the same in every state)
/// outcomes(s, a) = [(p, s′, r), …]     ∑ p = 1,   at most a few per (s, a)
/// terminal(s)    the episode ends in s: V(s) = 0, and no sweep ever updates it
/// ```
///
/// Transitions are stored in one flat, compressed (CSR-like) layout: the outcomes of `(s, a)`
/// are the contiguous range `start[s·A + a] .. start[s·A + a + 1]` of the arrays `next`, `prob`
/// and `reward`, in state-then-action order. A sweep reads them front to back ([`Mdp::flat`]),
/// which is what makes one on a 250,000-state gridworld take about a millisecond. Next states
/// are `u32` to halve that traffic, the expected reward `r̄(s, a) = ∑ p·r` is stored once per
/// `(s, a)`, and a deterministic model is flagged so that a sweep can skip `start` and `prob`.
///
/// Terminal states keep whatever outcomes the table gives them: it is the algorithms' job to
/// leave their value at 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Mdp {
    n_states: usize,
    n_actions: usize,
    start: Vec<u32>,
    next: Vec<u32>,
    prob: Vec<f64>,
    reward: Vec<f64>,
    expected_reward: Vec<f64>,
    deterministic: bool,
    terminal: Vec<bool>,
}

/// The flat arrays of an [`Mdp`], borrowed: row `i = s·A + a` is the pair `(s, a)`.
///
/// ```text
/// start: (S·A + 1)    the outcomes of row i are start[i] .. start[i + 1]
/// next, prob: (T)     s′ and P(s′ | s, a) of each of the T transitions
/// expected_reward: (S·A)    r̄(s, a) = ∑ p·r
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Flat<'a> {
    /// Where each row's outcomes begin, `(S·A + 1)`; the last entry is `T`.
    pub start: &'a [u32],
    /// The next state of each transition, `(T)`.
    pub next: &'a [u32],
    /// The probability of each transition, `(T)`.
    pub prob: &'a [f64],
    /// The expected immediate reward of each row, `(S·A)`.
    pub expected_reward: &'a [f64],
    /// Whether every row has exactly one outcome, of probability 1 (a deterministic model, like
    /// a gridworld that is not slippery): then row i's next state is `next[i]`, and a sweep
    /// need not read `start` or `prob` at all.
    pub deterministic: bool,
}

impl Mdp {
    /// Checks `table` and `terminal` with [`validate`], then packs them.
    ///
    /// ```text
    /// table: S lists of A lists of transitions     terminal: (S)
    /// ```
    ///
    /// # Errors
    /// Whatever [`validate`] finds.
    ///
    /// # Examples
    /// ```
    /// # use value_iteration_solution::{Mdp, Transition};
    /// // Two states; action 0 stays, action 1 moves to the terminal state 1 for a reward of 1.
    /// let stay = Transition::new(1.0, 0, 0.0);
    /// let go = Transition::new(1.0, 1, 1.0);
    /// let end = Transition::new(1.0, 1, 0.0);
    /// let mdp = Mdp::new(vec![vec![vec![stay], vec![go]], vec![vec![end], vec![end]]], vec![false, true])?;
    /// assert_eq!((mdp.n_states(), mdp.n_actions()), (2, 2));
    /// assert_eq!(mdp.outcomes(0, 1).collect::<Vec<_>>(), vec![go]);
    /// # Ok::<(), value_iteration_solution::DpError>(())
    /// ```
    pub fn new(table: Table, terminal: Vec<bool>) -> Result<Mdp, DpError> {
        validate(&table, &terminal)?;
        Ok(Mdp::new_unchecked(table, terminal))
    }

    /// Packs `table` without [`validate`]: for the grading suite and the benches, which build
    /// models they know to be valid (so that your later steps are graded even before `validate`
    /// works).
    ///
    /// # Panics
    /// When the table is ragged, does not have one row per entry of `terminal`, names a next
    /// state out of range, or has more than `u32::MAX` states or transitions.
    #[track_caller]
    pub fn new_unchecked(table: Table, terminal: Vec<bool>) -> Mdp {
        let n_states = table.len();
        let n_actions = table.first().map_or(0, Vec::len);
        assert_eq!(terminal.len(), n_states, "one terminal flag per state");
        assert!(u32::try_from(n_states).is_ok(), "too many states for u32");
        let total: usize = table.iter().flatten().map(Vec::len).sum();
        let mut mdp = Mdp {
            n_states,
            n_actions,
            start: Vec::with_capacity(n_states * n_actions + 1),
            next: Vec::with_capacity(total),
            prob: Vec::with_capacity(total),
            reward: Vec::with_capacity(total),
            expected_reward: Vec::with_capacity(n_states * n_actions),
            deterministic: false,
            terminal,
        };
        mdp.start.push(0);
        for (s, actions) in table.iter().enumerate() {
            assert_eq!(actions.len(), n_actions, "state {s}: ragged action lists");
            for outcomes in actions {
                let mut expected = 0.0;
                for t in outcomes {
                    assert!(
                        t.next < n_states,
                        "state {s}: next state {} out of range",
                        t.next
                    );
                    mdp.next.push(t.next as u32);
                    mdp.prob.push(t.prob);
                    mdp.reward.push(t.reward);
                    expected += t.prob * t.reward;
                }
                mdp.expected_reward.push(expected);
                let end = u32::try_from(mdp.next.len()).expect("too many transitions for u32");
                mdp.start.push(end);
            }
        }
        mdp.deterministic = mdp.start.windows(2).all(|row| row[1] - row[0] == 1)
            && mdp.prob.iter().all(|&p| p == 1.0);
        mdp
    }

    /// The number of states `S`.
    pub fn n_states(&self) -> usize {
        self.n_states
    }

    /// The number of actions `A` of every state.
    pub fn n_actions(&self) -> usize {
        self.n_actions
    }

    /// Whether `s` is terminal (its value is 0 and stays 0).
    pub fn is_terminal(&self, s: usize) -> bool {
        self.terminal[s]
    }

    /// The terminal flags of every state, `(S)`.
    pub fn terminal(&self) -> &[bool] {
        &self.terminal
    }

    /// The transitions of action `a` in state `s`: `(p, s′, r)` for each outcome.
    ///
    /// # Panics
    /// When `s` or `a` is out of range.
    #[track_caller]
    pub fn outcomes(&self, s: usize, a: usize) -> impl Iterator<Item = Transition> + '_ {
        let range = self.range(s, a);
        (range.clone()).map(move |t| Transition {
            prob: self.prob[t],
            next: self.next[t] as usize,
            reward: self.reward[t],
        })
    }

    /// The expected immediate reward `r̄(s, a) = ∑ p·r` of action `a` in state `s`.
    ///
    /// # Panics
    /// When `s` or `a` is out of range.
    #[track_caller]
    pub fn expected_reward(&self, s: usize, a: usize) -> f64 {
        self.expected_reward[self.index(s, a)]
    }

    /// The next states and their probabilities for action `a` in state `s`, as two slices of
    /// the flat layout: what a fast sweep reads, `∑ prob[k] · V(next[k])`.
    ///
    /// # Panics
    /// When `s` or `a` is out of range.
    #[track_caller]
    pub fn successors(&self, s: usize, a: usize) -> (&[u32], &[f64]) {
        let range = self.range(s, a);
        (&self.next[range.clone()], &self.prob[range])
    }

    /// The total number of stored transitions.
    pub fn n_transitions(&self) -> usize {
        self.next.len()
    }

    /// The whole flat layout at once, for a sweep over every state: the same numbers as
    /// [`Mdp::successors`] and [`Mdp::expected_reward`], without looking each `(s, a)` up.
    ///
    /// # Examples
    /// ```
    /// # use value_iteration_solution::Gridworld;
    /// let mdp = Gridworld::new(1, 3).step_reward(-1.0).terminal((0, 2)).to_mdp()?;
    /// let flat = mdp.flat();
    /// // (s, a) = (1, 2) is row 1·4 + 2 = 6: Right from the middle cell reaches state 2.
    /// let k = flat.start[6] as usize..flat.start[7] as usize;
    /// assert_eq!((&flat.next[k.clone()], &flat.prob[k]), mdp.successors(1, 2));
    /// assert_eq!(flat.expected_reward[6], mdp.expected_reward(1, 2));
    /// # Ok::<(), value_iteration_solution::DpError>(())
    /// ```
    pub fn flat(&self) -> Flat<'_> {
        Flat {
            start: &self.start,
            next: &self.next,
            prob: &self.prob,
            expected_reward: &self.expected_reward,
            deterministic: self.deterministic,
        }
    }

    #[track_caller]
    fn index(&self, s: usize, a: usize) -> usize {
        assert!(
            s < self.n_states && a < self.n_actions,
            "(state {s}, action {a}) out of range for {} states and {} actions",
            self.n_states,
            self.n_actions
        );
        s * self.n_actions + a
    }

    #[track_caller]
    fn range(&self, s: usize, a: usize) -> std::ops::Range<usize> {
        let i = self.index(s, a);
        self.start[i] as usize..self.start[i + 1] as usize
    }
}

/// Checks that `table` and `terminal` describe a valid MDP, returning the first problem found.
///
/// ```text
/// table: S lists of A lists of (p, s′, r)      terminal: (S)
/// S ≥ 1, A ≥ 1, every state has A actions, one terminal flag per state
/// for every (s, a), terminal states included:
///     at least one outcome,  0 ≤ p ≤ 1,  |∑ p − 1| ≤ 1e-9,  s′ < S,  r finite
/// ```
///
/// A terminal state need not be absorbing: its transitions are validated like any other
/// state's, but they may lead anywhere, since no algorithm ever reads them.
///
/// # Errors
/// [`DpError::EmptyModel`] for no states or no actions; [`DpError::ShapeMismatch`] for a ragged
/// table or the wrong number of terminal flags; then, scanning states and actions in order,
/// [`DpError::NoOutcomes`], [`DpError::BadProbability`], [`DpError::NextStateOutOfRange`],
/// [`DpError::BadReward`] and [`DpError::ProbabilitiesDoNotSumToOne`] for the first bad `(s, a)`.
///
/// # Examples
/// ```
/// # use value_iteration_solution::{validate, DpError, Transition};
/// let half = Transition::new(0.5, 0, 1.0);
/// assert_eq!(validate(&vec![vec![vec![half, half]]], &[false]), Ok(()));
/// assert_eq!(
///     validate(&vec![vec![vec![half]]], &[false]),
///     Err(DpError::ProbabilitiesDoNotSumToOne { state: 0, action: 0, total: 0.5 })
/// );
/// ```
pub fn validate(table: &[Vec<Vec<Transition>>], terminal: &[bool]) -> Result<(), DpError> {
    // BEGIN SOLUTION
    let n_states = table.len();
    let n_actions = table.first().map_or(0, Vec::len);
    if n_states == 0 || n_actions == 0 {
        return Err(DpError::EmptyModel(format!(
            "{n_states} states with {n_actions} actions"
        )));
    }
    if terminal.len() != n_states {
        return Err(DpError::ShapeMismatch(format!(
            "{} terminal flags for {n_states} states",
            terminal.len()
        )));
    }
    for (state, actions) in table.iter().enumerate() {
        if actions.len() != n_actions {
            return Err(DpError::ShapeMismatch(format!(
                "state {state} has {} actions, state 0 has {n_actions}",
                actions.len()
            )));
        }
        for (action, outcomes) in actions.iter().enumerate() {
            if outcomes.is_empty() {
                return Err(DpError::NoOutcomes { state, action });
            }
            for t in outcomes {
                if !(0.0..=1.0).contains(&t.prob) {
                    let prob = t.prob;
                    return Err(DpError::BadProbability {
                        state,
                        action,
                        prob,
                    });
                }
                if t.next >= n_states {
                    let next = t.next;
                    return Err(DpError::NextStateOutOfRange {
                        state,
                        action,
                        next,
                        n_states,
                    });
                }
                if !t.reward.is_finite() {
                    let reward = t.reward;
                    return Err(DpError::BadReward {
                        state,
                        action,
                        reward,
                    });
                }
            }
            let total: f64 = outcomes.iter().map(|t| t.prob).sum();
            if (total - 1.0).abs() > 1e-9 {
                return Err(DpError::ProbabilitiesDoNotSumToOne {
                    state,
                    action,
                    total,
                });
            }
        }
    }
    Ok(())
    // STUB
    // // TODO: Return the first problem of the table as a DpError, scanning states then actions.
    // // [[[(0.5, 0, 1.0)]]] -> Err(ProbabilitiesDoNotSumToOne { state: 0, action: 0, total: 0.5 })
    // todo!(
    //     "validate a table of {} states and {} terminal flags",
    //     table.len(),
    //     terminal.len()
    // )
    // END SOLUTION
}
