"""One synchronous value-iteration sweep on a deterministic gridworld, vectorised in numpy.

The workload of the `sweep` group of solutions/03-value-iteration/benches/value_iteration.rs: an n×n grid, 4 actions (up,
down, left, right; a move off the grid stays put), reward −1 per step, an absorbing goal in the
top-left corner whose value stays 0, γ = 0.99:

    V'(s) = max_a [ −1 + γ · V(next(s, a)) ],   V'(goal) = 0

Three vectorisations, from the most general to numpy's best case:

- `numpy` (tabular): the MDP as flat arrays of transitions (state-action, probability, next
  state, reward), as a general sparse MDP stores them; the expected values are summed per
  state-action with `np.bincount`, then maximised over the actions;
- `numpy-gather`: deterministic moves only, V read through a (4, n²) table of next states;
- `numpy-shifted`: the grid's structure, four shifted copies of V;
- `scipy-sparse` (when scipy is installed): the transitions as a sparse (S·A) × S matrix P in
  CSR form, q = r + γ P V, then the max over the actions.

    python benches/peers/value_iteration.py
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import numpy as np

GAMMA = 0.99
REWARD = -1.0


def next_states(n):
    """(4, n²) table: the state reached from each state by up, down, left, right."""
    rows, cols = np.divmod(np.arange(n * n), n)
    up = np.maximum(rows - 1, 0) * n + cols
    down = np.minimum(rows + 1, n - 1) * n + cols
    left = rows * n + np.maximum(cols - 1, 0)
    right = rows * n + np.minimum(cols + 1, n - 1)
    return np.stack([up, down, left, right])


def transitions(table):
    """Flat transition arrays of the same MDP: state-action index, probability, next, reward."""
    actions, states = table.shape
    sa = (np.arange(states)[None, :] * actions + np.arange(actions)[:, None]).ravel()
    nxt = table.ravel()
    # The goal (state 0) is absorbing with no reward: its rows are dropped, so its q is 0.
    keep = sa // actions != 0
    sa, nxt = sa[keep], nxt[keep]
    return sa, np.ones(sa.size), nxt, np.full(sa.size, REWARD), states * actions


def sweep_tabular(v, mdp):
    """One sweep over flat transitions: q(s, a) = ∑ p · (r + γ V(s')), V'(s) = max_a q(s, a)."""
    sa, prob, nxt, reward, size = mdp
    q = np.bincount(sa, weights=prob * (reward + GAMMA * v[nxt]), minlength=size)
    return q.reshape(-1, 4).max(axis=1)


def sparse_mdp(mdp):
    """The flat transitions as a CSR matrix P: (S·A) × S, and the expected rewards r: (S·A)."""
    from scipy import sparse

    sa, prob, nxt, reward, size = mdp
    p = sparse.csr_matrix((prob, (sa, nxt)), shape=(size, size // 4))
    r = np.bincount(sa, weights=prob * reward, minlength=size)
    return p, r


def sweep_sparse(v, p_r):
    """One sweep as a sparse matrix-vector product: q = r + γ P V, V'(s) = max_a q(s, a)."""
    p, r = p_r
    return (r + GAMMA * (p @ v)).reshape(-1, 4).max(axis=1)


def sweep_gather(v, table):
    """One sweep through the next-state table; the goal is state 0."""
    new = (REWARD + GAMMA * v[table]).max(axis=0)
    new[0] = 0.0
    return new


def sweep_shifted(v):
    """One sweep on V as an (n, n) grid, with edge rows and columns repeated for off-grid moves."""
    best = np.empty_like(v)
    np.maximum(np.vstack([v[:1], v[:-1]]), np.vstack([v[1:], v[-1:]]), out=best)
    np.maximum(best, np.hstack([v[:, :1], v[:, :-1]]), out=best)
    np.maximum(best, np.hstack([v[:, 1:], v[:, -1:]]), out=best)
    best *= GAMMA
    best += REWARD
    best[0, 0] = 0.0
    return best


def main():
    rng = np.random.default_rng(3)
    _common.header()
    for n in (100, 500):
        table = next_states(n)
        v = -rng.random(n * n) * 100.0
        mdp = transitions(table)
        # The three vectorisations compute the same sweep.
        want = sweep_shifted(v.reshape(n, n)).ravel()
        assert np.allclose(sweep_gather(v, table), want)
        assert np.allclose(sweep_tabular(v, mdp), want)
        times = _common.measure(lambda _: sweep_tabular(v, mdp))
        _common.report(f"sweep/numpy/{n}x{n}", f"one sweep, {n}×{n}, flat transitions", times)
        times = _common.measure(lambda _: sweep_gather(v, table))
        _common.report(f"sweep/numpy-gather/{n}x{n}", f"one sweep, {n}×{n}, next-state table", times)
        grid = v.reshape(n, n)
        times = _common.measure(lambda _: sweep_shifted(grid))
        _common.report(f"sweep/numpy-shifted/{n}x{n}", f"one sweep, {n}×{n}, shifted grids", times)
        try:
            p_r = sparse_mdp(mdp)
        except ImportError:
            print(f"sweep/scipy-sparse/{n}x{n}: skipped, scipy is not installed")
            continue
        assert np.allclose(sweep_sparse(v, p_r), want)
        times = _common.measure(lambda _: sweep_sparse(v, p_r))
        _common.report(f"sweep/scipy-sparse/{n}x{n}", f"one sweep, {n}×{n}, CSR P·V", times)


if __name__ == "__main__":
    main()
