//! Hidden checks: the CS231n toy net, gradient checks on random shapes and seeds, stability,
//! real training runs and bad input.

use std::time::{Duration, Instant};

use mlings_grader::assert::{Tol, close, close_array, ensure, near};
use mlings_grader::{Check, Failure, Outcome, OutcomeExt, expect_err, ok};
use ndarray::{Array2, array};

use super::oracle::{self, Differences, Variant, randn, randn1, rng};
use super::steps::{
    ACTIVATIONS, DENSE, GRADIENT_CHECK, INIT, MLP, OPTIMISERS, SOFTMAX_LOSS, TRAINING,
};
use super::{EXACT, GRAD_TOL, arr1, arr2, digits};
use crate::sut;

mod toy_net;

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: dense.
        Check::hidden(DENSE, "dense_gradients_match_finite_differences", 4, || {
            for seed in 0..4 {
                let mut r = rng(100 + seed);
                let (n, d, h) = (2 + seed as usize, 3 + 2 * seed as usize, 5 - seed as usize);
                let x = randn(&mut r, n, d, 1.0);
                let w = randn(&mut r, d, h, 1.0);
                let b = randn1(&mut r, h, 1.0);
                let dout = randn(&mut r, n, h, 1.0);
                let out = ok(sut::dense_forward(x.view(), w.view(), b.view()))?;
                close_array("out", &out, &oracle::dense(x.view(), w.view(), b.view()), EXACT)?;
                let (dx, grad) = ok(sut::dense_backward(dout.view(), x.view(), w.view()))?;
                // L = ∑ out ⊙ dout, so ∂L/∂out = dout; differentiated by the suite's checker.
                let f = |x: &Array2<f64>, w: &Array2<f64>, b: &ndarray::Array1<f64>| {
                    (oracle::dense(x.view(), w.view(), b.view()) * &dout).sum()
                };
                close_array("dx", &dx, &oracle::numerical_gradient(|x| f(x, &w, &b), &x), GRAD_TOL)?;
                close_array("dW", &grad.dw, &oracle::numerical_gradient(|w| f(&x, w, &b), &w), GRAD_TOL)?;
                let b2 = b.clone().insert_axis(ndarray::Axis(0));
                let db = oracle::numerical_gradient(|b| f(&x, &w, &b.row(0).to_owned()), &b2);
                close_array("db", &grad.db, &db.row(0), GRAD_TOL).hint_if(
                    grad.db.len() == n,
                    "db has one entry per sample: sum dout over the batch (axis 0)",
                )?;
            }
            Ok(())
        }),
        Check::hidden(DENSE, "dense_rejects_bad_shapes_and_empty_batches", 3, || {
            let w = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
            let b = array![0.5, -0.5];
            expect_err("x with 2 columns for W with 3 rows", sut::dense_forward(array![[1.0, 2.0]].view(), w.view(), b.view()), is_shape)?;
            expect_err("b of length 3 for W with 2 columns", sut::dense_forward(array![[1.0, 2.0, 3.0]].view(), w.view(), array![1.0, 2.0, 3.0].view()), is_shape)?;
            expect_err("an empty batch", sut::dense_forward(Array2::zeros((0, 3)).view(), w.view(), b.view()), is_empty)?;
            expect_err("dout with 3 columns for W with 2", sut::dense_backward(array![[1.0, 2.0, 3.0]].view(), array![[1.0, 2.0, 3.0]].view(), w.view()), is_shape)?;
            Ok(())
        }),
        // Step 2: activations.
        Check::hidden(ACTIVATIONS, "activation_gradients_match_finite_differences", 4, || {
            for (k, a) in EVERY_ACTIVATION.into_iter().enumerate() {
                let mut r = rng(200 + k as u64);
                let z = randn(&mut r, 3 + k, 4, 2.0);
                let dout = randn(&mut r, 3 + k, 4, 1.0);
                let forward = a.forward(z.view());
                close_array(&format!("{a:?} forward"), &forward, &z.mapv(|v| oracle::act(a, v)), EXACT)?;
                let dz = ok(a.backward(dout.view(), z.view()))?;
                let numeric = oracle::numerical_gradient(
                    |z| z.iter().zip(dout.iter()).map(|(&v, &d)| oracle::act(a, v) * d).sum(),
                    &z,
                );
                let from_dout = dout.mapv(|d| if d > 0.0 { d } else { 0.0 });
                close_array(&format!("{a:?} backward"), &dz, &numeric, GRAD_TOL).hint_if(
                    a == sut::Activation::Relu && dz == from_dout,
                    "the ReLU mask comes from the wrong tensor: use z > 0 (the forward input), not dout > 0",
                )?;
            }
            Ok(())
        }),
        Check::hidden(ACTIVATIONS, "activation_backward_rejects_mismatched_shapes", 2, || {
            for a in EVERY_ACTIVATION {
                expect_err(
                    &format!("{a:?} backward with dout (1, 2) and z (1, 3)"),
                    a.backward(array![[1.0, 2.0]].view(), array![[1.0, 2.0, 3.0]].view()),
                    is_shape,
                )?;
            }
            Ok(())
        }),
        // Step 3: softmax-loss.
        Check::hidden(SOFTMAX_LOSS, "loss_gradient_matches_finite_differences", 2, || {
            for seed in 0..3 {
                let mut r = rng(300 + seed);
                let (n, c) = (4 + seed as usize, 3 + seed as usize);
                let s = randn(&mut r, n, c, 3.0);
                let y = oracle::labels(&mut r, n, c);
                let (loss, d) = ok(sut::softmax_cross_entropy(s.view(), &y))?;
                close("loss", loss, oracle::cross_entropy(s.view(), &y, false).0, EXACT)?;
                let numeric = oracle::numerical_gradient(|s| oracle::cross_entropy(s.view(), &y, false).0, &s);
                close_array("dlogits", &d, &numeric, GRAD_TOL)
                    .hint_if(near(d[[0, 0]], n as f64 * numeric[[0, 0]], 1e-6), "the gradient is not divided by the batch size N")?;
            }
            Ok(())
        }),
        Check::hidden(SOFTMAX_LOSS, "loss_is_averaged_over_the_batch", 2, || {
            // The toy net's scores: mean loss 1.26585705212, summed 5 times that (mistakes.md).
            let s = arr2(&toy_net::SCORES);
            let (loss, _) = ok(sut::softmax_cross_entropy(s.view(), &toy_net::Y))?;
            close("loss", loss, toy_net::DATA_LOSS, Tol::rel(1e-12))
                .hint_if(near(loss, 5.0 * toy_net::DATA_LOSS, 1e-6), "the loss is summed over the batch: average it (divide by N)")
        }),
        Check::hidden(SOFTMAX_LOSS, "loss_rejects_bad_labels_and_empty_batches", 2, || {
            let s = array![[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]];
            expect_err("label 3 with 3 classes", sut::softmax_cross_entropy(s.view(), &[0, 3]), |e| {
                matches!(e, sut::NnError::LabelOutOfRange { index: 1, label: 3, classes: 3 })
            })?;
            expect_err("one label for two samples", sut::softmax_cross_entropy(s.view(), &[0]), is_shape)?;
            expect_err("an empty batch", sut::softmax_cross_entropy(Array2::zeros((0, 3)).view(), &[]), is_empty)
        }),
        // Step 4: gradient-check.
        Check::hidden(GRADIENT_CHECK, "numerical_gradient_is_centred", 2, || {
            // f = ∑ x³, ∇f = 3x². Centred differences err by h² ≈ 1e-10; one-sided ones by 3xh.
            let x = array![[1.5, -2.0, 0.5], [3.0, 1.0, -0.75]];
            let g = sut::numerical_gradient(|v| v.iter().map(|a| a * a * a).sum(), x.view(), 1e-5);
            let one_sided = (&x * 3.0 * 1e-5 + 3.0 * &x * &x - &g).iter().all(|d| d.abs() < 1e-6);
            close_array("gradient of ∑ x³", &g, &(3.0 * &x * &x), Tol::rel(1e-8))
                .hint_if(one_sided, "this is a one-sided difference: use (f(x + h) − f(x − h)) / 2h")
        }),
        Check::hidden(GRADIENT_CHECK, "numerical_gradient_of_a_coupled_function", 2, || {
            // f = ∑ᵢⱼ (i + 1)(j + 2) sin xᵢⱼ + (∑ x)²: every element's derivative depends on all
            // of x, so an element left nudged spoils the ones after it.
            let x = randn(&mut rng(400), 3, 5, 1.0);
            let f = |v: ndarray::ArrayView2<'_, f64>| {
                v.indexed_iter().map(|((i, j), a)| ((i + 1) * (j + 2)) as f64 * a.sin()).sum::<f64>() + v.sum().powi(2)
            };
            let total = x.sum();
            let exact = Array2::from_shape_fn((3, 5), |(i, j)| ((i + 1) * (j + 2)) as f64 * x[[i, j]].cos() + 2.0 * total);
            let g = sut::numerical_gradient(f, x.view(), 1e-5);
            let signature = |kind| oracle::matches(&g, &oracle::finite_differences(f, x.view(), 1e-5, kind), 1e-6);
            close_array("gradient", &g, &exact, Tol::rel_floor(1e-8, 1e-3))
                .hint_if(signature(Differences::NotRestored), "restore each element exactly after nudging it, before the next one")
                .hint_if(signature(Differences::OverH), "the centred difference is divided by h: divide by 2h")
                .hint_if(signature(Differences::OneSided), "this is a one-sided difference: use (f(x + h) − f(x − h)) / 2h")
        }),
        Check::hidden(GRADIENT_CHECK, "checker_tells_a_right_gradient_from_a_wrong_one", 2, || {
            // The learner's checker on the oracle's cross-entropy: the right gradient agrees to
            // ~1e-9, one not divided by N is off by far more than 1e-2.
            let mut r = rng(410);
            let s = randn(&mut r, 6, 4, 1.0);
            let y = oracle::labels(&mut r, 6, 4);
            let (_, right) = oracle::cross_entropy(s.view(), &y, false);
            let numeric = sut::numerical_gradient(|v| oracle::cross_entropy(v, &y, false).0, s.view(), 1e-5);
            let good = sut::max_rel_error(right.view(), numeric.view());
            ensure(good < 1e-6, || format!("max_rel_error of the right gradient: {good:.1e}, expected < 1e-6"))?;
            let wrong = &right * 6.0;
            let bad = sut::max_rel_error(wrong.view(), numeric.view());
            close("max_rel_error of a gradient 6× too large", bad, 5.0 / 7.0, Tol::rel(1e-4))
        }),
        // Step 5: mlp.
        Check::hidden(MLP, "toy_net_scores_match_cs231n", 3, || {
            let scores = ok(toy_net().forward(arr2(&toy_net::X).view()))?;
            close_array("scores", &scores, &arr2(&toy_net::SCORES), Tol::abs(1e-7))
        }),
        Check::hidden(MLP, "toy_net_loss_matches_cs231n", 3, || {
            let (loss, _) = ok(toy_net().loss_and_gradients(arr2(&toy_net::X).view(), &toy_net::Y, toy_net::REG))?;
            close("loss at reg 0.05 (reg·∑W²)", loss, toy_net::LOSS, Tol::abs(1e-12))
                .hint_if(near(loss, 6.36721609980, 1e-9), "the loss is summed over the batch: average it (divide by N)")
                .hint_if(near(loss, toy_net::DATA_LOSS, 1e-9), "the regularisation term reg·∑W² is missing from the loss")
                .hint_if(near(loss, 1.28482247172, 1e-9), "this kit's L2 term is reg·∑W², without the ½")
        }),
        Check::hidden(MLP, "toy_net_gradients_match_cs231n", 4, || {
            let net = toy_net();
            let x = arr2(&toy_net::X);
            let (_, grads) = ok(net.loss_and_gradients(x.view(), &toy_net::Y, toy_net::REG))?;
            ensure(grads.len() == 2, || format!("{} gradients for 2 layers", grads.len()))?;
            let (_, summed) = oracle::mlp_loss_grads(&net, x.view(), &toy_net::Y, toy_net::REG, Variant::Summed);
            let (_, half) = oracle::mlp_loss_grads(&net, x.view(), &toy_net::Y, toy_net::REG, Variant::HalfRegGradient);
            let expected = [
                (arr2(&toy_net::DW1), arr1(&toy_net::DB1)),
                (arr2(&toy_net::DW2), arr1(&toy_net::DB2)),
            ];
            for (l, (g, (dw, db))) in grads.iter().zip(&expected).enumerate() {
                let close_to = |a: &Array2<f64>| a.shape() == g.dw.shape() && (a - &g.dw).iter().all(|d| d.abs() < 1e-9);
                close_array(&format!("dW{}", l + 1), &g.dw, dw, Tol::rel_floor(1e-8, 1e-8))
                    .hint_if(close_to(&summed[l].0), "the gradients are not divided by the batch size N")
                    .hint_if(close_to(&half[l].0), "the regularisation gradient is reg·W: the derivative of reg·∑W² is 2·reg·W")?;
                close_array(&format!("db{}", l + 1), &g.db, db, Tol::rel_floor(1e-8, 1e-8))
                    .hint_if(g.db.len() == 5, "db has one entry per sample: sum over the batch (axis 0)")?;
            }
            Ok(())
        }),
        Check::hidden(MLP, "mlp_gradients_match_finite_differences", 4, || {
            for (k, a) in EVERY_ACTIVATION.into_iter().enumerate() {
                let mut r = rng(500 + k as u64);
                let sizes = [[5, 7, 6, 4], [3, 8, 5, 3], [6, 4, 5, 2]][k];
                let net = oracle::random_net(&mut r, &sizes, a);
                let n = 6 + k;
                let x = randn(&mut r, n, sizes[0], 1.0);
                let y = oracle::labels(&mut r, n, sizes[3]);
                let reg = 0.1;
                let (loss, grads) = ok(net.loss_and_gradients(x.view(), &y, reg))?;
                close(&format!("{a:?} net loss"), loss, oracle::mlp_loss(&net, x.view(), &y, reg), Tol::rel(1e-10))?;
                ensure(grads.len() == 3, || format!("{} gradients for 3 layers", grads.len()))?;
                let numeric = oracle::mlp_numerical_grads(&net, x.view(), &y, reg);
                for (l, (g, (dw, db))) in grads.iter().zip(&numeric).enumerate() {
                    close_array(&format!("{a:?} net dW{}", l + 1), &g.dw, dw, GRAD_TOL)?;
                    close_array(&format!("{a:?} net db{}", l + 1), &g.db, db, GRAD_TOL)?;
                }
            }
            Ok(())
        }),
        Check::hidden(MLP, "mlp_rejects_bad_input", 2, || {
            let net = toy_net();
            let x = arr2(&toy_net::X);
            expect_err("label 3 in a 3-class net", net.loss_and_gradients(x.view(), &[0, 1, 2, 3, 1], 0.0), |e| matches!(e, sut::NnError::LabelOutOfRange { .. }))?;
            expect_err("4 labels for 5 samples", net.loss_and_gradients(x.view(), &[0, 1, 2, 2], 0.0), is_shape)?;
            expect_err("x with 3 features for a 4-input net", net.loss_and_gradients(Array2::ones((2, 3)).view(), &[0, 1], 0.0), is_shape)?;
            expect_err("an empty batch", net.loss_and_gradients(Array2::zeros((0, 4)).view(), &[], 0.0), is_empty)?;
            expect_err("x with 3 features in forward", net.forward(Array2::ones((2, 3)).view()), is_shape)?;
            let empty = sut::Mlp { layers: vec![], activation: sut::Activation::Relu };
            expect_err("a network with no layers", empty.forward(x.view()), |e| matches!(e, sut::NnError::InvalidSetting(_)))
        }),
        // Step 6: init.
        Check::hidden(INIT, "he_init_has_variance_2_over_fan_in", 2, || {
            init_statistics(sut::Init::He, 400, 300, 2.0 / 400.0)
        }),
        Check::hidden(INIT, "xavier_init_has_variance_2_over_fan_in_plus_fan_out", 2, || {
            init_statistics(sut::Init::Xavier, 300, 500, 2.0 / 800.0)
        }),
        Check::hidden(INIT, "init_is_reproducible_from_its_seed", 1, || {
            let a = sut::init_weights(sut::Init::He, 8, 6, &mut rng(61));
            let b = sut::init_weights(sut::Init::He, 8, 6, &mut rng(61));
            let c = sut::init_weights(sut::Init::He, 8, 6, &mut rng(62));
            ensure(a == b, || "the same seed gave different weights: draw them from rng only".to_owned())?;
            ensure(a != c, || "different seeds gave the same weights".to_owned())
        }),
        Check::hidden(INIT, "a_new_network_is_initialised_layer_by_layer", 2, || {
            let net = ok(sut::Mlp::new(&[200, 300, 100], sut::Activation::Relu, sut::Init::He, 63))?;
            ensure(net.layers.len() == 2, || format!("{} layers, expected 2", net.layers.len()))?;
            for (l, (layer, fan_in)) in net.layers.iter().zip([200.0, 300.0]).enumerate() {
                let var = layer.w.mapv(|v| v * v).mean().unwrap_or(0.0);
                close(&format!("variance of W{}", l + 1), var, 2.0 / fan_in, Tol::rel(0.05))?;
                ensure(layer.b.iter().all(|&b| b == 0.0), || "biases should start at 0".to_owned())?;
            }
            Ok(())
        }),
        // Step 7: optimisers.
        Check::hidden(OPTIMISERS, "optimisers_match_the_reference_over_ten_steps", 3, || {
            let mut r = rng(700);
            for optimiser in [
                sut::Optimiser::Sgd { lr: 0.05 },
                sut::Optimiser::Momentum { lr: 0.05, beta: 0.8 },
                sut::Optimiser::Adam { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6 },
            ] {
                let mut net = oracle::random_net(&mut r, &[3, 4, 2], sut::Activation::Tanh);
                let mut expected: Vec<Vec<f64>> = params(&net);
                let mut m: Vec<Vec<f64>> = expected.iter().map(|p| vec![0.0; p.len()]).collect();
                let mut s = m.clone();
                let mut state = sut::OptimiserState::new(optimiser);
                for t in 1..=10 {
                    let grads: Vec<sut::Gradient> = net
                        .layers
                        .iter()
                        .map(|l| sut::Gradient { dw: randn(&mut r, l.w.nrows(), l.w.ncols(), 1.0), db: randn1(&mut r, l.b.len(), 1.0) })
                        .collect();
                    let flat: Vec<Vec<f64>> = grads.iter().flat_map(|g| [g.dw.iter().cloned().collect(), g.db.to_vec()]).collect();
                    for (slot, g) in flat.iter().enumerate() {
                        for (i, &gi) in g.iter().enumerate() {
                            let p = &mut expected[slot][i];
                            match optimiser {
                                sut::Optimiser::Sgd { lr } => *p -= lr * gi,
                                sut::Optimiser::Momentum { lr, beta } => {
                                    m[slot][i] = beta * m[slot][i] - lr * gi;
                                    *p += m[slot][i];
                                }
                                sut::Optimiser::Adam { lr, beta1, beta2, eps } => {
                                    m[slot][i] = beta1 * m[slot][i] + (1.0 - beta1) * gi;
                                    s[slot][i] = beta2 * s[slot][i] + (1.0 - beta2) * gi * gi;
                                    let mh = m[slot][i] / (1.0 - beta1.powi(t));
                                    let sh = s[slot][i] / (1.0 - beta2.powi(t));
                                    *p -= lr * mh / (sh.sqrt() + eps);
                                }
                            }
                        }
                    }
                    ok(state.step(&mut net, &grads))?;
                }
                for (slot, (got, want)) in params(&net).iter().zip(&expected).enumerate() {
                    mlings_grader::assert::close_slice(&format!("{optimiser:?}: parameter tensor {slot} after 10 steps"), got, want, Tol::rel_floor(1e-10, 1e-10))?;
                }
            }
            Ok(())
        }),
        // Step 8: training.
        Check::hidden(TRAINING, "one_epoch_matches_the_reference", 3, || {
            let mut r = rng(800);
            let net = oracle::random_net(&mut r, &[4, 6, 3], sut::Activation::Relu);
            let x = randn(&mut r, 23, 4, 1.0);
            let y = oracle::labels(&mut r, 23, 3);
            let (lr, reg, seed) = (0.1, 0.01, 81);
            let mut expected = net.clone();
            let loss = oracle::sgd_epoch(&mut expected, x.view(), &y, 5, reg, lr, seed);
            let mut got = net.clone();
            let config = sut::TrainConfig { epochs: 1, batch_size: 5, reg, optimiser: sut::Optimiser::Sgd { lr }, seed };
            let history = ok(sut::train(&mut got, x.view(), &y, &config))?;
            // The mistake: one SGD step that updates each layer before backpropagating through it.
            let mut early = net.clone();
            let order = sut::epoch_order(&mut rng(seed), 23);
            let first: Vec<usize> = order[..5].to_vec();
            oracle::sgd_step_updating_during_backprop(&mut early, x.select(ndarray::Axis(0), &first).view(), &first.iter().map(|&i| y[i]).collect::<Vec<_>>(), reg, lr);
            ensure(history.loss.len() == 1, || format!("{} losses for 1 epoch", history.loss.len()))?;
            close("epoch loss", history.loss[0], loss, Tol::rel(1e-10))?;
            let accuracy = expected.accuracy(x.view(), &y).map_err(|e| Failure::new(e.to_string()))?;
            close("epoch accuracy", history.accuracy[0], accuracy, EXACT)?;
            for (l, (g, e)) in got.layers.iter().zip(&expected.layers).enumerate() {
                close_array(&format!("W{} after one epoch", l + 1), &g.w, &e.w, Tol::rel_floor(1e-10, 1e-10))
                    .hint_if(
                        single_step_matches(&net, &early, &x, &y, &first, reg, lr),
                        "parameters are updated before all gradients are computed: backpropagate through the whole network first, then update",
                    )?;
                close_array(&format!("b{} after one epoch", l + 1), &g.b, &e.b, Tol::rel_floor(1e-10, 1e-10))?;
            }
            Ok(())
        }),
        Check::hidden(TRAINING, "the_same_seed_gives_the_same_result", 1, || {
            let data = sut::spiral(30, 3, 82);
            let run = |seed| -> Result<(sut::History, sut::Mlp), Failure> {
                let mut net = ok(sut::Mlp::new(&[2, 16, 3], sut::Activation::Relu, sut::Init::He, 5))?;
                let config = sut::TrainConfig { epochs: 3, batch_size: 16, reg: 1e-3, optimiser: sut::Optimiser::adam(0.01), seed };
                let h = ok(sut::train(&mut net, data.x.view(), &data.labels, &config))?;
                Ok((h, net))
            };
            let (a, b, c) = (run(7)?, run(7)?, run(8)?);
            ensure(a == b, || "two runs with seed 7 differ: shuffle with epoch_order from one StdRng seeded once".to_owned())?;
            ensure(a.1 != c.1, || "seeds 7 and 8 gave the same weights: the batches should be shuffled by the seed".to_owned())
        }),
        Check::hidden(TRAINING, "xor_is_solved_exactly", 2, || {
            let data = sut::xor();
            let mut net = ok(sut::Mlp::new(&[2, 8, 2], sut::Activation::Tanh, sut::Init::Xavier, 3))?;
            let config = sut::TrainConfig { epochs: 300, batch_size: 4, reg: 0.0, optimiser: sut::Optimiser::adam(0.05), seed: 4 };
            let history = ok(sut::train(&mut net, data.x.view(), &data.labels, &config))?;
            let predicted = ok(net.predict(data.x.view()))?;
            ensure(predicted == data.labels, || {
                format!("XOR predictions {predicted:?}, expected [0, 1, 1, 0] (last loss {:?})", history.loss.last())
            })
        }),
        Check::hidden(TRAINING, "spiral_reaches_95_percent_training_accuracy", 3, || {
            // Three interleaved spirals: a linear model stays near 50%.
            let data = sut::spiral(100, 3, 83);
            let mut net = ok(sut::Mlp::new(&[2, 100, 3], sut::Activation::Relu, sut::Init::He, 8))?;
            let config = sut::TrainConfig { epochs: 300, batch_size: 32, reg: 1e-4, optimiser: sut::Optimiser::adam(0.01), seed: 9 };
            let history = ok(sut::train(&mut net, data.x.view(), &data.labels, &config))?;
            let accuracy = ok(net.accuracy(data.x.view(), &data.labels))?;
            ensure(accuracy >= 0.95, || {
                format!("training accuracy {:.1}%, expected at least 95% (last loss {:?})", 100.0 * accuracy, history.loss.last())
            })
        })
        .timeout(Duration::from_secs(30)),
        Check::hidden(TRAINING, "digits_reach_96_percent_held_out_accuracy", 4, || {
            let (train, test) = digits().split(0.2, 2024);
            let start = Instant::now();
            let mut net = ok(sut::Mlp::new(&[64, 128, 10], sut::Activation::Relu, sut::Init::He, 1))?;
            let config = sut::TrainConfig { epochs: 20, batch_size: 32, reg: 1e-4, optimiser: sut::Optimiser::adam(1e-3), seed: 2 };
            let history = ok(sut::train(&mut net, train.x.view(), &train.labels, &config))?;
            let accuracy = ok(net.accuracy(test.x.view(), &test.labels))?;
            ensure(accuracy >= 0.96, || {
                format!(
                    "held-out accuracy {:.2}% after {} epochs ({:.1} s), expected at least 96%; training accuracy per epoch {:?}",
                    100.0 * accuracy,
                    config.epochs,
                    start.elapsed().as_secs_f64(),
                    history.accuracy
                )
            })
        })
        .timeout(Duration::from_secs(60)),
        Check::hidden(TRAINING, "training_rejects_bad_input", 2, || {
            let data = sut::xor();
            let mut net = ok(sut::Mlp::new(&[2, 3, 2], sut::Activation::Tanh, sut::Init::Xavier, 1))?;
            let config = sut::TrainConfig { epochs: 1, batch_size: 2, reg: 0.0, optimiser: sut::Optimiser::Sgd { lr: 0.1 }, seed: 0 };
            expect_err("label 2 in a 2-class net", sut::train(&mut net, data.x.view(), &[0, 1, 2, 0], &config), |e| matches!(e, sut::NnError::LabelOutOfRange { .. }))?;
            expect_err("3 labels for 4 samples", sut::train(&mut net, data.x.view(), &[0, 1, 1], &config), is_shape)?;
            expect_err("no samples", sut::train(&mut net, Array2::zeros((0, 2)).view(), &[], &config), is_empty)?;
            expect_err("a batch size of 0", sut::train(&mut net, data.x.view(), &data.labels, &sut::TrainConfig { batch_size: 0, ..config }), |e| matches!(e, sut::NnError::InvalidSetting(_)))
        }),
    ]
}

const EVERY_ACTIVATION: [sut::Activation; 3] = [
    sut::Activation::Relu,
    sut::Activation::Sigmoid,
    sut::Activation::Tanh,
];

fn is_shape(e: &sut::NnError) -> bool {
    matches!(e, sut::NnError::ShapeMismatch(_))
}

fn is_empty(e: &sut::NnError) -> bool {
    matches!(e, sut::NnError::EmptyBatch { .. })
}

fn params(net: &sut::Mlp) -> Vec<Vec<f64>> {
    net.layers
        .iter()
        .flat_map(|l| [l.w.iter().cloned().collect(), l.b.to_vec()])
        .collect()
}

fn init_statistics(init: sut::Init, fan_in: usize, fan_out: usize, variance: f64) -> Outcome {
    let w = sut::init_weights(init, fan_in, fan_out, &mut rng(60));
    ensure(w.dim() == (fan_in, fan_out), || {
        format!("shape {:?}, expected ({fan_in}, {fan_out})", w.dim())
    })?;
    let n = w.len() as f64;
    let mean = w.sum() / n;
    let var = w.mapv(|v| (v - mean).powi(2)).sum() / n;
    // The sample variance of n normals has a relative standard error of √(2/n) ≈ 0.4% here:
    // 3% is over 7 standard errors; the mean's standard error is √(var/n).
    ensure(mean.abs() < 5.0 * (variance / n).sqrt(), || {
        format!(
            "{init:?}: mean {mean:.2e}, expected 0 (±{:.1e})",
            5.0 * (variance / n).sqrt()
        )
    })?;
    close(
        &format!("{init:?}: variance"),
        var,
        variance,
        Tol::rel(0.03),
    )
    .hint_if(
        near(var, variance * variance, 0.05),
        "the variance is squared: the standard deviation is √variance",
    )
    .hint_if(
        near(var, variance / 2.0, 0.05) || near(var, variance * 2.0, 0.05),
        "a factor 2 is off: He uses 2 / fan_in, Xavier 2 / (fan_in + fan_out)",
    )
}

/// Whether the learner's weights after their first mini-batch match the early-update mistake.
fn single_step_matches(
    net: &sut::Mlp,
    early: &sut::Mlp,
    x: &Array2<f64>,
    y: &[usize],
    first: &[usize],
    reg: f64,
    lr: f64,
) -> bool {
    let mut one = net.clone();
    let config = sut::TrainConfig {
        epochs: 1,
        batch_size: first.len(),
        reg,
        optimiser: sut::Optimiser::Sgd { lr },
        seed: 81,
    };
    let xb = x.select(ndarray::Axis(0), first);
    let yb: Vec<usize> = first.iter().map(|&i| y[i]).collect();
    // With one batch the shuffle only reorders rows, which a mean over the batch ignores.
    if sut::train(&mut one, xb.view(), &yb, &config).is_err() {
        return false;
    }
    one.layers
        .iter()
        .zip(&early.layers)
        .all(|(a, b)| (&a.w - &b.w).iter().all(|d| d.abs() < 1e-9))
}

/// The CS231n toy net with the fixture's weights.
fn toy_net() -> sut::Mlp {
    sut::Mlp {
        layers: vec![
            sut::Dense {
                w: arr2(&toy_net::W1),
                b: arr1(&toy_net::B1),
            },
            sut::Dense {
                w: arr2(&toy_net::W2),
                b: arr1(&toy_net::B2),
            },
        ],
        activation: sut::Activation::Relu,
    }
}
