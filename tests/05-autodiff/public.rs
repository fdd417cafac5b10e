//! Public checks: small cases derived by hand and micrograd's first expression, shipped to
//! learners.

use mlings_grader::assert::{Tol, close, close_array, close_slice, ensure};
use mlings_grader::{Check, Failure, Outcome, OutcomeExt, expect_err, ok, unexpected};
use ndarray::{Array2, array};

use super::curvature::{self, Hvp};
use super::oracle::{self, Backward, Spec, matches, matches_slice};
use super::steps::{
    BACKWARD, GRADIENT_CHECK, HESSIAN_VECTOR_PRODUCT, SCALAR_OPS, TENSOR_OPS, TRAINING,
};
use super::{EXACT, GRAD_TOL, SAME_GRADIENTS};
use crate::sut;

/// Every public check.
pub fn checks() -> Vec<Check> {
    let mut checks = Vec::new();
    checks.extend(scalar_ops());
    checks.extend(backward());
    checks.extend(gradient_check());
    checks.extend(tensor_ops());
    checks.extend(training());
    checks.extend(hessian_vector_product());
    checks
}

/// The local derivatives `node` recorded, sorted by parent.
fn locals(graph: &sut::Graph, node: sut::Value) -> Result<Vec<(usize, f64)>, Failure> {
    let mut parents = ok(graph.node(node))?.parents.clone();
    parents.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    Ok(parents)
}

/// Checks `node`'s value and its recorded `(parent, ∂node/∂parent)`, sorted by parent.
fn recorded(
    what: &str,
    graph: &sut::Graph,
    node: sut::Value,
    value: f64,
    expected: &[(usize, f64)],
) -> Outcome {
    close(
        &format!("{what}: value"),
        ok(graph.value(node))?,
        value,
        EXACT,
    )?;
    let got = locals(graph, node)?;
    let parents: Vec<usize> = got.iter().map(|p| p.0).collect();
    let want: Vec<usize> = expected.iter().map(|p| p.0).collect();
    ensure(parents == want, || {
        format!(
            "{what}: recorded parents {parents:?}, expected {want:?} (one entry per operand, \
             an operand used twice appears twice)"
        )
    })?;
    let got: Vec<f64> = got.iter().map(|p| p.1).collect();
    let want: Vec<f64> = expected.iter().map(|p| p.1).collect();
    close_slice(&format!("{what}: local derivatives"), &got, &want, EXACT)
}

fn scalar_ops() -> Vec<Check> {
    vec![
        Check::public(
            SCALAR_OPS,
            "arithmetic_records_values_and_local_derivatives",
            4,
            || {
                // By hand at a = 3, b = −2: ∂(a/b)/∂a = 1/b = −0.5, ∂(a/b)/∂b = −a/b² = −0.75.
                let mut g = sut::Graph::new();
                let (a, b) = (g.leaf(3.0), g.leaf(-2.0));
                let v = ok(g.add(a, b))?;
                recorded("a + b", &g, v, 1.0, &[(0, 1.0), (1, 1.0)])?;
                let v = ok(g.sub(a, b))?;
                recorded("a − b", &g, v, 5.0, &[(0, 1.0), (1, -1.0)])?;
                let v = ok(g.mul(a, b))?;
                recorded("a · b", &g, v, -6.0, &[(0, -2.0), (1, 3.0)])
                .hint_if(
                    matches_slice(&locals(&g, v)?.iter().map(|p| p.1).collect::<Vec<_>>(), &[3.0, -2.0], 1e-12),
                    "each operand of a product gets its own value as derivative: ∂(a·b)/∂a is b, not a",
                )?;
                let v = ok(g.div(a, b))?;
                let got: Vec<f64> = locals(&g, v)?.iter().map(|p| p.1).collect();
                recorded("a / b", &g, v, -1.5, &[(0, -0.5), (1, -0.75)]).hint_if(
                    matches_slice(&got, &[-0.5, 0.75], 1e-12),
                    "∂(a/b)/∂b has the wrong sign: it is −a/b²",
                )?;
                let v = ok(g.neg(a))?;
                recorded("−a", &g, v, -3.0, &[(0, -1.0)])
            },
        ),
        Check::public(
            SCALAR_OPS,
            "powers_with_constant_and_node_exponents",
            4,
            || {
                // By hand at a = 2, b = 3: a³ = 8, ∂/∂a = 3·2² = 12, ∂(aᵇ)/∂b = 8 ln 2.
                let mut g = sut::Graph::new();
                let (a, b) = (g.leaf(2.0), g.leaf(3.0));
                let v = ok(g.powf(a, 3.0))?;
                recorded("a^3.0", &g, v, 8.0, &[(0, 12.0)])?;
                let v = ok(g.pow(a, b))?;
                let got = locals(&g, v)?;
                let ignored = got.len() == 1 || got.iter().any(|&(p, d)| p == 1 && d == 0.0);
                recorded("a^b", &g, v, 8.0, &[(0, 12.0), (1, 8.0 * 2f64.ln())]).hint_if(
                ignored,
                "the exponent's own gradient is ignored: when the exponent is a node, record ∂(aᵇ)/∂b = aᵇ ln a too",
            )
            },
        ),
        Check::public(
            SCALAR_OPS,
            "exp_ln_tanh_relu_record_their_derivatives",
            4,
            || {
                let mut g = sut::Graph::new();
                let x = g.leaf(0.5);
                let v = ok(g.exp(x))?;
                recorded("exp 0.5", &g, v, 0.5f64.exp(), &[(0, 0.5f64.exp())])?;
                let v = ok(g.ln(x))?;
                recorded("ln 0.5", &g, v, 0.5f64.ln(), &[(0, 2.0)])?;
                // tanh 0.5 = 0.46211715726000974, tanh′ = 1 − tanh² = 0.7864477329659274.
                let v = ok(g.tanh(x))?;
                let got: Vec<f64> = locals(&g, v)?.iter().map(|p| p.1).collect();
                recorded(
                    "tanh 0.5",
                    &g,
                    v,
                    0.46211715726000974,
                    &[(0, 0.7864477329659274)],
                )
                .hint_if(
                    matches_slice(&got, &[0.46211715726000974], 1e-12),
                    "tanh′ is written as tanh: the derivative is 1 − tanh²",
                )?;
                for (input, value, derivative) in
                    [(-2.0, 0.0, 0.0), (0.0, 0.0, 0.0), (3.0, 3.0, 1.0)]
                {
                    let x = g.leaf(input);
                    let v = ok(g.relu(x))?;
                    let got: Vec<f64> = locals(&g, v)?.iter().map(|p| p.1).collect();
                    recorded(
                    &format!("relu {input}"),
                    &g,
                    v,
                    value,
                    &[(x.index(), derivative)],
                )
                .hint_if(
                    input == 0.0 && matches_slice(&got, &[1.0], 0.0),
                    "ReLU′(0) is 0 in this kit's contract: the derivative is 1 only where a > 0",
                )?;
                }
                Ok(())
            },
        ),
        Check::public(
            SCALAR_OPS,
            "operations_refuse_inputs_outside_their_domain_and_foreign_nodes",
            2,
            || {
                let mut g = sut::Graph::new();
                let (zero, minus) = (g.leaf(0.0), g.leaf(-1.0));
                let is_domain = |e: &sut::AdError| matches!(e, sut::AdError::OutOfDomain { .. });
                expect_err("ln −1", g.ln(minus), is_domain)?;
                expect_err("ln 0", g.ln(zero), is_domain)?;
                expect_err("1 / 0", g.div(minus, zero), is_domain)?;
                expect_err("(−1)^0 with a node exponent", g.pow(minus, zero), is_domain)?;
                let mut other = sut::Graph::new();
                let foreign = other.leaf(1.0);
                let is_foreign = |e: &sut::AdError| matches!(e, sut::AdError::ForeignNode { .. });
                expect_err("a node of another graph", g.add(minus, foreign), is_foreign)?;
                expect_err("a node of another graph", g.tanh(foreign), is_foreign)
            },
        ),
    ]
}

/// x = 3, y = x · x, z = y + x: x is used three times; ∂z/∂x = 2x + 1 = 7.
pub const USED_TWICE: &Spec = &[
    (3.0, &[]),
    (9.0, &[(0, 3.0), (0, 3.0)]),
    (12.0, &[(1, 1.0), (0, 1.0)]),
];

/// a = 2, b = 3, u = a + b (not reached from the root), c = a · b, d = c + a, e = d · c.
const TOPOLOGY: &Spec = &[
    (2.0, &[]),
    (3.0, &[]),
    (5.0, &[(0, 1.0), (1, 1.0)]),
    (6.0, &[(0, 3.0), (1, 2.0)]),
    (8.0, &[(3, 1.0), (0, 1.0)]),
    (48.0, &[(4, 6.0), (3, 8.0)]),
];

/// Compares every node's gradient with the trusted backward pass of the same graph, naming the
/// mistake whose gradients the learner's match.
pub fn same_gradients(
    what: &str,
    got: &[f64],
    parents: &[Vec<(usize, f64)>],
    root: usize,
) -> Outcome {
    let run = |m| oracle::scalar_grads(parents, root, m);
    let expected = run(Backward::Correct);
    close_slice(what, got, &expected, EXACT)
        .hint_if(
            matches_slice(got, &run(Backward::Assigned), 1e-12),
            "a node used more than once keeps only one use's gradient: accumulate with +=, never =",
        )
        .hint_if(
            matches_slice(got, &run(Backward::ForwardOrder), 1e-12),
            "backward ran in the wrong order (leaves first): walk the topological order in reverse, root first",
        )
        .hint_if(
            matches_slice(got, &run(Backward::NotZeroed), 1e-12)
                || matches_slice(got, &run(Backward::NotZeroedRootAdded), 1e-12),
            "gradients were not zeroed: a second backward adds to the first's; set every grad to 0 first",
        )
}

fn grads(g: &sut::Graph, values: &[sut::Value]) -> Result<Vec<f64>, Failure> {
    values.iter().map(|&v| ok(g.grad(v))).collect()
}

fn backward() -> Vec<Check> {
    vec![
        Check::public(
            BACKWARD,
            "backward_accumulates_a_node_used_twice",
            4,
            || {
                // By hand: ∂z/∂y = 1, ∂z/∂x = 1 + 2x·1 = 7.
                let mut g = sut::Graph::new();
                let v = oracle::record(&mut g, USED_TWICE);
                ok(g.backward(v[2]))?;
                same_gradients(
                    "gradients of [x, y, z]",
                    &grads(&g, &v)?,
                    &oracle::parents_of(USED_TWICE),
                    2,
                )
            },
        ),
        Check::public(
            BACKWARD,
            "topological_order_puts_every_parent_first",
            4,
            || {
                let mut g = sut::Graph::new();
                let v = oracle::record(&mut g, TOPOLOGY);
                let order: Vec<usize> = ok(g.topological_order(v[5]))?
                    .iter()
                    .map(|n| n.index())
                    .collect();
                let position = |i: usize| order.iter().position(|&k| k == i);
                let parents_first = |order: &[usize]| {
                    order
                        .iter()
                        .enumerate()
                        .all(|(k, &i)| TOPOLOGY[i].1.iter().all(|&(p, _)| order[..k].contains(&p)))
                };
                ensure(!order.contains(&2), || {
                    format!("order {order:?} holds node 2, which the root does not depend on")
                })
                .hint(
                    "visit only what the root reaches: depth-first from the root through parents",
                )?;
                let mut unique = order.clone();
                unique.sort_unstable();
                unique.dedup();
                ensure(unique.len() == order.len(), || {
                    format!("order {order:?} holds a node twice")
                })
                .hint("mark nodes as visited: a node used twice appears once")?;
                ensure(unique == [0, 1, 3, 4, 5], || {
                    format!("order {order:?}: expected the nodes 0, 1, 3, 4, 5, each once")
                })?;
                let reversed: Vec<usize> = order.iter().rev().copied().collect();
                ensure(parents_first(&order) && position(5) == Some(order.len() - 1), || {
                format!("order {order:?}: expected every parent before its children, the root (5) last")
            })
            .hint_if(
                parents_first(&reversed),
                "children come before their parents: append a node after all its parents (post-order), not before",
            )
            },
        ),
        Check::public(
            BACKWARD,
            "backward_walks_the_graph_from_the_root",
            3,
            || {
                // x = 2, c = 3, y = x·c, z = y·y, w = z + y: w̄ = z̄ = 1, ȳ = 1 + 2y = 13, x̄ = 39, c̄ = 26.
                const CHAIN: &Spec = &[
                    (2.0, &[]),
                    (3.0, &[]),
                    (6.0, &[(0, 3.0), (1, 2.0)]),
                    (36.0, &[(2, 6.0), (2, 6.0)]),
                    (42.0, &[(3, 1.0), (2, 1.0)]),
                ];
                let mut g = sut::Graph::new();
                let v = oracle::record(&mut g, CHAIN);
                ok(g.backward(v[4]))?;
                same_gradients(
                    "gradients of [x, c, y, z, w]",
                    &grads(&g, &v)?,
                    &oracle::parents_of(CHAIN),
                    4,
                )
            },
        ),
        Check::public(
            BACKWARD,
            "backward_twice_gives_the_same_gradients",
            3,
            || {
                let mut g = sut::Graph::new();
                let v = oracle::record(&mut g, USED_TWICE);
                ok(g.backward(v[2]))?;
                ok(g.backward(v[2]))?;
                same_gradients(
                    "gradients of [x, y, z] after a second backward",
                    &grads(&g, &v)?,
                    &oracle::parents_of(USED_TWICE),
                    2,
                )
            },
        ),
        Check::public(
            BACKWARD,
            "backward_refuses_a_root_of_another_graph",
            1,
            || {
                let mut g = sut::Graph::new();
                oracle::record(&mut g, USED_TWICE);
                let mut other = sut::Graph::new();
                let foreign = other.leaf(1.0);
                expect_err(
                    "backward from a node of another graph",
                    g.backward(foreign),
                    |e| matches!(e, sut::AdError::ForeignNode { .. }),
                )
            },
        ),
        Check::public(BACKWARD, "micrograd_first_expression_is_exact", 3, || {
            // micrograd's engine test (MIT): y = −20, dy/dx = 46, exactly.
            let mut g = sut::Graph::new();
            let (x, y) = ok(micrograd_first(&mut g))?;
            ok(g.backward(y))?;
            close("y", ok(g.value(y))?, -20.0, EXACT)?;
            let got = ok(g.grad(x))?;
            close("dy/dx", got, 46.0, EXACT).hint_if(
                {
                    let parents = oracle::parents_in(&g);
                    let root = y.index();
                    [Backward::Assigned, Backward::ForwardOrder]
                        .iter()
                        .any(|&m| near_grad(&oracle::scalar_grads(&parents, root, m), x.index(), got))
                },
                "dy/dx matches a backward pass with = instead of +=, or run leaves first: see the other step 2 checks",
            )
        }),
    ]
}

fn near_grad(grads: &[f64], index: usize, got: f64) -> bool {
    mlings_grader::assert::near(got, grads[index], 1e-12)
}

/// micrograd's first expression at x = −4: z = 2x + 2 + x, q = relu(z) + z·x, h = relu(z·z),
/// y = h + q + q·x. Returns `(x, y)`.
pub fn micrograd_first(g: &mut sut::Graph) -> Result<(sut::Value, sut::Value), sut::AdError> {
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

/// sin, which the graph does not have, recorded with its derivative `cos · sign` (`sign = −1`
/// is a wrong backward, for the checker to catch).
pub fn sin_times(
    g: &mut sut::Graph,
    x: &[sut::Value],
    sign: f64,
) -> Result<sut::Value, sut::AdError> {
    let (a, b) = (g.value(x[0])?, g.value(x[1])?);
    let s = g.record(a.sin(), "sin", &[(x[0], sign * a.cos())])?;
    g.record(a.sin() * b, "×", &[(s, b), (x[1], a.sin())])
}

fn gradient_check() -> Vec<Check> {
    vec![
        Check::public(
            GRADIENT_CHECK,
            "rel_error_is_symmetric_with_a_floor",
            2,
            || {
                close("rel_error(1, 3)", sut::rel_error(1.0, 3.0), 0.5, EXACT)?;
                close("rel_error(3, 1)", sut::rel_error(3.0, 1.0), 0.5, EXACT)?;
                close("rel_error(−1, 1)", sut::rel_error(-1.0, 1.0), 1.0, EXACT)?;
                close(
                    "rel_error(0, 0)",
                    sut::rel_error(0.0, 0.0),
                    0.0,
                    Tol::abs(0.0),
                )?;
                // |1e-10 − 3e-10| / max(1e-8, 4e-10) = 2e-10 / 1e-8 = 0.02.
                let got = sut::rel_error(1e-10, 3e-10);
                close("rel_error(1e-10, 3e-10)", got, 0.02, EXACT).hint_if(
                mlings_grader::assert::near(got, 0.5, 1e-9),
                "no floor: below 1e-8 the denominator is max(1e-8, |a| + |b|), so tiny numbers compare absolutely",
            )
            },
        ),
        Check::public(
            GRADIENT_CHECK,
            "numerical_gradient_uses_centred_differences",
            3,
            || {
                // f = x₀³ + x₀x₁ at (2, 1), h = 1e-3: centred (f₊ − f₋)/2h = 3x₀² + h² + x₁ = 13.000001;
                // one-sided (f₊ − f)/h = 13.006001.
                let f = |x: &[f64]| x[0].powi(3) + x[0] * x[1];
                let x = [2.0, 1.0];
                let h = 1e-3;
                let calls = std::sync::Mutex::new(Vec::new());
                let got = sut::numerical_gradient(
                    |p| {
                        calls.lock().expect("one thread").push(p.to_vec());
                        f(p)
                    },
                    &x,
                    h,
                );
                let centred = |i: usize| {
                    let (mut p, mut m) = (x, x);
                    p[i] += h;
                    m[i] -= h;
                    (f(&p) - f(&m)) / (2.0 * h)
                };
                let one_sided = |i: usize| {
                    let mut p = x;
                    p[i] += h;
                    (f(&p) - f(&x)) / h
                };
                let calls = calls.into_inner().expect("one thread");
                let moved = |c: &Vec<f64>| c.iter().zip(&x).filter(|(a, b)| a != b).count();
                ensure(calls.iter().all(|c| moved(c) <= 1), || {
                format!(
                    "f was called at {calls:?}: each call should nudge one element of {x:?} only"
                )
            })
            .hint("put each element back after nudging it, before nudging the next")?;
                close_slice("gradient", &got, &[centred(0), centred(1)], Tol::rel(1e-9))
                .hint_if(
                    mlings_grader::assert::near(got[0], one_sided(0), 1e-9),
                    "one-sided difference (f(x + h) − f(x)) / h: use the centred (f(x + h) − f(x − h)) / 2h",
                )
                .hint_if(
                    mlings_grader::assert::near(got[0], 2.0 * centred(0), 1e-9),
                    "twice the gradient: the centred difference divides by 2h, not h",
                )
            },
        ),
        Check::public(
            GRADIENT_CHECK,
            "check_gradient_passes_a_right_backward_and_flags_a_wrong_one",
            3,
            || {
                // sin(x₀)·x₁ at (0.7, −1.3): ∇ = (cos 0.7 · (−1.3), sin 0.7).
                let x = [0.7, -1.3];
                let right = ok(sut::check_gradient(|g, x| sin_times(g, x, 1.0), &x, 1e-5))?;
                close_slice(
                    "analytic gradient",
                    &right.analytic,
                    &[0.7f64.cos() * -1.3, 0.7f64.sin()],
                    EXACT,
                )?;
                close_slice(
                    "numerical gradient",
                    &right.numerical,
                    &right.analytic,
                    GRAD_TOL,
                )?;
                ensure(right.max_rel_error < 1e-8, || {
                    format!(
                        "max_rel_error {:e} for a right backward: expected < 1e-8",
                        right.max_rel_error
                    )
                })?;
                let wrong = ok(sut::check_gradient(|g, x| sin_times(g, x, -1.0), &x, 1e-5))?;
                close(
                    "max_rel_error of a backward with sin′ = −cos",
                    wrong.max_rel_error,
                    1.0,
                    Tol::rel(1e-6),
                )
            },
        ),
        Check::public(
            GRADIENT_CHECK,
            "check_gradient_reports_nan_when_one_entry_is_nan",
            1,
            || {
                // x₀·x₁ at (0.5, 2) with a backward that records −x₁ for x₀ (rel error 1) and NaN
                // for x₁ (a 0/0, say): the NaN must come out as the largest error, or a broken
                // gradient passes. f64::max drops a NaN operand: the fold would report 1.
                let build =
                    |g: &mut sut::Graph, x: &[sut::Value]| -> Result<sut::Value, sut::AdError> {
                        let (a, b) = (g.value(x[0])?, g.value(x[1])?);
                        g.record(a * b, "×", &[(x[0], -b), (x[1], f64::NAN)])
                    };
                let check = ok(sut::check_gradient(build, &[0.5, 2.0], 1e-5))?;
                let got = check.max_rel_error;
                ensure(got.is_nan(), || {
                    format!(
                        "max_rel_error {got:e} where the analytic gradient is {:?}: expected NaN",
                        check.analytic
                    )
                })
                .hint_if(
                    mlings_grader::assert::near(got, 1.0, 1e-6),
                    "the NaN entry was dropped: f64::max(a, NaN) is a, so keep NaN explicitly \
                     (any NaN error makes max_rel_error NaN)",
                )
            },
        ),
    ]
}

/// The upstream gradient used by the step 4 checks, deliberately not all ones.
fn dout23() -> Array2<f64> {
    array![[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]]
}

fn tensor_ops() -> Vec<Check> {
    vec![
        Check::public(
            TENSOR_OPS,
            "sum_to_shape_reduces_the_broadcast_axes",
            3,
            || {
                let grad = dout23();
                let cases = [
                    ((1, 3), array![[4.0, -1.75, -0.5]]),
                    ((2, 1), array![[-0.5], [2.25]]),
                    ((1, 1), array![[1.75]]),
                    ((2, 3), grad.clone()),
                ];
                for (shape, expected) in cases {
                    let got = sut::sum_to_shape(grad.view(), shape);
                    close_array(&format!("sum_to_shape to {shape:?}"), &got, &expected, EXACT).hint_if(
                    got.dim() == grad.dim(),
                    "the gradient keeps dout's shape: sum it over every axis where the operand has size 1",
                )?;
                }
                Ok(())
            },
        ),
        Check::public(
            TENSOR_OPS,
            "matmul_forward_and_backward_match_hand_values",
            3,
            || {
                let a = array![[1.0, 2.0], [-1.0, 0.5]];
                let b = array![[2.0, -1.0], [3.0, 4.0]];
                close_array(
                    "a · b",
                    &ok(sut::ops::matmul_forward(a.view(), b.view()))?,
                    &array![[8.0, 7.0], [-0.5, 3.0]],
                    EXACT,
                )?;
                let dout = array![[1.0, 0.5], [-2.0, 1.0]];
                let (da, db) = sut::ops::matmul_backward(dout.view(), a.view(), b.view());
                // By hand: da = dout·bᵀ, db = aᵀ·dout.
                close_array("da", &da, &array![[1.5, 5.0], [-5.0, -2.0]], EXACT).hint_if(
                    matches(&da, &dout.dot(&b), 1e-12),
                    "da is dout · b: multiply by the transpose, da = dout · bᵀ",
                )?;
                close_array("db", &db, &array![[3.0, -0.5], [1.0, 1.5]], EXACT).hint_if(
                    matches(&db, &dout.t().dot(&a), 1e-12)
                        || matches(&db, &dout.dot(&a.t()), 1e-12),
                    "db is not aᵀ · dout: shaped like b, (D, H) = (D, N)·(N, H)",
                )
            },
        ),
        Check::public(
            TENSOR_OPS,
            "broadcast_add_backward_sums_back_to_the_operands_shape",
            4,
            || {
                let (x, bias) = (
                    array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                    array![[0.5, -0.5, 1.0]],
                );
                close_array(
                    "x + b",
                    &ok(sut::ops::add_forward(x.view(), bias.view()))?,
                    &array![[1.5, 1.5, 4.0], [4.5, 4.5, 7.0]],
                    EXACT,
                )?;
                let dout = dout23();
                let (dx, db) = sut::ops::add_backward(dout.view(), x.dim(), bias.dim());
                close_array("dx", &dx, &dout, EXACT)?;
                close_array("db", &db, &array![[4.0, -1.75, -0.5]], EXACT).hint_if(
                db.dim() == dout.dim(),
                "db has dout's shape (N, H), not b's (1, H): a broadcast operand's gradient is summed over the rows it was stretched to (sum_to_shape)",
            )?;
                // The same through the tape, which refuses a gradient shaped unlike its operand.
                let mut tape = sut::Tape::new();
                let b = ok(tape.parameter(bias.clone()))?;
                let xv = tape.input(x.clone());
                let s = ok(tape.add(xv, b))?;
                let loss = ok(tape.sum(s))?;
                ok(tape.backward(loss)).hint(
                    "the broadcast bias's gradient must be summed back to its shape (1, H)",
                )?;
                close_array(
                    "the bias's gradient on the tape",
                    &ok(tape.grad(b))?,
                    &array![[2.0, 2.0, 2.0]],
                    EXACT,
                )
            },
        ),
        Check::public(
            TENSOR_OPS,
            "mul_relu_tanh_backward_match_hand_values",
            4,
            || {
                let a = array![[1.0, -2.0, 0.0], [0.5, 3.0, -1.0]];
                let c = array![[2.0, 1.0, -1.0]];
                let dout = dout23();
                close_array(
                    "a ⊙ c",
                    &ok(sut::ops::mul_forward(a.view(), c.view()))?,
                    &(&a * &c),
                    EXACT,
                )?;
                let (da, dc) = sut::ops::mul_backward(dout.view(), a.view(), c.view());
                close_array("da of a ⊙ c", &da, &(&dout * &c), EXACT)?;
                close_array("dc of a ⊙ c", &dc, &array![[2.5, 4.75, 1.0]], EXACT).hint_if(
                    dc.dim() == dout.dim(),
                    "dc has dout's shape: sum it back to c's shape (1, H)",
                )?;
                // ReLU: dout where a > 0, 0 at a = 0.
                let relu = sut::ops::relu_backward(dout.view(), a.view());
                close_array(
                    "relu backward",
                    &relu,
                    &array![[1.0, 0.0, 0.0], [3.0, 0.25, 0.0]],
                    EXACT,
                )
                .hint_if(
                    relu[[0, 2]] == dout[[0, 2]],
                    "ReLU′(0) is 0: keep dout only where a > 0",
                )?;
                // tanh from its output t: dout ⊙ (1 − t²).
                let t = a.mapv(f64::tanh);
                let got = sut::ops::tanh_backward(dout.view(), t.view());
                close_array(
                "tanh backward",
                &got,
                &(&dout * &t.mapv(|v| 1.0 - v * v)),
                EXACT,
            )
            .hint_if(
                matches(&got, &(&dout * &t), 1e-12),
                "tanh′ is written as tanh: the derivative is 1 − tanh², from the output t",
            )
            .hint_if(
                matches(&got, &(&dout * &t.mapv(|v| 1.0 - v.tanh().powi(2))), 1e-12),
                "tanh_backward takes tanh's output t: its derivative is 1 − t², not 1 − tanh²(t)",
            )
            },
        ),
        Check::public(
            TENSOR_OPS,
            "sum_and_mean_backward_spread_the_gradient",
            2,
            || {
                close_array(
                    "sum backward",
                    &sut::ops::sum_backward(2.0, (2, 3)),
                    &Array2::from_elem((2, 3), 2.0),
                    EXACT,
                )?;
                let got = sut::ops::mean_backward(3.0, (2, 3));
                close_array("mean backward", &got, &Array2::from_elem((2, 3), 0.5), EXACT).hint_if(
                matches(&got, &Array2::from_elem((2, 3), 1.5), 1e-12),
                "mean backward divided by the rows only: divide by the number of elements, rows · columns",
            )
            },
        ),
        Check::public(
            TENSOR_OPS,
            "softmax_cross_entropy_is_stable_and_its_gradient_is_p_minus_onehot",
            4,
            || {
                let logits = array![[1.0, 2.0, 3.0], [0.5, -1.0, 1.5]];
                let labels = [2, 0];
                let naive = |s: &Array2<f64>| -> (f64, Array2<f64>) {
                    let e = s.mapv(f64::exp);
                    let p = &e / &e.sum_axis(ndarray::Axis(1)).insert_axis(ndarray::Axis(1));
                    let loss = -labels
                        .iter()
                        .enumerate()
                        .map(|(i, &y)| p[[i, y]].ln())
                        .sum::<f64>()
                        / 2.0;
                    (loss, p)
                };
                let (want, p) = naive(&logits);
                let (loss, probs) = ok(sut::ops::softmax_cross_entropy_forward(
                    logits.view(),
                    &labels,
                ))?;
                close("loss", loss, want, EXACT)?;
                close_array("softmax", &probs, &p, EXACT)?;
                // The max is subtracted: no overflow at 1000.
                let (big, _) = ok(sut::ops::softmax_cross_entropy_forward(
                    array![[1000.0, 1001.0, 1002.0]].view(),
                    &[2],
                ))?;
                close(
                    "loss of [[1000, 1001, 1002]], label 2",
                    big,
                    0.40760596444437946,
                    EXACT,
                )
                .hint_if(
                    !big.is_finite(),
                    "exp(1000) overflows: subtract each row's maximum first",
                )?;
                let (far, _) = ok(sut::ops::softmax_cross_entropy_forward(
                    array![[0.0, 1000.0]].view(),
                    &[0],
                ))?;
                close("loss of [[0, 1000]], label 0", far, 1000.0, EXACT).hint_if(
                    !far.is_finite(),
                    "ln of an underflowed probability: take log p as s_y − m − ln ∑ exp(s − m)",
                )?;
                // dout = 2: ∂L/∂s = 2 (p − onehot) / N.
                let mut onehot = Array2::zeros((2, 3));
                onehot[[0, 2]] = 1.0;
                onehot[[1, 0]] = 1.0;
                let diff = &p - &onehot;
                let got = sut::ops::softmax_cross_entropy_backward(2.0, p.view(), &labels);
                close_array("dlogits", &got, &(&diff * 1.0), EXACT)
                    .hint_if(
                        matches(&got, &(&diff * 2.0), 1e-12),
                        "dlogits is not divided by N: the loss is a mean over the batch",
                    )
                    .hint_if(
                        matches(&got, &(&diff * 0.5), 1e-12),
                        "dlogits ignores dout: multiply by the upstream gradient",
                    )
                    .hint_if(
                        matches(&got, &(&diff * -1.0), 1e-12),
                        "dlogits has the wrong sign: it is p − onehot(y)",
                    )
            },
        ),
        Check::public(
            TENSOR_OPS,
            "tape_gradients_match_finite_differences",
            4,
            || {
                // L = mean(tanh(x·W + b) ⊙ c) + 0.05 ∑ relu(x·W + b) + 0.1 ∑ W ⊙ W + CE(x·W + b, y).
                let mut r = oracle::rng(41);
                let x = oracle::randn(&mut r, 4, 3, 1.0);
                let params = [
                    oracle::randn(&mut r, 3, 2, 1.0),
                    oracle::randn(&mut r, 1, 2, 0.5),
                    oracle::randn(&mut r, 1, 2, 1.0),
                ];
                let labels = [0, 1, 1, 0];
                let f = |p: &[Array2<f64>]| -> f64 {
                    let z = x.dot(&p[0]) + &p[1];
                    let tanh = (z.mapv(f64::tanh) * &p[2]).mean().expect("not empty");
                    let relu = z.mapv(|v| v.max(0.0)).sum();
                    let ce = labels
                        .iter()
                        .enumerate()
                        .map(|(i, &y)| {
                            let lse = z.row(i).mapv(f64::exp).sum().ln();
                            lse - z[[i, y]]
                        })
                        .sum::<f64>()
                        / 4.0;
                    tanh + 0.05 * relu + 0.1 * p[0].mapv(|v| v * v).sum() + ce
                };
                let mut tape = sut::Tape::new();
                let vars: Vec<_> = params
                    .iter()
                    .map(|p| tape.parameter(p.clone()))
                    .collect::<Result<_, _>>()
                    .map_err(unexpected)?;
                let loss = ok(tape_loss(&mut tape, &vars, &x, &labels))?;
                close("loss", ok(tape.value(loss))?[[0, 0]], f(&params), EXACT)?;
                ok(tape.backward(loss))?;
                for (k, name) in ["W", "b", "c"].iter().enumerate() {
                    let h = 1e-5;
                    let numeric = Array2::from_shape_fn(params[k].dim(), |ij| {
                        let mut p = params.clone();
                        p[k][ij] += h;
                        let plus = f(&p);
                        p[k][ij] -= 2.0 * h;
                        (plus - f(&p)) / (2.0 * h)
                    });
                    close_array(
                        &format!("∂L/∂{name}"),
                        &ok(tape.grad(vars[k]))?,
                        &numeric,
                        GRAD_TOL,
                    )?;
                }
                Ok(())
            },
        ),
    ]
}

/// The loss of `tape_gradients_match_finite_differences`, recorded on `tape`.
fn tape_loss(
    tape: &mut sut::Tape,
    p: &[sut::Var],
    x: &Array2<f64>,
    labels: &[usize],
) -> Result<sut::Var, sut::AdError> {
    let xv = tape.input(x.clone());
    let z = tape.matmul(xv, p[0])?;
    let z = tape.add(z, p[1])?;
    let t = tape.tanh(z)?;
    let t = tape.mul(t, p[2])?;
    let t = tape.mean(t)?;
    let r = tape.relu(z)?;
    let r = tape.sum(r)?;
    let r = tape.scale(r, 0.05)?;
    let w2 = tape.mul(p[0], p[0])?;
    let w2 = tape.sum(w2)?;
    let w2 = tape.scale(w2, 0.1)?;
    let ce = tape.softmax_cross_entropy(z, labels)?;
    let l = tape.add(t, r)?;
    let l = tape.add(l, w2)?;
    tape.add(l, ce)
}

/// The 64-128-10 network of exercise 02, a batch of 32 and its hand-written gradients.
pub fn mlp_64_128_10() -> (oracle::Layers, Array2<f64>, Vec<usize>) {
    let layers = oracle::random_layers(5, &[64, 128, 10]);
    let (x, labels) = oracle::random_batch(6, 32, 64, 10);
    (layers, x, labels)
}

/// Compares the tape's gradients of every layer with `expected`.
pub fn same_layer_gradients(got: &oracle::Layers, expected: &oracle::Layers, tol: Tol) -> Outcome {
    ensure(got.len() == expected.len(), || {
        format!(
            "{} layers of gradients, expected {}",
            got.len(),
            expected.len()
        )
    })?;
    for (l, ((dw, db), (ew, eb))) in got.iter().zip(expected).enumerate() {
        close_array(&format!("dW of layer {l}"), dw, ew, tol)?;
        close_array(&format!("db of layer {l}"), db, eb, tol)?;
    }
    Ok(())
}

fn training() -> Vec<Check> {
    vec![
        Check::public(
            TRAINING,
            "mlp_gradients_equal_hand_written_backprop",
            6,
            || {
                // Exercise 02's 64-128-10 ReLU network on one batch of 32, L2 strength 1e-3: the tape
                // and the suite's hand-written backward pass agree to 1e-10.
                let (layers, x, labels) = mlp_64_128_10();
                let reg = 1e-3;
                let (want_loss, want) = oracle::mlp_backprop(&layers, x.view(), &labels, reg);
                let mut tape = sut::Tape::new();
                let net = ok(sut::Mlp::new(&mut tape, &layers))?;
                let loss = ok(net.loss(&mut tape, x.view(), &labels, reg))?;
                let got_loss = ok(tape.value(loss))?[[0, 0]];
                let (no_reg_loss, no_reg) = oracle::mlp_backprop(&layers, x.view(), &labels, 0.0);
                close("loss", got_loss, want_loss, SAME_GRADIENTS).hint_if(
                    mlings_grader::assert::near(got_loss, no_reg_loss, 1e-10),
                    "the loss has no L2 term: add reg · ∑ W ⊙ W of every layer",
                )?;
                ok(tape.backward(loss))?;
                let got = ok(net.gradients(&tape))?;
                same_layer_gradients(&got, &want, SAME_GRADIENTS).hint_if(
                    same_layer_gradients(&got, &no_reg, SAME_GRADIENTS).is_ok(),
                    "the gradients have no L2 term: add reg · ∑ W ⊙ W of every layer to the loss",
                )
            },
        ),
        Check::public(TRAINING, "zero_grad_clears_every_gradient", 2, || {
            let mut tape = sut::Tape::new();
            let p = ok(tape.parameter(array![[1.0, -2.0]]))?;
            let c = tape.input(array![[3.0, 0.5]]);
            let m = ok(tape.mul(p, c))?;
            let loss = ok(tape.sum(m))?;
            ok(tape.backward(loss))?;
            tape.zero_grad();
            for (i, node) in tape.nodes().iter().enumerate() {
                ensure(node.grad.iter().all(|&g| g == 0.0), || {
                    format!(
                        "node {i}'s gradient is {:?} after zero_grad, expected zeros",
                        node.grad
                    )
                })?;
            }
            Ok(())
        }),
        Check::public(
            TRAINING,
            "sgd_and_adam_updates_match_hand_values",
            4,
            || {
                // loss = ∑ p ⊙ c, so ∂loss/∂p = c = [[3, −0.5]].
                let run = |opt: sut::Optimiser, steps: usize| -> Result<Array2<f64>, Failure> {
                    let mut tape = sut::Tape::new();
                    let p = ok(tape.parameter(array![[1.0, -2.0]]))?;
                    let mut state = sut::OptimiserState::new(opt);
                    for _ in 0..steps {
                        tape.reset();
                        tape.zero_grad();
                        let c = tape.input(array![[3.0, -0.5]]);
                        let m = ok(tape.mul(p, c))?;
                        let loss = ok(tape.sum(m))?;
                        ok(tape.backward(loss))?;
                        ok(state.update(&mut tape, &[p]))?;
                    }
                    Ok(ok(tape.value(p))?.to_owned())
                };
                // SGD, lr 0.1: p − 0.1 c twice.
                let sgd = run(sut::Optimiser::Sgd { lr: 0.1 }, 2)?;
                close_array("p after 2 SGD steps", &sgd, &array![[0.4, -1.9]], EXACT)?;
                // Adam with a constant gradient: m̂ = g and v̂ = g² at every step, so each step moves
                // p by lr · g / (|g| + ε), about lr against the sign of g.
                let (lr, eps) = (0.01, 1e-8);
                let adam = run(
                    sut::Optimiser::Adam {
                        lr,
                        beta1: 0.9,
                        beta2: 0.999,
                        eps,
                    },
                    3,
                )?;
                let step = |g: f64| 3.0 * lr * g / (g.abs() + eps);
                let expected = array![[1.0 - step(3.0), -2.0 - step(-0.5)]];
                // Without bias correction, step t moves by lr · (1 − β₁ᵗ) g / (√(1 − β₂ᵗ) |g| + ε).
                let uncorrected = |g: f64| {
                    (1..=3)
                        .map(|t| {
                            let (c1, c2) = (1.0 - 0.9f64.powi(t), 1.0 - 0.999f64.powi(t));
                            lr * c1 * g / (c2.sqrt() * g.abs() + eps)
                        })
                        .sum::<f64>()
                };
                let raw = array![[1.0 - uncorrected(3.0), -2.0 - uncorrected(-0.5)]];
                // ε added to √v before the bias correction (the paper's "efficient" form):
                // step t moves by lr · g / (|g| + ε / √(1 − β₂ᵗ)).
                let before_correction = |eps: f64| {
                    let step = |g: f64| {
                        (1..=3)
                            .map(|t| lr * g / (g.abs() + eps / (1.0 - 0.999f64.powi(t)).sqrt()))
                            .sum::<f64>()
                    };
                    array![[1.0 - step(3.0), -2.0 - step(-0.5)]]
                };
                let eps_before_correction = "ε is added to √v before the bias correction: Adam \
                                             divides m̂ by √v̂ + ε, with v̂ = v / (1 − β₂ᵗ)";
                close_array("p after 3 Adam steps", &adam, &expected, Tol::rel(1e-9))
                    .hint_if(
                        matches(&adam, &raw, 1e-9),
                        "Adam without bias correction: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ",
                    )
                    .hint_if(
                        matches(&adam, &before_correction(eps), 1e-9),
                        eps_before_correction,
                    )?;
                // ε = 0.25 shows where ε goes, which 1e-8 hides below the tolerance: each step
                // moves p by lr · g / (|g| + ε) exactly when ε is added to √v̂.
                let eps = 0.25;
                let adam = run(
                    sut::Optimiser::Adam {
                        lr,
                        beta1: 0.9,
                        beta2: 0.999,
                        eps,
                    },
                    3,
                )?;
                let after =
                    |step: &dyn Fn(f64) -> f64| array![[1.0 - step(3.0), -2.0 - step(-0.5)]];
                let expected = after(&|g| 3.0 * lr * g / (g.abs() + eps));
                // ε under the root: lr · g / √(g² + ε) each step.
                let under_the_root = after(&|g| 3.0 * lr * g / (g * g + eps).sqrt());
                close_array(
                    "p after 3 Adam steps with ε = 0.25",
                    &adam,
                    &expected,
                    Tol::rel(1e-9),
                )
                .hint_if(
                    matches(&adam, &under_the_root, 1e-9),
                    "ε is added under the square root: Adam divides by √v̂ + ε",
                )
                .hint_if(
                    matches(&adam, &before_correction(eps), 1e-9),
                    eps_before_correction,
                )
            },
        ),
        Check::public(
            TRAINING,
            "training_steps_keep_the_tape_the_same_length",
            3,
            || {
                // The memory check: the tape holds the parameters and one step's graph, every step.
                let (layers, x, labels) = small_problem();
                let mut tape = sut::Tape::new();
                let net = ok(sut::Mlp::new(&mut tape, &layers))?;
                let mut state = sut::OptimiserState::new(sut::Optimiser::Sgd { lr: 0.1 });
                let mut lengths = Vec::new();
                for _ in 0..3 {
                    ok(net.train_step(&mut tape, &mut state, x.view(), &labels, 1e-3))?;
                    lengths.push(tape.len());
                }
                let growth = lengths[2] as i64 - lengths[1] as i64;
                ensure(lengths[0] == lengths[1] && lengths[1] == lengths[2], || {
                format!("tape lengths after 3 steps: {lengths:?}, expected one length every step")
            })
            .hint_if(
                growth > 0 && lengths[1] as i64 - lengths[0] as i64 == growth,
                &format!("the graph keeps growing, {growth} nodes a step: reset the tape at the start of every step"),
            )
            },
        ),
        Check::public(
            TRAINING,
            "train_step_gradients_do_not_accumulate_across_steps",
            3,
            || {
                // Learning rate 0 leaves the parameters as they are, so every step's gradients
                // should be the first step's.
                let (layers, x, labels) = small_problem();
                let (_, want) = oracle::mlp_backprop(&layers, x.view(), &labels, 1e-3);
                let mut tape = sut::Tape::new();
                let net = ok(sut::Mlp::new(&mut tape, &layers))?;
                let mut state = sut::OptimiserState::new(sut::Optimiser::Sgd { lr: 0.0 });
                for _ in 0..2 {
                    ok(net.train_step(&mut tape, &mut state, x.view(), &labels, 1e-3))?;
                }
                let got = ok(net.gradients(&tape))?;
                let doubled: oracle::Layers =
                    want.iter().map(|(w, b)| (w * 2.0, b * 2.0)).collect();
                same_layer_gradients(&got, &want, SAME_GRADIENTS).hint_if(
                same_layer_gradients(&got, &doubled, SAME_GRADIENTS).is_ok(),
                "the gradients doubled on the second step: zero them (zero_grad) before every backward",
            )
            },
        ),
    ]
}

/// A 4-6-3 network and a batch of 8.
pub fn small_problem() -> (oracle::Layers, Array2<f64>, Vec<usize>) {
    let layers = oracle::random_layers(11, &[4, 6, 3]);
    let (x, labels) = oracle::random_batch(12, 8, 4, 3);
    (layers, x, labels)
}

/// The learner's second derivatives of `node`, zero entries dropped, sorted by position.
fn second(g: &sut::Graph, node: sut::Value) -> Result<Vec<(usize, usize, f64)>, Failure> {
    let mut entries: Vec<_> = ok(g.second_derivatives(node))?
        .into_iter()
        .filter(|e| e.2 != 0.0)
        .collect();
    entries.sort_by_key(|a| (a.0, a.1));
    Ok(entries)
}

/// Hv of Rosenbrock's function at `(x, y)` along `v = (0.7, −0.4)`, against the closed-form
/// Hessian.
fn rosenbrock_hvp_is_the_closed_form(x: f64, y: f64, what: &str) -> Outcome {
    let h = curvature::rosenbrock_hessian(x, y);
    let (g, inputs, root) = curvature::graph_of(curvature::rosenbrock, &[x, y]);
    let v = [0.7, -0.4];
    let expected: Vec<f64> = h.iter().map(|row| row[0] * v[0] + row[1] * v[1]).collect();
    same_hvp(what, (&g, &inputs, root), &v, &expected, EXACT)
}

/// Checks the learner's `Hv` against `expected` (the closed form), naming a known mistake when
/// the result has its signature (computed by the suite on the same graph).
pub fn same_hvp(
    what: &str,
    (g, inputs, root): (&sut::Graph, &[sut::Value], sut::Value),
    direction: &[f64],
    expected: &[f64],
    tol: Tol,
) -> Outcome {
    let got = ok(g.hessian_vector_product(root, inputs, direction))?;
    let outcome = close_slice(what, &got, expected, tol);
    let signatures: Vec<Hvp> = curvature::mistaken(g, root, inputs, direction)
        .into_iter()
        .filter(|(_, candidate)| {
            !matches_slice(candidate, expected, 1e-9) && matches_slice(&got, candidate, 1e-9)
        })
        .map(|(mistake, _)| mistake)
        .collect();
    // Two mistakes with the same result here (both give 0 where no curvature is passed on)
    // cannot be told apart: name one only when it alone fits.
    match signatures[..] {
        [mistake] => outcome.hint_if(true, curvature::hint(mistake)),
        _ => outcome,
    }
}

fn hessian_vector_product() -> Vec<Check> {
    vec![
        Check::public(
            HESSIAN_VECTOR_PRODUCT,
            "second_derivatives_of_each_operation_by_hand",
            4,
            || {
                // By hand at a = 2, b = 3, c = 0.5 (t = tanh 0.5).
                let mut g = sut::Graph::new();
                let (a, b, c) = (g.leaf(2.0), g.leaf(3.0), g.leaf(0.5));
                let t = 0.5f64.tanh();
                let cross = 4.0 * (1.0 + 3.0 * 2f64.ln());
                let l2 = 2f64.ln();
                type Entries = Vec<(usize, usize, f64)>;
                let cases: Vec<(&str, sut::Value, Entries, Entries, &str)> = vec![
                    (
                        "a · b",
                        curvature::mul(&mut g, a, b),
                        vec![(0, 1, 1.0), (1, 0, 1.0)],
                        vec![(0, 1, 1.0)],
                        "list ∂²(a·b)/∂a∂b in both orders, (0, 1, 1) and (1, 0, 1): x · x has \
                         parents [x, x] and needs both to get ∂²(x²)/∂x² = 2",
                    ),
                    (
                        "a / b",
                        curvature::div(&mut g, a, b),
                        vec![(0, 1, -1.0 / 9.0), (1, 0, -1.0 / 9.0), (1, 1, 4.0 / 27.0)],
                        vec![(0, 1, -1.0 / 9.0), (1, 0, -1.0 / 9.0), (1, 1, -4.0 / 27.0)],
                        "∂²(a/b)/∂b² = +2a/b³: the derivative of −a/b² is +2a/b³",
                    ),
                    (
                        "a^3 (constant exponent)",
                        curvature::powf(&mut g, a, 3.0),
                        vec![(0, 0, 12.0)],
                        vec![(0, 0, 6.0)],
                        "k(k−1)·a^(k−2), not k·a^(k−2): the exponent comes down twice",
                    ),
                    (
                        "a^b (node exponent)",
                        curvature::pow(&mut g, a, b),
                        vec![
                            (0, 0, 12.0),
                            (0, 1, cross),
                            (1, 0, cross),
                            (1, 1, 8.0 * l2 * l2),
                        ],
                        vec![
                            (0, 0, 12.0),
                            (0, 1, 12.0 * l2),
                            (1, 0, 12.0 * l2),
                            (1, 1, 8.0 * l2 * l2),
                        ],
                        "∂²(a^b)/∂a∂b = a^(b−1)·(1 + b ln a): differentiate b·a^(b−1) in b, both \
                         factors",
                    ),
                    (
                        "exp c",
                        curvature::exp(&mut g, c),
                        vec![(0, 0, 0.5f64.exp())],
                        vec![],
                        "",
                    ),
                    (
                        "ln a",
                        curvature::ln(&mut g, a),
                        vec![(0, 0, -0.25)],
                        vec![(0, 0, 0.25)],
                        "the derivative of 1/a is −1/a²",
                    ),
                    (
                        "tanh c",
                        curvature::tanh(&mut g, c),
                        vec![(0, 0, -2.0 * t * (1.0 - t * t))],
                        vec![(0, 0, 1.0 - t * t)],
                        "that is tanh′, the first derivative: tanh″ = −2·tanh·(1 − tanh²)",
                    ),
                    ("a + b", curvature::add(&mut g, a, b), vec![], vec![], ""),
                    ("a − b", curvature::sub(&mut g, a, b), vec![], vec![], ""),
                    ("the leaf a", a, vec![], vec![], ""),
                ];
                for (what, node, want, wrong, hint) in cases {
                    let got = second(&g, node)?;
                    let positions: Vec<(usize, usize)> = got.iter().map(|e| (e.0, e.1)).collect();
                    let expected: Vec<(usize, usize)> = want.iter().map(|e| (e.0, e.1)).collect();
                    let same = |x: &[(usize, usize, f64)], y: &[(usize, usize, f64)]| {
                        x.len() == y.len()
                            && x.iter().zip(y).all(|(p, q)| {
                                (p.0, p.1) == (q.0, q.1)
                                    && mlings_grader::assert::near(p.2, q.2, 1e-12)
                            })
                    };
                    ensure(positions == expected, || {
                        format!(
                            "{what}: nonzero second derivatives at positions {positions:?}, \
                             expected {expected:?} (parent positions (i, j), both orders)"
                        )
                    })
                    .hint_if(!wrong.is_empty() && same(&got, &wrong), hint)?;
                    let got: Vec<f64> = got.iter().map(|e| e.2).collect();
                    let values: Vec<f64> = want.iter().map(|e| e.2).collect();
                    let mistaken: Vec<f64> = wrong.iter().map(|e| e.2).collect();
                    close_slice(&format!("{what}: second derivatives"), &got, &values, EXACT)
                        .hint_if(
                            !wrong.is_empty() && matches_slice(&got, &mistaken, 1e-12),
                            hint,
                        )?;
                }
                Ok(())
            },
        ),
        Check::public(
            HESSIAN_VECTOR_PRODUCT,
            "tangents_are_directional_derivatives",
            2,
            || {
                // x = 3, y = 2, c = 5, z = x·y, u = z + x along (ẋ, ẏ) = (1, −2):
                // ċ = 0 (not an input), ż = y·ẋ + x·ẏ = −4, u̇ = ż + ẋ = −3.
                let mut g = sut::Graph::new();
                let (x, y) = (g.leaf(3.0), g.leaf(2.0));
                g.leaf(5.0);
                let z = curvature::mul(&mut g, x, y);
                curvature::add(&mut g, z, x);
                let got = ok(g.tangents(&[x, y], &[1.0, -2.0]))?;
                close_slice(
                    "tangents of [x, y, c, z, u]",
                    &got,
                    &[1.0, -2.0, 0.0, -4.0, -3.0],
                    EXACT,
                )
            },
        ),
        Check::public(
            HESSIAN_VECTOR_PRODUCT,
            "hessian_vector_product_refuses_bad_input",
            1,
            || {
                let (g, inputs, root) = curvature::graph_of(curvature::rosenbrock, &[1.0, 1.0]);
                expect_err(
                    "a direction of 3 entries for 2 inputs",
                    g.hessian_vector_product(root, &inputs, &[1.0, 0.0, 0.0]),
                    |e| matches!(e, sut::AdError::ShapeMismatch(_)),
                )?;
                let mut other = sut::Graph::new();
                let foreign = other.leaf(1.0);
                expect_err(
                    "a root of another graph",
                    g.hessian_vector_product(foreign, &inputs, &[1.0, 0.0]),
                    |e| matches!(e, sut::AdError::ForeignNode { .. }),
                )
            },
        ),
        Check::public(
            HESSIAN_VECTOR_PRODUCT,
            "hessian_vector_product_of_a_quadratic_form_is_a_plus_a_transpose_times_v",
            3,
            || {
                // f(x) = xᵀAx with A not symmetric: H = A + Aᵀ at every x.
                let a = curvature::QUADRATIC_A;
                let (g, inputs, root) =
                    curvature::graph_of(curvature::quadratic_form, &[1.0, -2.0, 0.5]);
                let v = [0.3, -1.0, 2.0];
                let times = |m: &dyn Fn(usize, usize) -> f64| -> Vec<f64> {
                    (0..3)
                        .map(|i| (0..3).map(|j| m(i, j) * v[j]).sum())
                        .collect()
                };
                let expected = times(&|i, j| a[i][j] + a[j][i]);
                let got = ok(g.hessian_vector_product(root, &inputs, &v))?;
                let half = matches_slice(&got, &times(&|i, j| a[i][j]), 1e-9)
                    || matches_slice(&got, &times(&|i, j| a[j][i]), 1e-9);
                same_hvp("Hv of xᵀAx", (&g, &inputs, root), &v, &expected, EXACT)
                    .hint_if(half, curvature::hint(Hvp::ProductOnce))
            },
        ),
        Check::public(
            HESSIAN_VECTOR_PRODUCT,
            "hessian_vector_product_of_rosenbrock_matches_its_closed_form",
            2,
            || {
                // At Rosenbrock's classic start (−1.2, 1): H = [[1330, 480], [480, 200]].
                rosenbrock_hvp_is_the_closed_form(-1.2, 1.0, "Hv of Rosenbrock's function")
            },
        ),
        Check::public(
            HESSIAN_VECTOR_PRODUCT,
            "hessian_vector_product_passes_curvature_through_nodes_of_zero_gradient",
            1,
            || {
                // On Rosenbrock's valley floor y = x², at (−1, 1): w = y − x² is 0, so the
                // adjoint of w (200 w) and of x² are 0, yet 100 w²'s curvature flows through
                // them: H = [[802, 400], [400, 200]] from the closed form.
                rosenbrock_hvp_is_the_closed_form(
                    -1.0,
                    1.0,
                    "Hv of Rosenbrock's function at (−1, 1)",
                )
            },
        ),
    ]
}
