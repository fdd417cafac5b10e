//! The suite's own trusted implementations: a scalar backward pass with switches for the known
//! mistakes, hand-written backpropagation of exercise 02's network, and seeded random inputs.

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::{SeedableRng, rngs::StdRng};
use rand_distr::{Distribution, StandardNormal};

use crate::sut;

/// A seeded generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// An `(r, c)` array of standard normal numbers times `scale`.
pub fn randn(rng: &mut StdRng, r: usize, c: usize, scale: f64) -> Array2<f64> {
    Array2::from_shape_simple_fn((r, c), || {
        let v: f64 = StandardNormal.sample(rng);
        scale * v
    })
}

/// Whether `got` has `candidate`'s shape and every element within `tol` (relative) of it, NaN
/// matching NaN: a known mistake's numeric signature.
pub fn matches<S1, S2, D>(
    got: &ndarray::ArrayBase<S1, D>,
    candidate: &ndarray::ArrayBase<S2, D>,
    tol: f64,
) -> bool
where
    S1: ndarray::Data<Elem = f64>,
    S2: ndarray::Data<Elem = f64>,
    D: ndarray::Dimension,
{
    got.shape() == candidate.shape()
        && got
            .iter()
            .zip(candidate.iter())
            .all(|(&g, &c)| (g.is_nan() && c.is_nan()) || mlings_grader::assert::near(g, c, tol))
}

/// Whether two slices agree element by element within `tol` (relative): a mistake's signature.
pub fn matches_slice(got: &[f64], candidate: &[f64], tol: f64) -> bool {
    got.len() == candidate.len()
        && got
            .iter()
            .zip(candidate)
            .all(|(&g, &c)| mlings_grader::assert::near(g, c, tol))
}

/// A scalar graph written down by the suite: each node's value and its parents with their local
/// derivatives, parents always earlier. A node with no parents is a leaf.
pub type Spec = [(f64, &'static [(usize, f64)])];

/// How a learner's backward pass may go wrong.
#[derive(Clone, Copy, PartialEq)]
pub enum Backward {
    /// The contract.
    Correct,
    /// `parent.grad = …` instead of `+=`.
    Assigned,
    /// The nodes visited in topological order (leaves first) instead of reverse.
    ForwardOrder,
    /// Gradients not zeroed: the result of a second call, the root's gradient set to 1.
    NotZeroed,
    /// Gradients not zeroed: the result of a second call, 1 added to the root's gradient.
    NotZeroedRootAdded,
}

/// The parents of every node of `spec`.
pub fn parents_of(spec: &Spec) -> Vec<Vec<(usize, f64)>> {
    spec.iter().map(|(_, p)| p.to_vec()).collect()
}

/// The parents of every node of the learner's graph, as it recorded them.
pub fn parents_in(graph: &sut::Graph) -> Vec<Vec<(usize, f64)>> {
    graph.nodes().iter().map(|n| n.parents.clone()).collect()
}

/// Every node's gradient from `root` of a graph given by its nodes' `parents` (parents always
/// earlier), with `mistake`.
pub fn scalar_grads(parents: &[Vec<(usize, f64)>], root: usize, mistake: Backward) -> Vec<f64> {
    let mut grad = vec![0.0; parents.len()];
    let not_zeroed = matches!(mistake, Backward::NotZeroed | Backward::NotZeroedRootAdded);
    for _ in 0..if not_zeroed { 2 } else { 1 } {
        if mistake == Backward::NotZeroedRootAdded {
            grad[root] += 1.0;
        } else {
            grad[root] = 1.0;
        }
        let order: Vec<usize> = if mistake == Backward::ForwardOrder {
            (0..=root).collect()
        } else {
            (0..=root).rev().collect()
        };
        for node in order {
            for &(parent, local) in &parents[node] {
                if mistake == Backward::Assigned {
                    grad[parent] = local * grad[node];
                } else {
                    grad[parent] += local * grad[node];
                }
            }
        }
    }
    grad
}

/// Records `spec` on the learner's graph with [`sut::Graph::record`] (no learner operation
/// involved) and returns every node's handle.
pub fn record(graph: &mut sut::Graph, spec: &Spec) -> Vec<sut::Value> {
    let mut values: Vec<sut::Value> = Vec::new();
    for &(value, parents) in spec {
        let v = if parents.is_empty() {
            graph.leaf(value)
        } else {
            let parents: Vec<_> = parents.iter().map(|&(p, d)| (values[p], d)).collect();
            graph
                .record(value, "op", &parents)
                .expect("the suite's own nodes")
        };
        values.push(v);
    }
    values
}

/// Exercise 02's network as plain arrays: `(W: (D, H), b: (H))` per layer, ReLU between layers.
pub type Layers = Vec<(Array2<f64>, Array1<f64>)>;

/// Loss and gradients of a ReLU network by hand-written backpropagation (exercise 02's step 5):
///
/// ```text
/// L = −(1/N) ∑ᵢ log softmax(scoresᵢ)_yᵢ + λ ∑ₗ ∑ Wₗ²
/// δ_L = (p − onehot(y)) / N,   δₗ = (δₗ₊₁ · Wₗ₊₁ᵀ) ⊙ [zₗ > 0]
/// ∂L/∂Wₗ = hₗ₋₁ᵀ · δₗ + 2λ Wₗ,   ∂L/∂bₗ = ∑ᵢ δₗ,ᵢ
/// ```
pub fn mlp_backprop(
    layers: &Layers,
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    reg: f64,
) -> (f64, Layers) {
    let mut inputs = vec![x.to_owned()];
    let mut pre = Vec::new();
    for (l, (w, b)) in layers.iter().enumerate() {
        let z = inputs[l].dot(w) + b;
        if l + 1 < layers.len() {
            inputs.push(z.mapv(|v| v.max(0.0)));
        }
        pre.push(z);
    }
    let scores = pre.last().expect("a layer");
    let n = x.nrows() as f64;
    let mut delta = scores.clone();
    let mut loss = 0.0;
    for (mut row, &y) in delta.rows_mut().into_iter().zip(labels) {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let sum: f64 = row.iter().map(|v| (v - max).exp()).sum();
        loss += max + sum.ln() - row[y];
        row.mapv_inplace(|v| (v - max).exp() / sum / n);
        row[y] -= 1.0 / n;
    }
    loss /= n;
    loss += reg
        * layers
            .iter()
            .map(|(w, _)| w.iter().map(|v| v * v).sum::<f64>())
            .sum::<f64>();
    let mut grads = Vec::new();
    for l in (0..layers.len()).rev() {
        let (w, _) = &layers[l];
        let dw = inputs[l].t().dot(&delta) + &(w * (2.0 * reg));
        let db = delta.sum_axis(Axis(0));
        grads.push((dw, db));
        if l > 0 {
            let mut dh = delta.dot(&w.t());
            dh.zip_mut_with(&pre[l - 1], |d, &z| {
                if z <= 0.0 {
                    *d = 0.0;
                }
            });
            delta = dh;
        }
    }
    grads.reverse();
    (loss, grads)
}

/// A seeded He-initialised network of layer sizes `sizes`, with small non-zero biases (zeros
/// would hide a bias gradient that is never added).
pub fn random_layers(seed: u64, sizes: &[usize]) -> Layers {
    let mut r = rng(seed);
    sizes
        .windows(2)
        .map(|p| {
            let w = randn(&mut r, p[0], p[1], (2.0 / p[0] as f64).sqrt());
            let b = randn(&mut r, 1, p[1], 0.1).row(0).to_owned();
            (w, b)
        })
        .collect()
}

/// A seeded batch of `n` samples of `d` features and labels in `0..classes`.
pub fn random_batch(seed: u64, n: usize, d: usize, classes: usize) -> (Array2<f64>, Vec<usize>) {
    let mut r = rng(seed);
    let x = randn(&mut r, n, d, 1.0);
    let labels = (0..n).map(|i| (i * 7 + seed as usize) % classes).collect();
    (x, labels)
}
