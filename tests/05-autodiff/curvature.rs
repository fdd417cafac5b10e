//! Step 6's trusted side: scalar graphs the suite records itself with [`sut::Graph::record`]
//! and the operations' own names (no learner operation involved), closed-form functions built
//! from them, and a Hessian-vector product with switches for the known mistakes.

use crate::sut;

/// `record`, for the suite's own nodes.
fn node(
    g: &mut sut::Graph,
    value: f64,
    op: &'static str,
    parents: &[(sut::Value, f64)],
) -> sut::Value {
    g.record(value, op, parents).expect("the suite's own nodes")
}

/// The value of one of the suite's nodes.
pub fn val(g: &sut::Graph, a: sut::Value) -> f64 {
    g.value(a).expect("the suite's own node")
}

/// `a + b`.
pub fn add(g: &mut sut::Graph, a: sut::Value, b: sut::Value) -> sut::Value {
    let (x, y) = (val(g, a), val(g, b));
    node(g, x + y, "+", &[(a, 1.0), (b, 1.0)])
}

/// `a − b`.
pub fn sub(g: &mut sut::Graph, a: sut::Value, b: sut::Value) -> sut::Value {
    let (x, y) = (val(g, a), val(g, b));
    node(g, x - y, "−", &[(a, 1.0), (b, -1.0)])
}

/// `a · b`.
pub fn mul(g: &mut sut::Graph, a: sut::Value, b: sut::Value) -> sut::Value {
    let (x, y) = (val(g, a), val(g, b));
    node(g, x * y, "×", &[(a, y), (b, x)])
}

/// `a / b`.
pub fn div(g: &mut sut::Graph, a: sut::Value, b: sut::Value) -> sut::Value {
    let (x, y) = (val(g, a), val(g, b));
    node(g, x / y, "÷", &[(a, 1.0 / y), (b, -x / (y * y))])
}

/// `a^k` for a constant `k`.
pub fn powf(g: &mut sut::Graph, a: sut::Value, k: f64) -> sut::Value {
    let x = val(g, a);
    g.record_with_constant(x.powf(k), "^k", k, &[(a, k * x.powf(k - 1.0))])
        .expect("the suite's own nodes")
}

/// `a^b` for a node exponent, `a > 0`.
pub fn pow(g: &mut sut::Graph, a: sut::Value, b: sut::Value) -> sut::Value {
    let (x, y) = (val(g, a), val(g, b));
    let out = x.powf(y);
    node(g, out, "^", &[(a, y * x.powf(y - 1.0)), (b, out * x.ln())])
}

/// `eᵃ`.
pub fn exp(g: &mut sut::Graph, a: sut::Value) -> sut::Value {
    let out = val(g, a).exp();
    node(g, out, "exp", &[(a, out)])
}

/// `ln a`, `a > 0`.
pub fn ln(g: &mut sut::Graph, a: sut::Value) -> sut::Value {
    let x = val(g, a);
    node(g, x.ln(), "ln", &[(a, 1.0 / x)])
}

/// `tanh a`.
pub fn tanh(g: &mut sut::Graph, a: sut::Value) -> sut::Value {
    let t = val(g, a).tanh();
    node(g, t, "tanh", &[(a, 1.0 - t * t)])
}

/// A function of some inputs, recorded on a graph: given the inputs' leaves, returns the root.
pub type Build = fn(&mut sut::Graph, &[sut::Value]) -> sut::Value;

/// A graph of `build` at `x`: the graph, the inputs' leaves and the root.
pub fn graph_of(build: Build, x: &[f64]) -> (sut::Graph, Vec<sut::Value>, sut::Value) {
    let mut g = sut::Graph::new();
    let inputs: Vec<_> = x.iter().map(|&v| g.leaf(v)).collect();
    let root = build(&mut g, &inputs);
    (g, inputs, root)
}

/// The sum of `terms`, left to right.
pub fn sum(g: &mut sut::Graph, terms: &[sut::Value]) -> sut::Value {
    let mut total = terms[0];
    for &t in &terms[1..] {
        total = add(g, total, t);
    }
    total
}

/// The quadratic form `f(x) = xᵀAx = ∑ᵢⱼ Aᵢⱼ xᵢ xⱼ` of [`QUADRATIC_A`], one product node per
/// term: its Hessian is `A + Aᵀ` everywhere.
pub fn quadratic_form(g: &mut sut::Graph, x: &[sut::Value]) -> sut::Value {
    let mut terms = Vec::new();
    for (i, row) in QUADRATIC_A.iter().enumerate() {
        for (j, &a) in row.iter().enumerate() {
            let xx = mul(g, x[i], x[j]);
            let a = g.leaf(a);
            terms.push(mul(g, a, xx));
        }
    }
    sum(g, &terms)
}

/// The matrix of [`quadratic_form`]: not symmetric, so that `Av`, `Aᵀv` and `(A + Aᵀ)v` differ.
pub const QUADRATIC_A: [[f64; 3]; 3] = [[2.0, 1.0, 0.0], [-1.0, 3.0, 2.0], [4.0, 0.0, 1.0]];

/// Rosenbrock's function `f(x, y) = (1 − x)² + 100 (y − x²)²`, squares as `^k` nodes.
pub fn rosenbrock(g: &mut sut::Graph, v: &[sut::Value]) -> sut::Value {
    let (x, y) = (v[0], v[1]);
    let one = g.leaf(1.0);
    let u = sub(g, one, x);
    let u2 = powf(g, u, 2.0);
    let xx = powf(g, x, 2.0);
    let w = sub(g, y, xx);
    let w2 = powf(g, w, 2.0);
    let hundred = g.leaf(100.0);
    let t = mul(g, hundred, w2);
    add(g, u2, t)
}

/// The Hessian of Rosenbrock's function at `(x, y)`, by hand:
/// `[[2 − 400(y − x²) + 800x², −400x], [−400x, 200]]`.
pub fn rosenbrock_hessian(x: f64, y: f64) -> [[f64; 2]; 2] {
    [
        [2.0 - 400.0 * (y - x * x) + 800.0 * x * x, -400.0 * x],
        [-400.0 * x, 200.0],
    ]
}

/// How a learner's Hessian-vector product may go wrong.
#[derive(Clone, Copy, PartialEq)]
pub enum Hvp {
    /// `(p̄)˙ += d·(n̄)˙` only: the second-order term `n̄·∑ⱼ sᵢⱼ ṗⱼ` forgotten.
    NoSecondOrder,
    /// `(p̄)˙ += n̄·∑ⱼ sᵢⱼ ṗⱼ` only: the adjoint's tangent never passed on to the parents.
    NoAdjointTangent,
    /// `∂²(a·b)/∂a∂b` listed as `(0, 1)` only, not `(1, 0)`.
    ProductOnce,
    /// The reverse sweep skips every node whose adjoint `n̄` is 0, though its tangent `(n̄)˙`
    /// may not be: the shortcut of a first-order backward pass, one order too early.
    SkipZeroAdjoint,
}

/// The second derivatives of node `n` of `g` (the table of `Graph::second_derivatives`).
fn second_derivatives(g: &sut::Graph, n: usize, mistake: Hvp) -> Vec<(usize, usize, f64)> {
    let nodes = g.nodes();
    let node = &nodes[n];
    let operand = |i: usize| nodes[node.parents[i].0].value;
    let out = node.value;
    match node.op {
        "×" if mistake == Hvp::ProductOnce => vec![(0, 1, 1.0)],
        "×" => vec![(0, 1, 1.0), (1, 0, 1.0)],
        "÷" => {
            let (a, b) = (operand(0), operand(1));
            vec![
                (0, 1, -1.0 / (b * b)),
                (1, 0, -1.0 / (b * b)),
                (1, 1, 2.0 * a / (b * b * b)),
            ]
        }
        "^k" => {
            let k = node.constant.expect("the suite's a^k nodes keep k");
            vec![(0, 0, k * (k - 1.0) * operand(0).powf(k - 2.0))]
        }
        "^" => {
            let (a, b) = (operand(0), operand(1));
            let cross = a.powf(b - 1.0) * (1.0 + b * a.ln());
            vec![
                (0, 0, b * (b - 1.0) * a.powf(b - 2.0)),
                (0, 1, cross),
                (1, 0, cross),
                (1, 1, out * a.ln() * a.ln()),
            ]
        }
        "exp" => vec![(0, 0, out)],
        "ln" => vec![(0, 0, -1.0 / (operand(0) * operand(0)))],
        "tanh" => vec![(0, 0, -2.0 * out * (1.0 - out * out))],
        _ => Vec::new(),
    }
}

/// `Hv` of `root` with respect to `inputs` along `direction`, forward over reverse, computed
/// with `mistake`: what a learner who makes it gets.
fn hvp(
    g: &sut::Graph,
    root: sut::Value,
    inputs: &[sut::Value],
    direction: &[f64],
    mistake: Hvp,
) -> Vec<f64> {
    let nodes = g.nodes();
    let mut dot = vec![0.0; nodes.len()];
    for (x, &d) in inputs.iter().zip(direction) {
        dot[x.index()] = d;
    }
    for n in 0..nodes.len() {
        if !nodes[n].parents.is_empty() {
            dot[n] = nodes[n].parents.iter().map(|&(p, d)| d * dot[p]).sum();
        }
    }
    let mut bar = vec![0.0; nodes.len()];
    let mut bar_dot = vec![0.0; nodes.len()];
    bar[root.index()] = 1.0;
    for n in (0..=root.index()).rev() {
        if mistake == Hvp::SkipZeroAdjoint && bar[n] == 0.0 {
            continue;
        }
        let parents = &nodes[n].parents;
        let mut local_dot = vec![0.0; parents.len()];
        for (i, j, s) in second_derivatives(g, n, mistake) {
            local_dot[i] += s * dot[parents[j].0];
        }
        for (&(p, d), d_dot) in parents.iter().zip(local_dot) {
            bar[p] += d * bar[n];
            bar_dot[p] += match mistake {
                Hvp::NoSecondOrder => d * bar_dot[n],
                Hvp::NoAdjointTangent => d_dot * bar[n],
                Hvp::ProductOnce | Hvp::SkipZeroAdjoint => d * bar_dot[n] + d_dot * bar[n],
            };
        }
    }
    inputs.iter().map(|x| bar_dot[x.index()]).collect()
}

/// `Hv` with every mistake of [`Hvp`], for hints: `(mistake, its result)`.
pub fn mistaken(
    g: &sut::Graph,
    root: sut::Value,
    inputs: &[sut::Value],
    direction: &[f64],
) -> Vec<(Hvp, Vec<f64>)> {
    [
        Hvp::NoSecondOrder,
        Hvp::NoAdjointTangent,
        Hvp::ProductOnce,
        Hvp::SkipZeroAdjoint,
    ]
    .into_iter()
    .map(|m| (m, hvp(g, root, inputs, direction, m)))
    .collect()
}

/// The hint for a Hessian-vector product that has `mistake`'s numeric signature.
pub fn hint(mistake: Hvp) -> &'static str {
    match mistake {
        Hvp::NoSecondOrder => {
            "Hv is 0: the backward pass never adds the second-order term n̄·∑ⱼ sᵢⱼ·ṗⱼ (the \
             tangent of the local derivative dᵢ) to (p̄ᵢ)˙"
        }
        Hvp::NoAdjointTangent => {
            "only the curvature of the nodes next to the root arrives: add dᵢ·(n̄)˙ to (p̄ᵢ)˙ \
             too, the product rule's other term, so the adjoints' tangents flow down the graph"
        }
        Hvp::ProductOnce => {
            "half the curvature of each product: ∂²(a·b)/∂a∂b belongs to both orders, list \
             (0, 1, 1) and (1, 0, 1), or x · x gets 1 instead of 2"
        }
        Hvp::SkipZeroAdjoint => {
            "the curvature below a node of zero gradient is lost: its adjoint n̄ is 0 but its \
             tangent (n̄)˙ need not be, so skip a node only when n̄ and (n̄)˙ are both 0"
        }
    }
}
