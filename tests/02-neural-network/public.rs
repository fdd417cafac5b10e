//! Public checks: small cases derived by hand, shipped to learners.

use mlings_grader::assert::{Tol, close, close_array, ensure};
use mlings_grader::{Check, OutcomeExt};
use ndarray::array;

use super::{EXACT, arr1};
use crate::sut;

/// Every public check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: dense.
        Check::public(1, "dense_forward_matches_a_hand_example", 2, || {
            // By hand: row 0 is 1·1 + 2·0 + 3·0.5 + 0.1 = 2.6 and −1 + 4 + 3 − 0.2 = 5.8, …
            let out = sut::dense_forward(x().view(), w().view(), arr1(&[0.1, -0.2]).view())
                .map_err(super::unexpected)?;
            close_array(
                "out",
                &out,
                &array![[2.6, 5.8], [0.1, 2.8], [-0.4, 0.8]],
                EXACT,
            )
        }),
        Check::public(1, "dense_backward_matches_a_hand_example", 3, || {
            // By hand: dx = dout·Wᵀ, dW = xᵀ·dout, db = column sums of dout.
            let dout = array![[1.0, 0.0], [0.5, -1.0], [2.0, 1.5]];
            let (dx, grad) = sut::dense_backward(dout.view(), x().view(), w().view())
                .map_err(super::unexpected)?;
            close_array(
                "dx",
                &dx,
                &array![[1.0, 0.0, 0.5], [1.5, -2.0, -0.75], [0.5, 3.0, 2.5]],
                EXACT,
            )?;
            close_array(
                "dW",
                &grad.dw,
                &array![[0.5, 1.0], [4.0, 1.5], [2.0, -3.5]],
                EXACT,
            )?;
            close_array("db", &grad.db, &array![3.5, 0.5], EXACT).hint_if(
                grad.db.len() == 3,
                "db has one entry per sample: sum dout over the batch (axis 0), not over the units",
            )
        }),
        // Step 2: activations.
        Check::public(2, "activations_forward_match_hand_values", 2, || {
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
        }),
        Check::public(2, "activations_backward_match_hand_values", 3, || {
            let z = array![[-2.0, 0.0, 0.5], [1.0, -0.5, 3.0]];
            let dout = array![[1.0, 2.0, -1.0], [0.5, 1.0, -2.0]];
            let run =
                |a: sut::Activation| a.backward(dout.view(), z.view()).map_err(super::unexpected);
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
            )?;
            // σ′ = σ(1 − σ) and tanh′ = 1 − tanh², times dout.
            close_array(
                "sigmoid backward",
                &run(sut::Activation::Sigmoid)?,
                &array![
                    [0.1049935854035065, 0.5, -0.2350037122015945],
                    [0.09830596662074093, 0.2350037122015945, -0.090353319461824]
                ],
                EXACT,
            )?;
            close_array(
                "tanh backward",
                &run(sut::Activation::Tanh)?,
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
        }),
        // Step 3: softmax-loss.
        Check::public(3, "softmax_of_a_small_batch", 2, || {
            let p = sut::softmax(array![[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]].view());
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
        }),
        Check::public(3, "cross_entropy_of_the_worked_example", 2, || {
            // Row 0 is the crate docs' worked example: −log σ(1) = 0.313262; row 1: log 2.
            let (loss, dlogits) =
                sut::softmax_cross_entropy(array![[1.0, 2.0], [0.0, 0.0]].view(), &[1, 0])
                    .map_err(super::unexpected)?;
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
        }),
        Check::public(3, "l2_penalty_and_gradient_by_hand", 2, || {
            let w = array![[1.0, -2.0], [0.5, 3.0]];
            // 0.1 · (1 + 4 + 0.25 + 9) = 1.425; the gradient is 2 · 0.1 · W.
            close("penalty", sut::l2_penalty(0.1, w.view()), 1.425, EXACT)?;
            let g = sut::l2_gradient(0.1, w.view());
            close_array("gradient", &g, &(&w * 0.2), EXACT).hint_if(
                (&g - &(&w * 0.1)).iter().all(|d| d.abs() < 1e-12),
                "the regularisation gradient is reg·W: the derivative of reg·∑W² is 2·reg·W",
            )
        }),
        // Step 4: gradient-check.
        Check::public(4, "rel_error_by_hand", 2, || {
            close("rel_error(1, 3)", sut::rel_error(1.0, 3.0), 0.5, EXACT)?;
            close("rel_error(-2, 2)", sut::rel_error(-2.0, 2.0), 1.0, EXACT)?;
            // Below the 1e-8 floor the error is measured absolutely: 1e-10 / 1e-8.
            close(
                "rel_error(1e-10, 0)",
                sut::rel_error(1e-10, 0.0),
                1e-2,
                EXACT,
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
        Check::public(4, "numerical_gradient_of_a_sum_of_squares", 2, || {
            // ∇ ∑ x² = 2x; centred differences are exact for a quadratic up to rounding.
            let x = array![[1.0, -3.0, 0.5], [2.0, 0.25, -1.5]];
            let g = sut::numerical_gradient(|v| v.iter().map(|a| a * a).sum(), x.view(), 1e-5);
            close_array("gradient", &g, &(&x * 2.0), Tol::abs(1e-8))
        }),
        // Step 5: mlp.
        Check::public(5, "mlp_forward_of_a_small_net", 2, || {
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
                .map_err(super::unexpected)?;
            close_array("scores", &scores, &array![[3.1, -0.1], [-1.65, 3.4]], EXACT)
        }),
        // Step 6: init.
        Check::public(6, "init_weights_have_the_requested_shape", 1, || {
            let mut rng = super::oracle::rng(6);
            for init in [sut::Init::He, sut::Init::Xavier] {
                let w = sut::init_weights(init, 5, 3, &mut rng);
                ensure(w.dim() == (5, 3), || {
                    format!(
                        "{init:?}: shape {:?}, expected (5, 3) = (fan_in, fan_out)",
                        w.dim()
                    )
                })?;
                ensure(
                    w.iter().all(|v| v.is_finite()) && w.iter().any(|&v| v != 0.0),
                    || format!("{init:?}: the weights should be random, finite and not all 0"),
                )?;
            }
            Ok(())
        }),
        // Step 7: optimisers.
        Check::public(7, "sgd_takes_one_step_by_hand", 2, || {
            // θ − 0.1 g: [1, −2] − 0.1·[0.5, 0.5]; [0.5, −0.5] − 0.1·[1, −2].
            let net = one_step(sut::Optimiser::Sgd { lr: 0.1 }, 1)?;
            close_array("W", &net.layers[0].w, &array![[0.95, -2.05]], EXACT)?;
            close_array("b", &net.layers[0].b, &array![0.4, -0.3], EXACT)
        }),
        Check::public(7, "momentum_takes_two_steps_by_hand", 3, || {
            // Same g twice: v₁ = −0.1g, v₂ = 0.9v₁ − 0.1g = −0.19g, θ₂ = θ − 0.29g.
            let net = one_step(sut::Optimiser::Momentum { lr: 0.1, beta: 0.9 }, 2)?;
            close_array("W", &net.layers[0].w, &array![[0.855, -2.145]], EXACT)?;
            close_array("b", &net.layers[0].b, &array![0.21, 0.08], EXACT)
        }),
        Check::public(7, "adam_takes_two_steps_with_bias_correction", 4, || {
            // Two steps of Adam (η 0.1, β₁ 0.9, β₂ 0.999, ε 1e-8) with gradients g₁ then g₂,
            // computed by the formulas in Python: step 1 moves each parameter by ≈ 0.1 (m̂ = g₁,
            // ŝ = g₁²); without bias correction W would be [[0.83935, −2.71237]].
            let mut net = start();
            let mut state = sut::OptimiserState::new(sut::Optimiser::adam(0.1));
            for (dw, db) in [
                (array![[0.5, 0.5]], array![1.0, -2.0]),
                (array![[-1.0, 0.25]], array![1.0, 0.5]),
            ] {
                state
                    .step(&mut net, &[sut::Gradient { dw, db }])
                    .map_err(super::unexpected)?;
            }
            let w = &net.layers[0].w;
            close_array(
                "W",
                w,
                &array![[0.9366103542405654, -2.1932179595225376]],
                Tol::rel(1e-12),
            )
            .hint_if(
                (w[[0, 0]] - 0.8393514405183142).abs() < 1e-9,
                "Adam without bias correction: divide m by 1 − β₁ᵗ and s by 1 − β₂ᵗ",
            )?;
            close_array(
                "b",
                &net.layers[0].b,
                &array![0.30000000200000065, -0.35305318370133487],
                Tol::rel(1e-12),
            )
        }),
        // Step 8: training.
        Check::public(8, "history_has_one_entry_per_epoch", 1, || {
            let data = sut::xor();
            let mut net = sut::Mlp::new(&[2, 4, 2], sut::Activation::Tanh, sut::Init::Xavier, 1)
                .map_err(super::unexpected)?;
            let config = sut::TrainConfig {
                epochs: 5,
                batch_size: 2,
                reg: 0.0,
                optimiser: sut::Optimiser::Sgd { lr: 0.1 },
                seed: 3,
            };
            let history = sut::train(&mut net, data.x.view(), &data.labels, &config)
                .map_err(super::unexpected)?;
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
            .map_err(super::unexpected)?;
    }
    Ok(net)
}
