//! Public checks: small cases derived by hand, shipped to learners.

use mlings_grader::assert::{Tol, close, close_array, close_slice, ensure, near};
use mlings_grader::{Check, Failure, Outcome, OutcomeExt, unexpected};
use ndarray::{Array2, Axis, array};

use super::oracle::{
    self, Differences, LossForm, OptimMistake, TrainMistake, Variant, matches, randn, rng,
};
use super::steps::{
    ACTIVATIONS, DENSE, GRADIENT_CHECK, INIT, MLP, OPTIMISERS, SOFTMAX_LOSS, TRAINING,
};
use super::{EXACT, arr1};
use crate::sut;

/// Every public check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: dense.
        Check::public(DENSE, "dense_forward_matches_a_hand_example", 2, || {
            // By hand: row 0 is 1·1 + 2·0 + 3·0.5 + 0.1 = 2.6 and −1 + 4 + 3 − 0.2 = 5.8, …
            let out = sut::dense_forward(x().view(), w().view(), arr1(&[0.1, -0.2]).view())
                .map_err(unexpected)?;
            close_array(
                "out",
                &out,
                &array![[2.6, 5.8], [0.1, 2.8], [-0.4, 0.8]],
                EXACT,
            )
            .hint_if(
                matches(&out, &oracle::matmul(x().view(), w().view()), 1e-12),
                "out is x·W without the bias: add b to every row",
            )
        }),
        Check::public(DENSE, "dense_backward_matches_a_hand_example", 3, || {
            // By hand: dx = dout·Wᵀ, dW = xᵀ·dout, db = column sums of dout.
            let dout = array![[1.0, 0.0], [0.5, -1.0], [2.0, 1.5]];
            let (dx, grad) =
                sut::dense_backward(dout.view(), x().view(), w().view()).map_err(unexpected)?;
            close_array(
                "dx",
                &dx,
                &array![[1.0, 0.0, 0.5], [1.5, -2.0, -0.75], [0.5, 3.0, 2.5]],
                EXACT,
            )?;
            let dw = array![[0.5, 1.0], [4.0, 1.5], [2.0, -3.5]];
            close_array("dW", &grad.dw, &dw, EXACT).hint_if(
                matches(&grad.dw, &dw.t(), 1e-12),
                "dW is transposed: it is xᵀ·dout, shaped (D, H) like W, not doutᵀ·x",
            )?;
            close_array("db", &grad.db, &array![3.5, 0.5], EXACT)
                .hint_if(
                    matches(&grad.db, &dout.sum_axis(Axis(1)), 1e-12),
                    "db has one entry per sample: sum dout over the batch (axis 0), not over the units",
                )
                .hint_if(
                    matches(&grad.db, &(dout.sum_axis(Axis(0)) / 3.0), 1e-12),
                    "db is the mean of dout over the batch: sum it (the 1/N is already in dout)",
                )
        }),
        Check::public(
            DENSE,
            "dense_backward_multiplies_dout_by_the_transpose_of_w",
            1,
            || {
                // A square, asymmetric W, where dout·W and dout·Wᵀ both exist and differ.
                let (x, w) = (
                    array![[1.0, -1.0], [2.0, 0.5]],
                    array![[1.0, 2.0], [-3.0, 4.0]],
                );
                let dout = array![[1.0, 0.5], [-2.0, 1.0]];
                let (dx, _) =
                    sut::dense_backward(dout.view(), x.view(), w.view()).map_err(unexpected)?;
                close_array("dx", &dx, &array![[2.0, -1.0], [0.0, 10.0]], EXACT).hint_if(
                    matches(&dx, &oracle::matmul(dout.view(), w.view()), 1e-12),
                    "dx is dout·W: multiply by the transpose, dx = dout·Wᵀ",
                )
            },
        ),
        // Step 2: activations.
        Check::public(
            ACTIVATIONS,
            "activations_forward_match_hand_values",
            2,
            || {
                let z = array![[-2.0, 0.0, 0.5], [1.0, -0.5, 3.0]];
                close_array(
                    "relu(z)",
                    &sut::Activation::Relu.forward(z.view()),
                    &array![[0.0, 0.0, 0.5], [1.0, 0.0, 3.0]],
                    EXACT,
                )?;
                // σ(z) = 1 / (1 + e⁻ᶻ) and tanh z, to 1e-12.
                close_array(
                    "sigmoid(z)",
                    &sut::Activation::Sigmoid.forward(z.view()),
                    &array![
                        [0.11920292202211755, 0.5, 0.6224593312018546],
                        [0.7310585786300049, 0.3775406687981454, 0.9525741268224334]
                    ],
                    EXACT,
                )?;
                close_array(
                    "tanh(z)",
                    &sut::Activation::Tanh.forward(z.view()),
                    &array![
                        [-0.9640275800758169, 0.0, 0.46211715726000974],
                        [0.7615941559557649, -0.46211715726000974, 0.9950547536867305]
                    ],
                    EXACT,
                )
            },
        ),
        Check::public(
            ACTIVATIONS,
            "activations_backward_match_hand_values",
            3,
            || {
                let z = array![[-2.0, 0.0, 0.5], [1.0, -0.5, 3.0]];
                let dout = array![[1.0, 2.0, -1.0], [0.5, 1.0, -2.0]];
                let run =
                    |a: sut::Activation| a.backward(dout.view(), z.view()).map_err(unexpected);
                let relu = run(sut::Activation::Relu)?;
                let masked_by_dout = dout.mapv(|d| if d > 0.0 { d } else { 0.0 });
                // relu′ is 1 where z > 0, else 0 (0 at z = 0).
                close_array(
                "relu backward",
                &relu,
                &array![[0.0, 0.0, -1.0], [0.5, 0.0, -2.0]],
                EXACT,
            )
            .hint_if(
                relu == masked_by_dout,
                "the ReLU mask comes from the wrong tensor: use z > 0 (the forward input), not dout > 0",
            )
            .hint_if(
                matches(&relu, &(&dout * &z.mapv(|v| f64::from(v >= 0.0))), 0.0),
                "ReLU′(0) is 0 in this kit's contract: mask with z > 0, not z ≥ 0",
            )?;
                // σ′ = σ(1 − σ) and tanh′ = 1 − tanh², times dout.
                let sigmoid = run(sut::Activation::Sigmoid)?;
                let tanh = run(sut::Activation::Tanh)?;
                let derivative_of_z_as_output = |f: fn(f64) -> f64| &dout * &z.mapv(f);
                close_array(
                "sigmoid backward",
                &sigmoid,
                &array![
                    [0.1049935854035065, 0.5, -0.2350037122015945],
                    [0.09830596662074093, 0.2350037122015945, -0.090353319461824]
                ],
                EXACT,
            )
            .hint_if(
                matches(&sigmoid, &derivative_of_z_as_output(|v| v * (1.0 - v)), 1e-12),
                "σ′ is computed as z(1 − z): that formula takes σ's output; here z is its input, so use σ(z)(1 − σ(z))",
            )?;
                close_array(
                "tanh backward",
                &tanh,
                &array![
                    [0.07065082485316443, 2.0, -0.7864477329659274],
                    [
                        0.20998717080701307,
                        0.7864477329659274,
                        -0.019732074330880423
                    ]
                ],
                EXACT,
            )
            .hint_if(
                matches(&tanh, &derivative_of_z_as_output(|v| 1.0 - v * v), 1e-12),
                "tanh′ is computed as 1 − z²: that formula takes tanh's output; here z is its input, so use 1 − tanh²(z)",
            )
            },
        ),
        Check::public(
            ACTIVATIONS,
            "sigmoid_and_tanh_stay_finite_for_large_inputs",
            1,
            || {
                let z = array![[-800.0, -40.0, 40.0, 800.0]];
                for a in [sut::Activation::Sigmoid, sut::Activation::Tanh] {
                    let f = a.forward(z.view());
                    let expected = z.mapv(|v| {
                        if v > 0.0 {
                            1.0
                        } else if a == sut::Activation::Tanh {
                            -1.0
                        } else {
                            0.0
                        }
                    });
                    // e^z / (1 + e^z) is ∞ / ∞ at z = 800.
                    let overflowing = z.mapv(|v| v.exp() / (1.0 + v.exp()));
                    close_array(&format!("{a:?}"), &f, &expected, Tol::abs(1e-15)).hint_if(
                        a == sut::Activation::Sigmoid && matches(&f, &overflowing, 1e-12),
                        "e^z / (1 + e^z) is ∞/∞ = NaN for large z: use 1 / (1 + e^−z) when z ≥ 0",
                    )?;
                    let d = a
                        .backward(array![[1.0, 1.0, 1.0, 1.0]].view(), z.view())
                        .map_err(unexpected)?;
                    close_array(
                        &format!("{a:?} backward"),
                        &d,
                        &Array2::zeros((1, 4)),
                        Tol::abs(1e-15),
                    )?;
                }
                Ok(())
            },
        ),
        // Step 3: softmax-loss.
        Check::public(SOFTMAX_LOSS, "softmax_of_a_small_batch", 2, || {
            let s = array![[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]];
            let p = sut::softmax(s.view());
            // e^k / (e + e² + e³) for k = 1, 2, 3; a constant row gives 1/3 each.
            let third = 1.0 / 3.0;
            close_array(
                "softmax",
                &p,
                &array![
                    [0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
                    [third, third, third]
                ],
                EXACT,
            )
            .hint_if(
                matches(&p, &oracle::softmax(s.view(), true, true), 1e-12),
                "each column sums to 1: normalise every row (over the classes, axis 1), not every column",
            )
        }),
        Check::public(
            SOFTMAX_LOSS,
            "softmax_is_stable_for_logits_near_1000",
            2,
            || {
                // The softmax of [1000, 1001, 1002] is that of [0, 1, 2].
                let s = array![[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]];
                let p = sut::softmax(s.view());
                close_array(
                    "softmax",
                    &p,
                    &array![
                        [0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
                        [0.6652409557748219, 0.24472847105479764, 0.09003057317038046]
                    ],
                    Tol::rel(1e-12),
                )
                .hint_if(
                    matches(&p, &oracle::softmax(s.view(), false, false), 1e-12),
                    "softmax overflows to NaN: subtract each row's maximum before exp",
                )
            },
        ),
        Check::public(
            SOFTMAX_LOSS,
            "cross_entropy_of_the_worked_example",
            2,
            || {
                // Row 0 is the crate docs' worked example: −log σ(1) = 0.313262; row 1: log 2.
                let (loss, dlogits) =
                    sut::softmax_cross_entropy(array![[1.0, 2.0], [0.0, 0.0]].view(), &[1, 0])
                        .map_err(unexpected)?;
                let expected = (0.31326168751822286 + std::f64::consts::LN_2) / 2.0;
                close("loss", loss, expected, EXACT).hint_if(
                    (loss - 2.0 * expected).abs() < 1e-9,
                    "the loss is summed over the batch: average it (divide by N)",
                )?;
                let p = 0.2689414213699951;
                close_array(
                    "dlogits",
                    &dlogits,
                    &array![[p / 2.0, -p / 2.0], [-0.25, 0.25]],
                    EXACT,
                )
                .hint_if(
                    (dlogits[[1, 1]] - 0.5).abs() < 1e-12,
                    "the gradient is not divided by the batch size N",
                )
            },
        ),
        Check::public(
            SOFTMAX_LOSS,
            "cross_entropy_is_stable_for_logits_near_1000",
            2,
            || {
                // −log 0.665241 = 0.4076059644, with its gradient p − onehot.
                let s = array![[1000.0, 1001.0, 1002.0]];
                let (loss, d) = sut::softmax_cross_entropy(s.view(), &[2]).map_err(unexpected)?;
                close("loss", loss, 0.4076059644437349, Tol::rel(1e-10)).hint_if(
                    matches(
                        &arr1(&[loss]),
                        &arr1(&[oracle::cross_entropy_by(s.view(), &[2], LossForm::NoMax)]),
                        1e-12,
                    ),
                    "the loss overflows: subtract the row maximum before exp (log-sum-exp)",
                )?;
                close_array(
                    "dlogits",
                    &d,
                    &array![[
                        0.09003057317038046,
                        0.24472847105479764,
                        0.6652409557748219 - 1.0
                    ]],
                    Tol::rel(1e-10),
                )?;
                // The true class 1000 below the other: p₀ = e⁻¹⁰⁰⁰ underflows to 0, its log does not,
                // L = −(0 − 1000 − ln(1 + e⁻¹⁰⁰⁰)) = 1000.
                let s = array![[0.0, 1000.0]];
                let (loss, d) = sut::softmax_cross_entropy(s.view(), &[0]).map_err(unexpected)?;
                close("loss of [[0, 1000]] with label 0", loss, 1000.0, Tol::rel(1e-12)).hint_if(
                matches(&arr1(&[loss]), &arr1(&[oracle::cross_entropy_by(s.view(), &[0], LossForm::LnSoftmax)]), 1e-12),
                "log p is taken as ln(softmax), which is ln 0 = −∞ once p underflows: use s_y − m − ln ∑ exp(s − m)",
            )?;
                close_array(
                    "dlogits of [[0, 1000]] with label 0",
                    &d,
                    &array![[-1.0, 1.0]],
                    Tol::rel(1e-12),
                )
            },
        ),
        Check::public(SOFTMAX_LOSS, "l2_penalty_and_gradient_by_hand", 2, || {
            let w = array![[1.0, -2.0], [0.5, 3.0]];
            // 0.1 · (1 + 4 + 0.25 + 9) = 1.425; the gradient is 2 · 0.1 · W.
            let penalty = sut::l2_penalty(0.1, w.view());
            close("penalty", penalty, 1.425, EXACT).hint_if(
                near(penalty, 0.7125, 1e-12),
                "this kit's L2 term is reg·∑W², without the ½",
            )?;
            let g = sut::l2_gradient(0.1, w.view());
            close_array("gradient", &g, &(&w * 0.2), EXACT).hint_if(
                (&g - &(&w * 0.1)).iter().all(|d| d.abs() < 1e-12),
                "the regularisation gradient is reg·W: the derivative of reg·∑W² is 2·reg·W",
            )
        }),
        // Step 4: gradient-check.
        Check::public(GRADIENT_CHECK, "rel_error_by_hand", 2, || {
            let r = sut::rel_error(1.0, 3.0);
            close("rel_error(1, 3)", r, 0.5, EXACT)
                .hint_if(
                    near(r, 2.0 / 3.0, 1e-12),
                    "the denominator is max(|a|, |b|): this kit's is |a| + |b| (with a floor of 1e-8)",
                )
                .hint_if(
                    near(r, 1.0, 1e-12),
                    "the denominator is (|a| + |b|) / 2: this kit's is |a| + |b|, with no / 2",
                )?;
            close("rel_error(-2, 2)", sut::rel_error(-2.0, 2.0), 1.0, EXACT)?;
            // Below the 1e-8 floor the error is measured absolutely: 1e-10 / 1e-8.
            let r = sut::rel_error(1e-10, 0.0);
            close("rel_error(1e-10, 0)", r, 1e-2, EXACT).hint_if(
                near(r, 1.0, 1e-12),
                "the denominator has no floor: divide by max(1e-8, |a| + |b|)",
            )?;
            ensure(sut::rel_error(0.0, 0.0) == 0.0, || {
                "rel_error(0, 0) should be 0, not NaN".to_owned()
            })?;
            let m = sut::max_rel_error(
                array![[1.0, 2.0], [4.0, 3.0]].view(),
                array![[1.0, 6.0], [4.0, 2.0]].view(),
            );
            close("max_rel_error", m, 0.5, EXACT)
        }),
        Check::public(
            GRADIENT_CHECK,
            "numerical_gradient_of_a_sum_of_squares",
            2,
            || {
                // ∇ ∑ x² = 2x; centred differences are exact for a quadratic up to rounding.
                let x = array![[1.0, -3.0, 0.5], [2.0, 0.25, -1.5]];
                let f = |v: ndarray::ArrayView2<'_, f64>| v.iter().map(|a| a * a).sum::<f64>();
                let g = sut::numerical_gradient(f, x.view(), 1e-5);
                close_array("gradient", &g, &(&x * 2.0), Tol::abs(1e-8))
                    .hint_if(
                        matches(
                            &g,
                            &oracle::finite_differences(f, x.view(), 1e-5, Differences::OneSided),
                            1e-6,
                        ),
                        "this is a one-sided difference: use (f(x + h) − f(x − h)) / 2h",
                    )
                    .hint_if(
                        matches(
                            &g,
                            &oracle::finite_differences(f, x.view(), 1e-5, Differences::OverH),
                            1e-6,
                        ),
                        "the centred difference is divided by h: divide by 2h",
                    )
            },
        ),
        Check::public(
            GRADIENT_CHECK,
            "numerical_gradient_of_a_coupled_quadratic_with_a_large_step",
            2,
            || {
                // f = (∑ x)² + ∑ x², ∇f = 2∑x + 2x. Centred differences are exact for a quadratic at
                // any step, so h = 0.5 shows every deviation from the formula: a one-sided difference
                // errs by h·∂²f/∂x² = 2, an element left nudged shifts all the later ones.
                let x = array![[1.0, -3.0, 0.5], [2.0, 0.25, -1.5]];
                let f = |v: ndarray::ArrayView2<'_, f64>| {
                    v.sum().powi(2) + v.iter().map(|a| a * a).sum::<f64>()
                };
                let g = sut::numerical_gradient(f, x.view(), 0.5);
                let signature = |kind| {
                    matches(
                        &g,
                        &oracle::finite_differences(f, x.view(), 0.5, kind),
                        1e-9,
                    )
                };
                close_array(
                    "gradient",
                    &g,
                    &(2.0 * x.sum() + &x * 2.0),
                    Tol::rel_floor(1e-9, 1e-9),
                )
                .hint_if(
                    signature(Differences::OneSided),
                    "this is a one-sided difference: use (f(x + h) − f(x − h)) / 2h",
                )
                .hint_if(
                    signature(Differences::OverH),
                    "the centred difference is divided by h: divide by 2h",
                )
                .hint_if(
                    signature(Differences::NotRestored),
                    "restore each element exactly after nudging it, before the next one",
                )
            },
        ),
        // Step 5: mlp.
        Check::public(MLP, "mlp_forward_of_a_small_net", 2, || {
            // By hand: z₁ = [[3, 0], [0, 1.75]] after ReLU, scores = z₁·W₂ + b₂.
            let net = sut::Mlp {
                layers: vec![
                    sut::Dense {
                        w: array![[1.0, -1.0], [2.0, 0.5]],
                        b: array![0.0, 0.5],
                    },
                    sut::Dense {
                        w: array![[1.0, 0.0], [-1.0, 2.0]],
                        b: array![0.1, -0.1],
                    },
                ],
                activation: sut::Activation::Relu,
            };
            let scores = net
                .forward(array![[1.0, 1.0], [-1.0, 0.5]].view())
                .map_err(unexpected)?;
            let expected = array![[3.1, -0.1], [-1.65, 3.4]];
            close_array("scores", &scores, &expected, EXACT).hint_if(
                matches(&scores, &expected.mapv(|v: f64| v.max(0.0)), 1e-12),
                "the activation is applied to the scores too: the last layer's output stays linear",
            )
        }),
        Check::public(MLP, "mlp_loss_and_gradients_of_a_small_tanh_net", 3, || {
            // A 3-5-4-3 tanh net with non-zero biases at reg 0.1, against the suite's loop oracle.
            let mut r = rng(55);
            let net = oracle::random_net(&mut r, &[3, 5, 4, 3], sut::Activation::Tanh);
            let x = randn(&mut r, 4, 3, 1.0);
            let y = [2, 0, 1, 2];
            let reg = 0.1;
            let (loss, grads) = net
                .loss_and_gradients(x.view(), &y, reg)
                .map_err(unexpected)?;
            let by = |variant| oracle::mlp_loss_grads(&net, x.view(), &y, reg, variant);
            let (expected_loss, expected) = by(Variant::Correct);
            let loss_is = |variant| near(loss, by(variant).0, 1e-12);
            close("loss", loss, expected_loss, Tol::rel(1e-12))
                .hint_if(
                    loss_is(Variant::Summed),
                    "the loss is summed over the batch: average it (divide by N)",
                )
                .hint_if(
                    loss_is(Variant::NoRegLoss),
                    "the regularisation term reg·∑W² is missing from the loss",
                )
                .hint_if(
                    loss_is(Variant::RegularisedBiases),
                    "the biases are regularised: only the weights are",
                )?;
            ensure(grads.len() == 3, || {
                format!("{} gradients for 3 layers", grads.len())
            })?;
            let mistakes = [
                (
                    Variant::Summed,
                    "the gradients are not divided by the batch size N",
                ),
                (
                    Variant::HalfRegGradient,
                    "the regularisation gradient is reg·W: the derivative of reg·∑W² is 2·reg·W",
                ),
                (
                    Variant::NoRegGradient,
                    "the regularisation gradient 2·reg·W is missing from dW",
                ),
                (
                    Variant::DerivativeAtOutput,
                    "the activation's derivative is taken at its output h = f(z): take it at the pre-activation z",
                ),
            ];
            let matching = mistakes.iter().find(|(variant, _)| {
                let (_, wrong) = by(*variant);
                wrong
                    .iter()
                    .zip(&grads)
                    .all(|((dw, db), g)| matches(&g.dw, dw, 1e-9) && matches(&g.db, db, 1e-9))
            });
            let hint = matching.map_or("", |m| m.1);
            // The same formulas in another order agree to rounding: 1e-10 relative, measured
            // absolutely (1e-13) below 1e-3, where a sum's rounding is of its largest term.
            for (l, (g, (dw, db))) in grads.iter().zip(&expected).enumerate() {
                close_array(
                    &format!("dW{}", l + 1),
                    &g.dw,
                    dw,
                    Tol::rel_floor(1e-10, 1e-3),
                )
                .hint_if(matching.is_some(), hint)?;
                close_array(
                    &format!("db{}", l + 1),
                    &g.db,
                    db,
                    Tol::rel_floor(1e-10, 1e-3),
                )
                .hint_if(matching.is_some(), hint)?;
            }
            Ok(())
        }),
        // Step 6: init.
        Check::public(INIT, "init_weights_have_the_requested_shape", 1, || {
            let mut rng = super::oracle::rng(6);
            for init in [sut::Init::He, sut::Init::Xavier] {
                let w = sut::init_weights(init, 5, 3, &mut rng);
                ensure(w.dim() == (5, 3), || {
                    format!(
                        "{init:?}: shape {:?}, expected (5, 3) = (fan_in, fan_out)",
                        w.dim()
                    )
                })
                .hint_if(
                    w.dim() == (3, 5),
                    "W is (fan_out, fan_in): it is (fan_in, fan_out), one row per input",
                )?;
                ensure(
                    w.iter().all(|v| v.is_finite()) && w.iter().any(|&v| v != 0.0),
                    || format!("{init:?}: the weights should be random, finite and not all 0"),
                )?;
            }
            Ok(())
        }),
        Check::public(INIT, "init_variances_follow_he_and_xavier", 2, || {
            for (init, fan_in, fan_out, variance) in [
                (sut::Init::He, 250, 150, 2.0 / 250.0),
                (sut::Init::Xavier, 150, 250, 2.0 / 400.0),
            ] {
                let w = sut::init_weights(init, fan_in, fan_out, &mut rng(66));
                ensure(w.dim() == (fan_in, fan_out), || {
                    format!(
                        "{init:?}: shape {:?}, expected ({fan_in}, {fan_out})",
                        w.dim()
                    )
                })?;
                let n = w.len() as f64;
                let mean = w.sum() / n;
                let var = w.mapv(|v| (v - mean).powi(2)).sum() / n;
                // 37,500 draws: the sample variance's relative standard error is √(2/n) ≈ 0.7%,
                // so 4% is over 5 standard errors; every mistake below is 20% off or more.
                let (fan_in, fan_out) = (fan_in as f64, fan_out as f64);
                let is = |v: f64| near(var, v, 0.04);
                close(
                    &format!("{init:?}: variance of the weights"),
                    var,
                    variance,
                    Tol::rel(0.04),
                )
                .hint_if(
                    init == sut::Init::He && is(2.0 / fan_out),
                    "He's variance is 2 / fan_in (the rows of W), not 2 / fan_out",
                )
                .hint_if(
                    init == sut::Init::Xavier
                        && (is(2.0 / fan_in) || is(1.0 / fan_in) || is(2.0 / fan_out)),
                    "Xavier's variance is 2 / (fan_in + fan_out): both fans, not one of them",
                )
                .hint_if(
                    is(variance / 2.0) || is(variance * 2.0),
                    "a factor 2 is off: He uses 2 / fan_in, Xavier 2 / (fan_in + fan_out)",
                )
                .hint_if(
                    is(variance * variance),
                    "the variance is squared: Normal takes the standard deviation, √variance",
                )?;
            }
            Ok(())
        }),
        // Step 7: optimisers.
        Check::public(OPTIMISERS, "sgd_takes_one_step_by_hand", 2, || {
            // θ − 0.1 g: [1, −2] − 0.1·[0.5, 0.5]; [0.5, −0.5] − 0.1·[1, −2].
            let net = one_step(sut::Optimiser::Sgd { lr: 0.1 }, 1)?;
            close_array("W", &net.layers[0].w, &array![[0.95, -2.05]], EXACT)?;
            close_array("b", &net.layers[0].b, &array![0.4, -0.3], EXACT)
        }),
        Check::public(OPTIMISERS, "momentum_takes_two_steps_by_hand", 3, || {
            // Same g twice: v₁ = −0.1g, v₂ = 0.9v₁ − 0.1g = −0.19g, θ₂ = θ − 0.29g.
            let momentum = sut::Optimiser::Momentum { lr: 0.1, beta: 0.9 };
            let net = one_step(momentum, 2)?;
            close_array("W", &net.layers[0].w, &array![[0.855, -2.145]], EXACT).hint_if(
                matches(
                    &net.layers[0].w,
                    &oracle_steps(momentum, OptimMistake::MomentumAscends, 2).layers[0].w,
                    1e-12,
                ),
                "the parameters climb the gradient: with v ← βv − ηg, the step is θ ← θ + v",
            )?;
            close_array("b", &net.layers[0].b, &array![0.21, 0.08], EXACT)
        }),
        Check::public(
            OPTIMISERS,
            "adam_takes_two_steps_with_bias_correction",
            4,
            || {
                // Two steps of Adam (η 0.1, β₁ 0.9, β₂ 0.999, ε 1e-8) with gradients g₁ then g₂,
                // computed by the formulas in Python: step 1 moves each parameter by ≈ 0.1 (m̂ = g₁,
                // ŝ = g₁²); without bias correction W would be [[0.83935, −2.71237]].
                let adam = sut::Optimiser::adam(0.1);
                let net = adam_steps(adam, &ADAM_GRADIENTS)?;
                let signature = |mistake| {
                    let wrong = oracle_adam(adam, mistake, &ADAM_GRADIENTS);
                    matches(&net.layers[0].w, &wrong.layers[0].w, 1e-12)
                        && matches(&net.layers[0].b, &wrong.layers[0].b, 1e-12)
                };
                let adam_hints = |outcome: Outcome| {
                    outcome
                    .hint_if(
                        signature(OptimMistake::AdamWithoutBiasCorrection),
                        "Adam without bias correction: divide m by 1 − β₁ᵗ and s by 1 − β₂ᵗ",
                    )
                    .hint_if(
                        signature(OptimMistake::AdamStepFromZero),
                        "the bias correction uses t = 0 on the first step (1 − β⁰ = 0): t is 1 during the first step",
                    )
                    .hint_if(
                        signature(OptimMistake::AdamEpsInsideSqrt),
                        "ε is inside the square root: the denominator is √ŝ + ε",
                    )
                };
                adam_hints(close_array(
                    "W",
                    &net.layers[0].w,
                    &array![[0.9366103542405654, -2.1932179595225376]],
                    Tol::rel(1e-12),
                ))?;
                adam_hints(close_array(
                    "b",
                    &net.layers[0].b,
                    &array![0.30000000200000065, -0.35305318370133487],
                    Tol::rel(1e-12),
                ))?;
                // One step with a large ε = 0.1, where √ŝ + ε and √(ŝ + ε) are far apart:
                // θ − η g / (|g| + ε) = [1 − 0.05/0.6, −2 − 0.05/0.6], [0.5 − 0.1/1.1, −0.5 + 0.2/2.1].
                let adam = sut::Optimiser::Adam {
                    lr: 0.1,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 0.1,
                };
                let net = adam_steps(adam, &ADAM_GRADIENTS[..1])?;
                let signature = |mistake| {
                    let wrong = oracle_adam(adam, mistake, &ADAM_GRADIENTS[..1]);
                    matches(&net.layers[0].w, &wrong.layers[0].w, 1e-12)
                };
                close_array(
                    "W after one step with ε = 0.1",
                    &net.layers[0].w,
                    &array![[1.0 - 0.05 / 0.6, -2.0 - 0.05 / 0.6]],
                    Tol::rel(1e-12),
                )
                .hint_if(
                    signature(OptimMistake::AdamEpsInsideSqrt),
                    "ε is inside the square root: the denominator is √ŝ + ε",
                )
                .hint_if(
                    signature(OptimMistake::AdamWithoutBiasCorrection),
                    "Adam without bias correction: divide m by 1 − β₁ᵗ and s by 1 − β₂ᵗ",
                )?;
                close_array(
                    "b after one step with ε = 0.1",
                    &net.layers[0].b,
                    &array![0.5 - 0.1 / 1.1, -0.5 + 0.2 / 2.1],
                    Tol::rel(1e-12),
                )
            },
        ),
        // Step 8: training.
        Check::public(TRAINING, "history_has_one_entry_per_epoch", 1, || {
            let data = sut::xor();
            let mut net = sut::Mlp::new(&[2, 4, 2], sut::Activation::Tanh, sut::Init::Xavier, 1)
                .map_err(unexpected)?;
            let config = sut::TrainConfig {
                epochs: 5,
                batch_size: 2,
                reg: 0.0,
                optimiser: sut::Optimiser::Sgd { lr: 0.1 },
                seed: 3,
            };
            let history =
                sut::train(&mut net, data.x.view(), &data.labels, &config).map_err(unexpected)?;
            ensure(
                history.loss.len() == 5 && history.accuracy.len() == 5,
                || {
                    format!(
                        "5 epochs gave {} losses and {} accuracies, expected 5 of each",
                        history.loss.len(),
                        history.accuracy.len()
                    )
                },
            )?;
            ensure(
                history.loss.iter().all(|l| l.is_finite() && *l > 0.0)
                    && history.accuracy.iter().all(|a| (0.0..=1.0).contains(a)),
                || {
                    format!(
                        "losses {:?} should be finite and > 0, accuracies {:?} in [0, 1]",
                        history.loss, history.accuracy
                    )
                },
            )
        }),
        Check::public(
            TRAINING,
            "training_with_momentum_and_adam_matches_the_reference_over_three_epochs",
            3,
            || {
                // 13 samples in batches of 5 (the last holds 3), three epochs, by the suite's oracle:
                // the optimiser's state and the generator carry over from batch to batch and epoch
                // to epoch, each epoch drawing its own order with epoch_order.
                for optimiser in [
                    sut::Optimiser::Momentum { lr: 0.1, beta: 0.9 },
                    sut::Optimiser::adam(0.05),
                ] {
                    let mut r = rng(850);
                    let net = oracle::random_net(&mut r, &[4, 6, 3], sut::Activation::Relu);
                    let x = randn(&mut r, 13, 4, 1.0);
                    let y = oracle::labels(&mut r, 13, 3);
                    let config = sut::TrainConfig {
                        epochs: 3,
                        batch_size: 5,
                        reg: 0.01,
                        optimiser,
                        seed: 86,
                    };
                    let mut got = net.clone();
                    let history =
                        sut::train(&mut got, x.view(), &y, &config).map_err(unexpected)?;
                    let run = |mistake| {
                        let mut trained = net.clone();
                        let losses = oracle::train(&mut trained, x.view(), &y, &config, mistake);
                        (losses, trained)
                    };
                    let (losses, expected) = run(TrainMistake::None);
                    ensure(
                        history.loss.len() == 3 && history.accuracy.len() == 3,
                        || {
                            format!(
                                "3 epochs gave {} losses and {} accuracies, expected 3 of each",
                                history.loss.len(),
                                history.accuracy.len()
                            )
                        },
                    )?;
                    let mistakes = [
                        (
                            TrainMistake::StateResetEachBatch,
                            "the optimiser's state starts afresh at every mini-batch: create it once, before the first epoch, so velocity, moments and step count carry over",
                        ),
                        (
                            TrainMistake::StateResetEachEpoch,
                            "the optimiser's state starts afresh at every epoch: create it once, before the first epoch, so velocity, moments and step count carry over",
                        ),
                        (
                            TrainMistake::ReseedEachEpoch,
                            "every epoch visits the samples in the same order: seed the generator once, before the first epoch",
                        ),
                        (
                            TrainMistake::CumulativeShuffle,
                            "each epoch shuffles the previous epoch's order: draw a fresh order with epoch_order(&mut rng, n) every epoch",
                        ),
                        (
                            TrainMistake::NoShuffle,
                            "the samples are never shuffled: visit them in the order epoch_order(&mut rng, n) gives",
                        ),
                        (
                            TrainMistake::LastPartialBatchDropped,
                            "the last, partial mini-batch is dropped: it holds the remaining samples and is trained on too",
                        ),
                    ];
                    let matching = mistakes.iter().find(|(mistake, _)| {
                        let (_, wrong) = run(*mistake);
                        got.layers
                            .iter()
                            .zip(&wrong.layers)
                            .all(|(g, w)| matches(&g.w, &w.w, 1e-7) && matches(&g.b, &w.b, 1e-7))
                    });
                    let hint = matching.map_or("", |m| m.1);
                    for (l, (g, e)) in got.layers.iter().zip(&expected.layers).enumerate() {
                        let tol = TRAINED;
                        close_array(
                            &format!("{optimiser:?}: W{} after 3 epochs", l + 1),
                            &g.w,
                            &e.w,
                            tol,
                        )
                        .hint_if(matching.is_some(), hint)?;
                        close_array(
                            &format!("{optimiser:?}: b{} after 3 epochs", l + 1),
                            &g.b,
                            &e.b,
                            tol,
                        )
                        .hint_if(matching.is_some(), hint)?;
                    }
                    let unweighted = run(TrainMistake::LossNotWeighted).0;
                    close_slice(&format!("{optimiser:?}: loss per epoch"), &history.loss, &losses, Tol::rel(1e-8))
                    .hint_if(
                        history.loss.iter().zip(&unweighted).all(|(&a, &b)| near(a, b, 1e-8)),
                        "the epoch's loss is the plain mean of its mini-batches' losses: weight each by its size, ∑ L·|batch| / N",
                    )?;
                    let accuracy = expected
                        .accuracy(x.view(), &y)
                        .map_err(|e| Failure::new(e.to_string()))?;
                    close(
                        &format!("{optimiser:?}: accuracy after 3 epochs"),
                        history.accuracy[2],
                        accuracy,
                        EXACT,
                    )?;
                }
                Ok(())
            },
        ),
    ]
}

fn x() -> ndarray::Array2<f64> {
    array![[1.0, 2.0, 3.0], [-1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]
}

fn w() -> ndarray::Array2<f64> {
    array![[1.0, -1.0], [0.0, 2.0], [0.5, 1.0]]
}

/// A one-layer net `W = [[1, −2]]`, `b = [0.5, −0.5]`.
fn start() -> sut::Mlp {
    sut::Mlp {
        layers: vec![sut::Dense {
            w: array![[1.0, -2.0]],
            b: array![0.5, -0.5],
        }],
        activation: sut::Activation::Relu,
    }
}

/// `steps` steps of `optimiser` from [`start`] with `dW = [[0.5, 0.5]]`, `db = [1, −2]`.
fn one_step(optimiser: sut::Optimiser, steps: usize) -> Result<sut::Mlp, mlings_grader::Failure> {
    let mut net = start();
    let mut state = sut::OptimiserState::new(optimiser);
    let grad = sut::Gradient {
        dw: array![[0.5, 0.5]],
        db: array![1.0, -2.0],
    };
    for _ in 0..steps {
        state
            .step(&mut net, std::slice::from_ref(&grad))
            .map_err(unexpected)?;
    }
    Ok(net)
}

/// Weights after three epochs by another correct loop: Adam divides by √ŝ, so a gradient of
/// 1e-9 computed with a rounding of 1e-17 moves its weight by about 1e-10 differently; every
/// mistake of the training check moves the weights by 1e-3 or more.
const TRAINED: Tol = Tol::rel_floor(1e-8, 1e-2);

/// The gradients of the Adam check: `(dW, db)` of its first and second steps.
const ADAM_GRADIENTS: [([f64; 2], [f64; 2]); 2] =
    [([0.5, 0.5], [1.0, -2.0]), ([-1.0, 0.25], [1.0, 0.5])];

/// The gradient of [`start`]'s layer from its `(dW, db)` entries.
fn gradient((dw, db): &([f64; 2], [f64; 2])) -> sut::Gradient {
    sut::Gradient {
        dw: array![[dw[0], dw[1]]],
        db: array![db[0], db[1]],
    }
}

/// The learner's `optimiser` from [`start`], one step per gradient.
fn adam_steps(
    optimiser: sut::Optimiser,
    gradients: &[([f64; 2], [f64; 2])],
) -> Result<sut::Mlp, Failure> {
    let mut net = start();
    let mut state = sut::OptimiserState::new(optimiser);
    for g in gradients {
        state.step(&mut net, &[gradient(g)]).map_err(unexpected)?;
    }
    Ok(net)
}

/// The oracle's `optimiser` from [`start`], one step per gradient, the way `mistake` does it.
fn oracle_adam(
    optimiser: sut::Optimiser,
    mistake: OptimMistake,
    gradients: &[([f64; 2], [f64; 2])],
) -> sut::Mlp {
    let mut net = start();
    let mut state = oracle::Optimiser::new(optimiser, mistake);
    for g in gradients {
        let g = gradient(g);
        state.step(&mut net, &[(g.dw, g.db)]);
    }
    net
}

/// The oracle's `steps` steps of `optimiser` from [`start`] with [`one_step`]'s gradient.
fn oracle_steps(optimiser: sut::Optimiser, mistake: OptimMistake, steps: usize) -> sut::Mlp {
    oracle_adam(optimiser, mistake, &vec![([0.5, 0.5], [1.0, -2.0]); steps])
}
