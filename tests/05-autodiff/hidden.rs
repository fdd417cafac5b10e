//! Hidden checks: micrograd's second expression, the single tanh neuron, finite differences at
//! random points, the CS231n toy net of exercise 02 and a training run against hand-written
//! backpropagation; Hessian-vector products of the logistic loss and against finite differences
//! of gradients.

use mlings_grader::assert::{Tol, close, close_array, close_slice};
use mlings_grader::{Check, Outcome, expect_err, ok};
use ndarray::{Array1, Array2, array};

use super::curvature;
use super::oracle;
use super::public::{same_gradients, same_hvp, same_layer_gradients, small_problem};
use super::steps::{
    BACKWARD, GRADIENT_CHECK, HESSIAN_VECTOR_PRODUCT, SCALAR_OPS, TENSOR_OPS, TRAINING,
};
use super::{EXACT, GRAD_TOL, SAME_GRADIENTS};
use crate::sut;

// The CS231n toy net as exercise 02 carries it: one copy of the figures for both suites.
#[allow(dead_code)]
#[path = "../02-neural-network/hidden/toy_net.rs"]
mod toy_net;

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    let mut checks = vec![
        Check::hidden(
            SCALAR_OPS,
            "operations_match_finite_differences_at_random_points",
            4,
            || {
                // Each operation's recorded local derivatives against centred differences of its own
                // recorded value, at seeded points (a > 0 for ln and powers, b away from 0).
                type Binary =
                    fn(&mut sut::Graph, sut::Value, sut::Value) -> Result<sut::Value, sut::AdError>;
                let binary: [(&str, Binary); 6] = [
                    ("a + b", |g, a, b| g.add(a, b)),
                    ("a − b", |g, a, b| g.sub(a, b)),
                    ("a · b", |g, a, b| g.mul(a, b)),
                    ("a / b", |g, a, b| g.div(a, b)),
                    ("a^b", |g, a, b| g.pow(a, b)),
                    ("a^2.5", |g, a, _| g.powf(a, 2.5)),
                ];
                let unary: [(&str, Binary); 5] = [
                    ("−a", |g, a, _| g.neg(a)),
                    ("exp a", |g, a, _| g.exp(a)),
                    ("ln a", |g, a, _| g.ln(a)),
                    ("tanh a", |g, a, _| g.tanh(a)),
                    ("relu(a − 1)", |g, a, _| {
                        let one = g.leaf(1.0);
                        let s = g.sub(a, one)?;
                        g.relu(s)
                    }),
                ];
                let mut r = oracle::rng(17);
                for k in 0..4 {
                    let point = oracle::randn(&mut r, 1, 2, 1.0);
                    let (a, b) = (0.3 + point[[0, 0]].abs(), 0.5 + point[[0, 1]]);
                    for (name, op) in binary.iter().chain(&unary) {
                        let value = |a: f64, b: f64| -> Result<f64, sut::AdError> {
                            let mut g = sut::Graph::new();
                            let (x, y) = (g.leaf(a), g.leaf(b));
                            let v = op(&mut g, x, y)?;
                            g.value(v)
                        };
                        let mut g = sut::Graph::new();
                        let (x, y) = (g.leaf(a), g.leaf(b));
                        let v = ok(op(&mut g, x, y))?;
                        ok(g.backward(v))?;
                        let got = [ok(g.grad(x))?, ok(g.grad(y))?];
                        let h = 1e-6;
                        let numeric = [
                            (ok(value(a + h, b))? - ok(value(a - h, b))?) / (2.0 * h),
                            (ok(value(a, b + h))? - ok(value(a, b - h))?) / (2.0 * h),
                        ];
                        close_slice(
                            &format!("[∂/∂a, ∂/∂b] of {name} at a = {a}, b = {b} (point {k})"),
                            &got,
                            &numeric,
                            Tol::rel_floor(1e-6, 1e-7),
                        )?;
                    }
                }
                Ok(())
            },
        ),
        Check::hidden(BACKWARD, "micrograd_second_expression_is_exact", 3, || {
            // micrograd's engine test (MIT): g = 2421/98 = 24.70408163265306,
            // dg/da = 47620/343 = 138.83381924198252, dg/db = 221433/343 = 645.5772594752186.
            let mut g = sut::Graph::new();
            let (a, b, out) = ok(micrograd_second(&mut g))?;
            ok(g.backward(out))?;
            close("g", ok(g.value(out))?, 24.70408163265306, EXACT)?;
            let got = [ok(g.grad(a))?, ok(g.grad(b))?];
            close_slice(
                "[dg/da, dg/db]",
                &got,
                &[138.83381924198252, 645.5772594752186],
                EXACT,
            )
            .map_err(|mut failure| {
                // Name the mistake by replaying the learner's own graph with each one.
                let all: Vec<f64> = g.nodes().iter().map(|n| n.grad).collect();
                let parents = oracle::parents_in(&g);
                if let Err(named) =
                    same_gradients("every node's gradient", &all, &parents, out.index())
                {
                    failure.hint = named.hint;
                }
                failure
            })
        }),
        Check::hidden(BACKWARD, "single_tanh_neuron_gradients", 2, || {
            // o = tanh(x₁w₁ + x₂w₂ + b) = 0.7071…: ∂o/∂x₁ = −1.5, ∂o/∂w₁ = 1, ∂o/∂x₂ = 0.5,
            // ∂o/∂w₂ = 0, ∂o/∂b = 0.5 (micrograd's walkthrough; 1 − o² = 0.5).
            let mut g = sut::Graph::new();
            let leaves = [2.0, 0.0, -3.0, 1.0, 6.881_373_587_019_543].map(|v| g.leaf(v));
            let [x1, x2, w1, w2, b] = leaves;
            let a = ok(g.mul(x1, w1))?;
            let c = ok(g.mul(x2, w2))?;
            let n = ok(g.add(a, c))?;
            let n = ok(g.add(n, b))?;
            let o = ok(g.tanh(n))?;
            ok(g.backward(o))?;
            close(
                "o",
                ok(g.value(o))?,
                std::f64::consts::FRAC_1_SQRT_2,
                Tol::rel(1e-12),
            )?;
            let got: Vec<f64> = [x1, w1, x2, w2, b]
                .iter()
                .map(|&v| ok(g.grad(v)))
                .collect::<Result<_, _>>()?;
            close_slice(
                "[x₁, w₁, x₂, w₂, b] gradients",
                &got,
                &[-1.5, 1.0, 0.5, 0.0, 0.5],
                Tol::rel_floor(1e-12, 1e-12),
            )
        }),
        Check::hidden(
            GRADIENT_CHECK,
            "check_gradient_of_ln_x1_plus_x1_x2_minus_sin_x2",
            3,
            || {
                // f = ln x₁ + x₁x₂ − sin x₂ at (2, 5): ∂f/∂x₁ = 1/2 + 5 = 5.5, ∂f/∂x₂ = x₁ − cos 5.
                let build =
                    |g: &mut sut::Graph, x: &[sut::Value]| -> Result<sut::Value, sut::AdError> {
                        let (a, b) = (g.value(x[0])?, g.value(x[1])?);
                        let l = g.record(a.ln(), "ln", &[(x[0], 1.0 / a)])?;
                        let p = g.record(a * b, "×", &[(x[0], b), (x[1], a)])?;
                        let s = g.record(b.sin(), "sin", &[(x[1], b.cos())])?;
                        let t = g.record(a.ln() + a * b, "+", &[(l, 1.0), (p, 1.0)])?;
                        g.record(a.ln() + a * b - b.sin(), "−", &[(t, 1.0), (s, -1.0)])
                    };
                let check = ok(sut::check_gradient(build, &[2.0, 5.0], 1e-5))?;
                let exact = [5.5, 2.0 - 5f64.cos()];
                close_slice("analytic", &check.analytic, &exact, EXACT)?;
                close_slice("numerical", &check.numerical, &exact, Tol::rel(1e-8))?;
                close("max_rel_error", check.max_rel_error, 0.0, Tol::abs(1e-8))
            },
        ),
        Check::hidden(
            TENSOR_OPS,
            "tensor_ops_refuse_bad_shapes_labels_and_foreign_vars",
            2,
            || {
                let is_shape = |e: &sut::AdError| matches!(e, sut::AdError::ShapeMismatch(_));
                let (a, b) = (Array2::<f64>::ones((2, 3)), Array2::<f64>::ones((3, 2)));
                expect_err(
                    "(2, 3) · (2, 3)",
                    sut::ops::matmul_forward(a.view(), a.view()),
                    is_shape,
                )?;
                expect_err(
                    "(2, 3) + (3, 2)",
                    sut::ops::add_forward(a.view(), b.view()),
                    is_shape,
                )?;
                expect_err(
                    "(2, 3) ⊙ (3, 2)",
                    sut::ops::mul_forward(a.view(), b.view()),
                    is_shape,
                )?;
                let sce = sut::ops::softmax_cross_entropy_forward;
                expect_err("label 3 of 3 classes", sce(a.view(), &[0, 3]), |e| {
                    matches!(e, sut::AdError::LabelOutOfRange { label: 3, .. })
                })?;
                expect_err("one label for two rows", sce(a.view(), &[0]), is_shape)?;
                expect_err(
                    "an empty batch",
                    sce(Array2::zeros((0, 3)).view(), &[]),
                    |e| matches!(e, sut::AdError::EmptyBatch { .. }),
                )?;
                let (mut tape, mut other) = (sut::Tape::new(), sut::Tape::new());
                let x = tape.input(a.clone());
                let foreign = other.input(b.clone());
                expect_err("a var of another tape", tape.matmul(x, foreign), |e| {
                    matches!(e, sut::AdError::ForeignNode { .. })
                })
            },
        ),
        Check::hidden(TENSOR_OPS, "broadcast_over_columns_and_a_scalar", 2, || {
            let dout = array![[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]];
            let (da, dcol) = sut::ops::add_backward(dout.view(), (2, 3), (2, 1));
            close_array("da", &da, &dout, EXACT)?;
            close_array(
                "d of a (2, 1) column",
                &dcol,
                &array![[-0.5], [2.25]],
                EXACT,
            )?;
            let (dscalar, _) = sut::ops::add_backward(dout.view(), (1, 1), (2, 3));
            close_array("d of a (1, 1) scalar", &dscalar, &array![[1.75]], EXACT)?;
            let a = array![[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]];
            let k = array![[2.0]];
            let (da, dk) = sut::ops::mul_backward(dout.view(), a.view(), k.view());
            close_array("da of a ⊙ k", &da, &(&dout * 2.0), EXACT)?;
            close_array("dk of a ⊙ k", &dk, &array![[(&dout * &a).sum()]], EXACT)
        }),
        Check::hidden(
            TRAINING,
            "toy_net_loss_and_gradients_match_exercise_02",
            3,
            || {
                // The CS231n toy net through the tape: loss and gradients as recomputed for
                // exercise 02, to 1e-10 (published tolerance for the gradients: 1e-8).
                let layers = toy_layers();
                let x = arr2(&toy_net::X);
                let mut tape = sut::Tape::new();
                let net = ok(sut::Mlp::new(&mut tape, &layers))?;
                let data = ok(net.loss(&mut tape, x.view(), &toy_net::Y, 0.0))?;
                close(
                    "data loss (reg 0)",
                    ok(tape.value(data))?[[0, 0]],
                    toy_net::DATA_LOSS,
                    SAME_GRADIENTS,
                )?;
                tape.reset();
                let loss = ok(net.loss(&mut tape, x.view(), &toy_net::Y, toy_net::REG))?;
                close(
                    "loss",
                    ok(tape.value(loss))?[[0, 0]],
                    toy_net::LOSS,
                    SAME_GRADIENTS,
                )?;
                ok(tape.backward(loss))?;
                let got = ok(net.gradients(&tape))?;
                let want = vec![
                    (arr2(&toy_net::DW1), Array1::from(toy_net::DB1.to_vec())),
                    (arr2(&toy_net::DW2), Array1::from(toy_net::DB2.to_vec())),
                ];
                same_layer_gradients(&got, &want, SAME_GRADIENTS)
            },
        ),
        Check::hidden(
            TRAINING,
            "training_through_the_tape_follows_hand_written_sgd",
            3,
            || {
                // 20 SGD steps at lr 0.5 on a 4-6-3 network: the losses step for step equal those of
                // hand-written backpropagation with the same updates.
                let (mut layers, x, labels) = small_problem();
                let mut tape = sut::Tape::new();
                let net = ok(sut::Mlp::new(&mut tape, &layers))?;
                let mut state = sut::OptimiserState::new(sut::Optimiser::Sgd { lr: 0.5 });
                let (mut got, mut want) = (Vec::new(), Vec::new());
                for _ in 0..20 {
                    got.push(ok(net.train_step(
                        &mut tape,
                        &mut state,
                        x.view(),
                        &labels,
                        1e-3,
                    ))?);
                    let (loss, grads) = oracle::mlp_backprop(&layers, x.view(), &labels, 1e-3);
                    want.push(loss);
                    for ((w, b), (dw, db)) in layers.iter_mut().zip(&grads) {
                        w.scaled_add(-0.5, dw);
                        b.scaled_add(-0.5, db);
                    }
                }
                close_slice("losses of 20 steps", &got, &want, Tol::rel(1e-9))?;
                trained(&want)
            },
        ),
    ];
    checks.extend(hessian_vector_product());
    checks
}

/// The reference run must learn, or the comparison above proves little.
fn trained(losses: &[f64]) -> Outcome {
    let (first, last) = (losses[0], losses[losses.len() - 1]);
    mlings_grader::assert::ensure(last < 0.8 * first, || {
        format!("the suite's own run went from loss {first} to {last}: expected it to learn")
    })
}

fn arr2<const R: usize, const C: usize>(rows: &[[f64; C]; R]) -> Array2<f64> {
    Array2::from_shape_fn((R, C), |(i, j)| rows[i][j])
}

fn toy_layers() -> oracle::Layers {
    vec![
        (arr2(&toy_net::W1), Array1::from(toy_net::B1.to_vec())),
        (arr2(&toy_net::W2), Array1::from(toy_net::B2.to_vec())),
    ]
}

/// micrograd's second expression at a = −4, b = 2. Returns `(a, b, g)`.
fn micrograd_second(
    g: &mut sut::Graph,
) -> Result<(sut::Value, sut::Value, sut::Value), sut::AdError> {
    let a = g.leaf(-4.0);
    let b = g.leaf(2.0);
    let (one, two, three, ten) = (g.leaf(1.0), g.leaf(2.0), g.leaf(3.0), g.leaf(10.0));
    let c = g.add(a, b)?;
    let ab = g.mul(a, b)?;
    let b3 = g.powf(b, 3.0)?;
    let d = g.add(ab, b3)?;
    // c += c + 1
    let t = g.add(c, one)?;
    let c = g.add(c, t)?;
    // c += 1 + c + (−a)
    let t = g.add(one, c)?;
    let na = g.neg(a)?;
    let t = g.add(t, na)?;
    let c = g.add(c, t)?;
    // d += d · 2 + relu(b + a)
    let t = g.mul(d, two)?;
    let s = g.add(b, a)?;
    let r = g.relu(s)?;
    let t = g.add(t, r)?;
    let d = g.add(d, t)?;
    // d += 3 · d + relu(b − a)
    let t = g.mul(three, d)?;
    let s = g.sub(b, a)?;
    let r = g.relu(s)?;
    let t = g.add(t, r)?;
    let d = g.add(d, t)?;
    let e = g.sub(c, d)?;
    let f = g.powf(e, 2.0)?;
    let half = g.div(f, two)?;
    let inv = g.div(ten, f)?;
    let out = g.add(half, inv)?;
    Ok((a, b, out))
}

/// The logistic loss `ℓ(β) = ∑ᵢ ln(1 + e^ηᵢ) − yᵢ ηᵢ`, `η = Xβ`, of [`logistic_problem`]'s data,
/// recorded node by node with `β` as the inputs.
fn logistic_loss(g: &mut sut::Graph, beta: &[sut::Value]) -> sut::Value {
    let (x, y) = logistic_problem();
    let one = g.leaf(1.0);
    let mut terms = Vec::new();
    for (row, &yi) in x.rows().into_iter().zip(&y) {
        let products: Vec<_> = row
            .iter()
            .zip(beta)
            .map(|(&xij, &bj)| {
                let xij = g.leaf(xij);
                curvature::mul(g, xij, bj)
            })
            .collect();
        let eta = curvature::sum(g, &products);
        let e = curvature::exp(g, eta);
        let one_plus = curvature::add(g, one, e);
        let softplus = curvature::ln(g, one_plus);
        let yi = g.leaf(yi);
        let y_eta = curvature::mul(g, yi, eta);
        terms.push(curvature::sub(g, softplus, y_eta));
    }
    curvature::sum(g, &terms)
}

/// Eight seeded observations of three features and 0/1 responses.
fn logistic_problem() -> (Array2<f64>, Vec<f64>) {
    let x = oracle::randn(&mut oracle::rng(61), 8, 3, 1.0);
    let y = vec![1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
    (x, y)
}

/// A smooth function of three inputs using every operation with second derivatives:
/// `tanh(a·b) + a^b / c + e^c · ln b − c^3`, for a, b > 0 and c away from 0.
fn every_operation(g: &mut sut::Graph, v: &[sut::Value]) -> sut::Value {
    let (a, b, c) = (v[0], v[1], v[2]);
    let ab = curvature::mul(g, a, b);
    let t = curvature::tanh(g, ab);
    let p = curvature::pow(g, a, b);
    let q = curvature::div(g, p, c);
    let e = curvature::exp(g, c);
    let l = curvature::ln(g, b);
    let el = curvature::mul(g, e, l);
    let c3 = curvature::powf(g, c, 3.0);
    let s = curvature::sum(g, &[t, q, el]);
    curvature::sub(g, s, c3)
}

fn hessian_vector_product() -> Vec<Check> {
    vec![
        Check::hidden(
            HESSIAN_VECTOR_PRODUCT,
            "hessian_vector_product_of_the_logistic_loss_is_xtwx_v",
            3,
            || {
                // The Hessian of the logistic loss is XᵀWX, W = diag(μᵢ(1 − μᵢ)), μ = σ(Xβ).
                let (x, _) = logistic_problem();
                let beta = array![0.3, -0.5, 0.8];
                let mu = x.dot(&beta).mapv(|e| 1.0 / (1.0 + (-e).exp()));
                let w = &mu * &mu.mapv(|m| 1.0 - m);
                let v = array![0.4, 1.1, -0.7];
                let scaled = &x * &w.view().insert_axis(ndarray::Axis(1));
                let expected: Array1<f64> = x.t().dot(&scaled).dot(&v);
                let (g, inputs, root) =
                    curvature::graph_of(logistic_loss, beta.as_slice().expect("contiguous"));
                same_hvp(
                    "Hv of the logistic loss",
                    (&g, &inputs, root),
                    v.as_slice().expect("contiguous"),
                    expected.as_slice().expect("contiguous"),
                    Tol::rel_floor(1e-10, 1e-12),
                )
            },
        ),
        Check::hidden(
            HESSIAN_VECTOR_PRODUCT,
            "hessian_vector_product_matches_finite_differences_of_the_gradient",
            2,
            || {
                // (∇f(x + hv) − ∇f(x − hv)) / 2h with the suite's own backward pass, h = 1e-5.
                let x = [1.3, 0.8, -0.6];
                let h = 1e-5;
                let gradient = |at: &[f64]| {
                    let (g, inputs, root) = curvature::graph_of(every_operation, at);
                    let parents = oracle::parents_in(&g);
                    let grads =
                        oracle::scalar_grads(&parents, root.index(), oracle::Backward::Correct);
                    inputs
                        .iter()
                        .map(|i| grads[i.index()])
                        .collect::<Vec<f64>>()
                };
                let (g, inputs, root) = curvature::graph_of(every_operation, &x);
                for v in [
                    [1.0, 0.0, 0.0],
                    [0.0, 1.0, 0.0],
                    [0.0, 0.0, 1.0],
                    [0.5, -1.2, 0.9],
                ] {
                    let shifted = |s: f64| -> Vec<f64> {
                        x.iter().zip(&v).map(|(xi, vi)| xi + s * h * vi).collect()
                    };
                    let (plus, minus) = (gradient(&shifted(1.0)), gradient(&shifted(-1.0)));
                    let expected: Vec<f64> = plus
                        .iter()
                        .zip(&minus)
                        .map(|(p, m)| (p - m) / (2.0 * h))
                        .collect();
                    same_hvp(
                        &format!("Hv along {v:?}"),
                        (&g, &inputs, root),
                        &v,
                        &expected,
                        GRAD_TOL,
                    )?;
                }
                Ok(())
            },
        ),
    ]
}
