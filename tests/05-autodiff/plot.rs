//! The figure of exercise 05 for `mlings plot 5`, drawn from the crate under test (`crate::sut`):
//!
//! - `graph`: the computation graph of micrograd's first expression (x = −4, y = −20,
//!   dy/dx = 46), every node placed by its depth and labelled with its value and gradient after
//!   the learner's backward pass; the edges are drawn as one line walking the graph from the root
//!   to every leaf and back;
//! - `nodes`: the same nodes as a grid (depth across, the nodes of one depth down), each cell
//!   named and coloured by the node's gradient.
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure, Heatmap};

use crate::sut;

/// The names of the nodes of [`micrograd_first`], in the order it makes them.
const NAMES: [&str; 13] = [
    "x", "2", "2x", "2x+2", "z", "relu z", "z·x", "q", "z·z", "h", "h+q", "q·x", "y",
];

/// Writes the figure's JSON to the file named by the first argument (standard output without).
pub fn main() {
    plot::emit(
        "05-autodiff",
        vec![
            plot::figure("graph", || {
                let (g, y, summary) = differentiate()?;
                let mut figure = graph_figure(&g, y);
                figure.title = format!("micrograd's expression, {summary}");
                Ok(figure)
            }),
            plot::figure("nodes", || {
                let (g, y, summary) = differentiate()?;
                Ok(nodes_figure(&g, y, &summary))
            }),
        ],
    );
}

/// micrograd's expression, differentiated by the crate under test: the graph, the root's index
/// and a summary of the result.
fn differentiate() -> Result<(sut::Graph, usize, String), String> {
    let mut g = sut::Graph::new();
    let (x, y) = micrograd_first(&mut g).map_err(|e| e.to_string())?;
    g.backward(y).map_err(|e| e.to_string())?;
    let value = g.value(y).map_err(|e| e.to_string())?;
    let grad = g.grad(x).map_err(|e| e.to_string())?;
    let summary = format!("y = {value}, dy/dx = {grad} (expected −20 and 46)");
    Ok((g, y.index(), summary))
}

/// Every node's depth (the longest path from a leaf) and rank among the nodes of its depth.
fn layout(g: &sut::Graph) -> (Vec<usize>, Vec<usize>) {
    let nodes = g.nodes();
    let mut depth = vec![0usize; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        depth[i] = node
            .parents
            .iter()
            .map(|&(p, _)| depth[p] + 1)
            .max()
            .unwrap_or(0);
    }
    let mut rank = vec![0usize; nodes.len()];
    let mut taken = vec![0usize; nodes.len() + 1];
    for i in 0..nodes.len() {
        rank[i] = taken[depth[i]];
        taken[depth[i]] += 1;
    }
    (depth, rank)
}

/// The nodes of `root`'s graph as a grid of named cells coloured by gradient.
fn nodes_figure(g: &sut::Graph, root: usize, summary: &str) -> Figure {
    let (depth, rank) = layout(g);
    let nodes = &g.nodes()[..=root];
    let cols = depth.iter().take(root + 1).max().map_or(1, |d| d + 1);
    let rows = rank.iter().take(root + 1).max().map_or(1, |r| r + 1);
    let mut values = vec![None; rows * cols];
    let mut labels = vec![String::new(); rows * cols];
    for (i, node) in nodes.iter().enumerate() {
        let cell = rank[i] * cols + depth[i];
        values[cell] = Some(node.grad);
        let name = NAMES.get(i).copied().unwrap_or(node.op);
        // Names only: a cell is too small for more; the `graph` figure's legend has the numbers.
        labels[cell] = name.to_owned();
    }
    let filled = values.iter().map(|v| v.unwrap_or(0.0)).collect();
    let map = Heatmap::new(rows, cols, filled, "gradient ∂y/∂node")
        .with_blanks(values.iter().map(Option::is_none))
        .with_cell_labels(labels);
    Figure::heatmap(
        "nodes",
        &format!("Every node coloured by its gradient: {summary}"),
        "depth (longest path from a leaf)",
        "nodes of one depth",
        map,
    )
}

/// The graph of `root` as an xy figure: nodes at (depth, rank within their depth).
fn graph_figure(g: &sut::Graph, root: usize) -> Figure {
    let nodes = g.nodes();
    let (depth, rank) = layout(g);
    let at = |i: usize| (depth[i] as f64, rank[i] as f64);
    // One polyline through every edge: from each node to each parent and back again.
    let mut path = vec![at(root)];
    let mut stack = vec![(root, 0usize)];
    while let Some((node, next)) = stack.pop() {
        if let Some(&(parent, _)) = nodes[node].parents.get(next) {
            stack.push((node, next + 1));
            path.push(at(parent));
            stack.push((parent, 0));
        } else if let Some(&(user, _)) = stack.last() {
            // Back to the node that used this one.
            path.push(at(user));
        }
    }
    let mut figure = Figure::xy(
        "graph",
        "",
        "depth (longest path from a leaf)",
        "node, by depth",
    )
    .line("edges (each walked there and back)", path);
    for (i, node) in nodes.iter().enumerate() {
        let name = NAMES.get(i).copied().unwrap_or(node.op);
        figure = figure.points(
            &format!(
                "{name} ({}): value {}, grad {}",
                node.op, node.value, node.grad
            ),
            [at(i)],
        );
    }
    figure
}

/// micrograd's first expression at x = −4: z = 2x + 2 + x, q = relu(z) + z·x, h = relu(z·z),
/// y = h + q + q·x. Returns `(x, y)`.
fn micrograd_first(g: &mut sut::Graph) -> Result<(sut::Value, sut::Value), sut::AdError> {
    let x = g.leaf(-4.0);
    let two = g.leaf(2.0);
    let t = g.mul(two, x)?;
    let t = g.add(t, two)?;
    let z = g.add(t, x)?;
    let rz = g.relu(z)?;
    let zx = g.mul(z, x)?;
    let q = g.add(rz, zx)?;
    let zz = g.mul(z, z)?;
    let h = g.relu(zz)?;
    let hq = g.add(h, q)?;
    let qx = g.mul(q, x)?;
    let y = g.add(hq, qx)?;
    Ok((x, y))
}
