//! Step 1 (part 2): gridworlds — the book's examples and FrozenLake — as MDPs.
//!
//! The description ([`Gridworld`] and its builder) and the conversion to an [`Mdp`] are given; you
//! write the dynamics, [`Gridworld::outcomes`]: what can happen after one move.

use ndarray::{Array2, ArrayView1};

use crate::error::DpError;
use crate::mdp::{Mdp, Transition};

/// A cell `(row, col)`, row 0 at the top.
pub type Cell = (usize, usize);

/// The four moves, numbered as in Gymnasium's FrozenLake: `Left = 0, Down = 1, Right = 2, Up = 3`.
///
/// In that order the two neighbours of an action, `(a + 3) % 4` and `(a + 1) % 4`, are its
/// perpendicular moves: where a slippery agent may slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Column − 1.
    Left = 0,
    /// Row + 1.
    Down = 1,
    /// Column + 1.
    Right = 2,
    /// Row − 1.
    Up = 3,
}

impl Action {
    /// Every action, in index order.
    pub const ALL: [Action; 4] = [Action::Left, Action::Down, Action::Right, Action::Up];

    /// The action with index `a` (taken modulo 4).
    pub fn from_index(a: usize) -> Action {
        Action::ALL[a % 4]
    }

    /// The action's index, `0..4`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// `(Δrow, Δcol)` of the move.
    pub fn delta(self) -> (isize, isize) {
        match self {
            Action::Left => (0, -1),
            Action::Down => (1, 0),
            Action::Right => (0, 1),
            Action::Up => (-1, 0),
        }
    }

    /// `'L'`, `'D'`, `'R'` or `'U'`.
    pub fn letter(self) -> char {
        ['L', 'D', 'R', 'U'][self.index()]
    }
}

/// A teleporting cell: every action taken in `from` leads to `to` with reward `reward`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Teleport {
    /// The cell the agent leaves.
    pub from: Cell,
    /// The cell it lands in.
    pub to: Cell,
    /// The reward of the jump.
    pub reward: f64,
}

/// A rectangular gridworld with 4 actions, described by rules; states are cells in row-major
/// order, `s = row · cols + col`.
///
/// The rules of one move, in order (what [`Gridworld::outcomes`] implements):
///
/// ```text
/// 1. a terminal cell is absorbing: every action stays, reward 0
/// 2. a teleporting cell jumps: every action goes to `to`, reward `reward`
/// 3. the agent moves in the chosen direction — or, when slippery, in the chosen direction or
///    either perpendicular one, with probability 1/3 each: (a + 3) % 4, a, (a + 1) % 4
/// 4. a move off the grid stays in place with reward `off_grid_reward`; a move into cell c gets
///    `step_reward` plus the entry reward of c (0 unless set)
/// ```
///
/// The book's examples in these terms:
///
/// ```text
/// Sutton & Barto, Figures 3.2 and 3.5: 5×5, step 0, off-grid −1,
///     A = (0, 1) → A′ = (4, 1) reward +10,   B = (0, 3) → B′ = (2, 3) reward +5,   γ = 0.9
/// Sutton & Barto, Figure 4.1: 4×4, step −1, off-grid −1, terminal (0, 0) and (3, 3),   γ = 1
/// FrozenLake 4×4: slippery, terminal holes H and goal G, entering G gives +1, else 0
/// ```
///
/// # Examples
/// ```
/// # use value_iteration::Gridworld;
/// let figure_4_1 = Gridworld::new(4, 4).step_reward(-1.0).off_grid_reward(-1.0).terminal((0, 0)).terminal((3, 3));
/// assert_eq!(figure_4_1.n_states(), 16);
/// assert_eq!(figure_4_1.state((1, 2)), 6);
/// assert_eq!(figure_4_1.cell(6), (1, 2));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Gridworld {
    /// Rows of the grid.
    pub rows: usize,
    /// Columns of the grid.
    pub cols: usize,
    /// The reward of a move that stays on the grid (before any entry reward); default 0.
    pub step_reward: f64,
    /// The reward of a move off the grid, which leaves the agent in place; default 0.
    pub off_grid_reward: f64,
    /// Teleporting cells.
    pub teleports: Vec<Teleport>,
    /// Terminal (absorbing) cells.
    pub terminals: Vec<Cell>,
    /// Extra rewards for entering a cell.
    pub entry_rewards: Vec<(Cell, f64)>,
    /// Whether moves slip to a perpendicular direction with probability 2/3 (FrozenLake).
    pub slippery: bool,
}

impl Gridworld {
    /// A `rows × cols` grid where every move is deterministic and rewards 0.
    pub fn new(rows: usize, cols: usize) -> Self {
        Gridworld {
            rows,
            cols,
            step_reward: 0.0,
            off_grid_reward: 0.0,
            teleports: Vec::new(),
            terminals: Vec::new(),
            entry_rewards: Vec::new(),
            slippery: false,
        }
    }

    /// Sets the reward of every move that stays on the grid.
    pub fn step_reward(self, reward: f64) -> Self {
        Gridworld {
            step_reward: reward,
            ..self
        }
    }

    /// Sets the reward of a move off the grid.
    pub fn off_grid_reward(self, reward: f64) -> Self {
        Gridworld {
            off_grid_reward: reward,
            ..self
        }
    }

    /// Adds a teleporting cell: every action in `from` leads to `to` with `reward`.
    pub fn teleport(mut self, from: Cell, to: Cell, reward: f64) -> Self {
        self.teleports.push(Teleport { from, to, reward });
        self
    }

    /// Makes `cell` terminal.
    pub fn terminal(mut self, cell: Cell) -> Self {
        self.terminals.push(cell);
        self
    }

    /// Adds `reward` to every move into `cell`.
    pub fn entry_reward(mut self, cell: Cell, reward: f64) -> Self {
        self.entry_rewards.push((cell, reward));
        self
    }

    /// Makes the moves slippery (or not).
    pub fn slippery(self, slippery: bool) -> Self {
        Gridworld { slippery, ..self }
    }

    /// FrozenLake from its map, one string per row: `S` start, `F` frozen, `H` hole (terminal),
    /// `G` goal (terminal, +1 on entering). Slippery as in Gymnasium's default.
    ///
    /// # Errors
    /// [`DpError::ShapeMismatch`] for an empty or ragged map or a letter other than S, F, H, G.
    ///
    /// # Examples
    /// ```
    /// # use value_iteration::Gridworld;
    /// let lake = Gridworld::frozen_lake(&["SFFF", "FHFH", "FFFH", "HFFG"])?;
    /// assert_eq!(lake.terminals.len(), 5);
    /// assert_eq!(lake.entry_rewards, vec![((3, 3), 1.0)]);
    /// # Ok::<(), value_iteration::DpError>(())
    /// ```
    pub fn frozen_lake(map: &[&str]) -> Result<Gridworld, DpError> {
        let cols = map.first().map_or(0, |row| row.chars().count());
        if cols == 0 {
            return Err(DpError::EmptyModel("an empty FrozenLake map".to_owned()));
        }
        let mut lake = Gridworld::new(map.len(), cols).slippery(true);
        for (r, row) in map.iter().enumerate() {
            if row.chars().count() != cols {
                return Err(DpError::ShapeMismatch(format!(
                    "map row {r} has {} cells, row 0 has {cols}",
                    row.chars().count()
                )));
            }
            for (c, letter) in row.chars().enumerate() {
                match letter {
                    'S' | 'F' => {}
                    'H' => lake = lake.terminal((r, c)),
                    'G' => lake = lake.terminal((r, c)).entry_reward((r, c), 1.0),
                    other => {
                        return Err(DpError::ShapeMismatch(format!(
                            "map cell ({r}, {c}) is {other:?}, expected S, F, H or G"
                        )));
                    }
                }
            }
        }
        Ok(lake)
    }

    /// The number of states, `rows · cols`.
    pub fn n_states(&self) -> usize {
        self.rows * self.cols
    }

    /// The state of `cell`: `row · cols + col`.
    pub fn state(&self, (row, col): Cell) -> usize {
        row * self.cols + col
    }

    /// The cell of state `s`.
    pub fn cell(&self, s: usize) -> Cell {
        (s / self.cols, s % self.cols)
    }

    /// The cell one move in `direction` from `cell`, or `None` when that leaves the grid.
    pub fn neighbour(&self, (row, col): Cell, direction: Action) -> Option<Cell> {
        let (dr, dc) = direction.delta();
        let row = row.checked_add_signed(dr).filter(|&r| r < self.rows)?;
        let col = col.checked_add_signed(dc).filter(|&c| c < self.cols)?;
        Some((row, col))
    }

    /// The outcomes of taking `action` in state `s`, following the four rules of [`Gridworld`].
    ///
    /// ```text
    /// s ∈ 0..rows·cols,  action ∈ 0..4 (Left, Down, Right, Up)  →  [(p, s′, r), …],  ∑ p = 1
    /// ```
    ///
    /// Outcomes may repeat a next state (a slippery move into a corner stays put twice): that is
    /// fine, their probabilities add up.
    ///
    /// # Panics
    /// When `s` or `action` is out of range.
    ///
    /// # Examples
    /// ```
    /// # use value_iteration::{Gridworld, Transition};
    /// let grid = Gridworld::new(5, 5).off_grid_reward(-1.0).teleport((0, 1), (4, 1), 10.0);
    /// // Up from the top-left corner bumps into the edge; anything from A jumps to A′.
    /// assert_eq!(grid.outcomes(0, 3), vec![Transition::new(1.0, 0, -1.0)]);
    /// assert_eq!(grid.outcomes(1, 0), vec![Transition::new(1.0, 21, 10.0)]);
    /// ```
    #[track_caller]
    pub fn outcomes(&self, s: usize, action: usize) -> Vec<Transition> {
        assert!(
            s < self.n_states() && action < 4,
            "state {s}, action {action} out of range for a {}×{} grid with 4 actions",
            self.rows,
            self.cols
        );
        // TODO: Apply the four rules of `Gridworld` (terminal, teleport, slip, off-grid) to one move.
        // Up from the corner of a grid with off-grid reward −1: s 0, action 3 -> [(1.0, 0, -1.0)]
        todo!(
            "outcomes of action {action} in state {s} of a {}×{} grid",
            self.rows,
            self.cols
        )
    }

    /// The whole grid as an [`Mdp`]: [`Gridworld::outcomes`] of every state and action, the
    /// terminal cells flagged, through [`Mdp::new`] (which validates it).
    ///
    /// # Errors
    /// [`DpError::EmptyModel`] for a grid with no cells; whatever [`crate::validate`] finds.
    pub fn to_mdp(&self) -> Result<Mdp, DpError> {
        let table = (0..self.n_states())
            .map(|s| (0..4).map(|a| self.outcomes(s, a)).collect())
            .collect();
        let terminal = (0..self.n_states())
            .map(|s| self.terminals.contains(&self.cell(s)))
            .collect();
        Mdp::new(table, terminal)
    }

    /// `values: (rows · cols)` laid out as the grid, `(rows, cols)`: for printing and plots.
    ///
    /// # Panics
    /// When `values` does not have one entry per cell.
    #[track_caller]
    pub fn to_grid(&self, values: ArrayView1<'_, f64>) -> Array2<f64> {
        assert_eq!(values.len(), self.n_states(), "one value per cell");
        Array2::from_shape_fn((self.rows, self.cols), |(r, c)| values[self.state((r, c))])
    }
}
