//! Hidden checks: the suite's oracle on seeded random problems, R's binomial-of-6 Challenger
//! fit, Stata's ANES 1996 multinomial logit, tails, and bad input.

use mlings_grader::assert::{Tol, close, close_array, ensure};
use mlings_grader::{Check, Failure, expect_err, ok};
use ndarray::{Array1, Array2, array};

use super::steps::{INFERENCE, LIKELIHOOD, MULTINOMIAL, NEWTON, SEPARATION, STABLE_FUNCTIONS};
use super::{
    EXACT, beetles, certified, certified_digits, challenger, is_empty, is_response, is_shape,
    oracle, table, with_intercept,
};
use crate::sut;

mod anes;

/// ANES 1996 (`data/glm/anes96.tsv`): the design `[ln(popul + 0.1), selfLR, age, educ, income, 1]`
/// and party identification 0–6.
fn anes96() -> (Array2<f64>, Vec<usize>) {
    let rows = table(include_str!("../../data/glm/anes96.tsv"));
    // Columns: popul TVnews selfLR ClinLR DoleLR PID age educ income vote.
    let x = Array2::from_shape_fn((rows.len(), 6), |(i, j)| match j {
        0 => (rows[i][0] + 0.1).ln(),
        1 => rows[i][2],
        2 => rows[i][6],
        3 => rows[i][7],
        4 => rows[i][8],
        _ => 1.0,
    });
    (x, rows.iter().map(|r| r[5] as usize).collect())
}

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: stable-functions.
        Check::hidden(
            STABLE_FUNCTIONS,
            "stable_functions_match_the_oracle_from_minus_745_to_745",
            2,
            || {
                for k in -149..=149 {
                    let z = 5.0 * k as f64 + 0.3;
                    close(
                        &format!("σ({z})"),
                        sut::sigmoid(z),
                        oracle::sigmoid(z),
                        Tol::rel_floor(1e-14, 1e-300),
                    )?;
                    close(
                        &format!("ln σ({z})"),
                        sut::log_sigmoid(z),
                        oracle::log_sigmoid(z),
                        Tol::rel_floor(1e-14, 1e-300),
                    )?;
                }
                let a = array![3.0, -2.0, 0.5, 700.0, -700.0];
                let want = 700.0 + (a.mapv(|v| (v - 700.0f64).exp()).sum()).ln();
                close("log_sum_exp", sut::log_sum_exp(a.view()), want, EXACT)?;
                let p = sut::softmax(array![[-1000.0, 0.0, 5.0]].view());
                close_array(
                    "softmax([−1000, 0, 5])",
                    &p,
                    &array![[
                        0.0,
                        1.0 / (1.0 + 5f64.exp()),
                        5f64.exp() / (1.0 + 5f64.exp())
                    ]],
                    Tol::rel_floor(1e-14, 1e-300),
                )
            },
        ),
        // Step 2: likelihood.
        Check::hidden(
            LIKELIHOOD,
            "gradient_and_hessian_match_finite_differences_on_random_problems",
            3,
            || {
                for seed in 0..3 {
                    let (x, y, m) = oracle::binomial_problem(
                        200 + seed,
                        30 + 10 * seed as usize,
                        &[0.3, -1.0, 0.7],
                    );
                    let beta = array![0.2, -0.5, 0.9];
                    let l = ok(sut::neg_log_likelihood(
                        x.view(),
                        y.view(),
                        m.view(),
                        beta.view(),
                    ))?;
                    close(
                        "ℓ",
                        l,
                        oracle::nll(x.view(), y.view(), m.view(), beta.view()),
                        EXACT,
                    )?;
                    let g = ok(sut::gradient(x.view(), y.view(), m.view(), beta.view()))?;
                    let numeric = oracle::numerical_gradient(
                        |b| oracle::nll(x.view(), y.view(), m.view(), b.view()),
                        &beta,
                        1e-5,
                    );
                    // Centred differences: error O(h²) ≈ 10⁻¹⁰ of ℓ's third derivative, plus rounding.
                    close_array(
                        "∇ℓ vs centred differences",
                        &g,
                        &numeric,
                        Tol::rel_floor(1e-6, 1e-6),
                    )?;
                    let h = ok(sut::hessian(x.view(), m.view(), beta.view()))?;
                    close_array(
                        "H",
                        &h,
                        &oracle::hessian(x.view(), m.view(), beta.view()),
                        EXACT,
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(LIKELIHOOD, "likelihood_rejects_bad_input", 2, || {
            let x = array![[1.0, 0.5], [1.0, 1.5]];
            let beta = array![0.0, 1.0];
            let two = array![2.0, 2.0];
            expect_err(
                "3 successes of 2 trials",
                sut::neg_log_likelihood(x.view(), array![3.0, 1.0].view(), two.view(), beta.view()),
                is_response,
            )?;
            expect_err(
                "0 trials",
                sut::gradient(
                    x.view(),
                    array![0.0, 1.0].view(),
                    array![0.0, 2.0].view(),
                    beta.view(),
                ),
                is_response,
            )?;
            expect_err(
                "y of length 3 for 2 rows",
                sut::neg_log_likelihood(
                    x.view(),
                    array![1.0, 1.0, 1.0].view(),
                    two.view(),
                    beta.view(),
                ),
                is_shape,
            )?;
            expect_err(
                "β of length 3 for 2 columns",
                sut::gradient(
                    x.view(),
                    array![1.0, 1.0].view(),
                    two.view(),
                    array![1.0, 2.0, 3.0].view(),
                ),
                is_shape,
            )?;
            expect_err(
                "no rows",
                sut::hessian(
                    Array2::zeros((0, 2)).view(),
                    Array1::zeros(0).view(),
                    beta.view(),
                ),
                is_empty,
            )?;
            expect_err(
                "w of length 1 for 2 rows",
                sut::weighted_gram(x.view(), array![1.0].view()),
                is_shape,
            )?;
            expect_err(
                "a NaN in x",
                sut::neg_log_likelihood(
                    array![[1.0, f64::NAN], [1.0, 1.0]].view(),
                    array![1.0, 1.0].view(),
                    two.view(),
                    beta.view(),
                ),
                |e| matches!(e, sut::FitError::NonFinite { .. }),
            )
        }),
        // Step 3: separation.
        Check::hidden(
            SEPARATION,
            "check_separation_accepts_the_certified_fits",
            1,
            || {
                let c = challenger(false);
                let eta =
                    with_intercept(&c.x).dot(&Array1::from(certified::CHALLENGER_BETA.to_vec()));
                ok(sut::check_separation(eta.view(), 6))?;
                let b = beetles();
                for (_, beta, _, _) in certified::BEETLES {
                    ok(sut::check_separation(
                        b.x.dot(&Array1::from(beta.to_vec())).view(),
                        6,
                    ))?;
                }
                Ok(())
            },
        ),
        // Step 4: newton.
        Check::hidden(
            NEWTON,
            "newton_matches_r_on_challenger_as_counts_out_of_six",
            2,
            || {
                let c = challenger(true);
                let x = with_intercept(&c.x);
                let fit = ok(sut::newton(
                    x.view(),
                    c.y.view(),
                    c.trials.view(),
                    &sut::NewtonConfig::default(),
                ))?;
                certified_digits(
                    "β",
                    fit.beta.view(),
                    &certified::CHALLENGER_OF_SIX_BETA,
                    10.0,
                )?;
                certified_digits(
                    "deviance",
                    array![fit.deviance()].view(),
                    &[certified::CHALLENGER_OF_SIX_DEVIANCE],
                    10.0,
                )?;
                let se = ok(sut::standard_errors(
                    x.view(),
                    c.y.view(),
                    c.trials.view(),
                    fit.beta.view(),
                ))?;
                certified_digits("SE", se.view(), &certified::CHALLENGER_OF_SIX_SE, 9.0)
            },
        ),
        Check::hidden(
            NEWTON,
            "newton_matches_the_oracle_on_random_problems",
            2,
            || {
                for seed in 0..3 {
                    let (x, y, m) =
                        oracle::binomial_problem(400 + seed, 60, &[-0.4, 1.2, 0.5, -0.8]);
                    let fit = ok(sut::newton(
                        x.view(),
                        y.view(),
                        m.view(),
                        &sut::NewtonConfig::default(),
                    ))?;
                    close_array(
                        &format!("β (seed {seed})"),
                        &fit.beta,
                        &oracle::newton(x.view(), y.view(), m.view()),
                        Tol::rel_floor(1e-9, 1e-9),
                    )?;
                    ensure(
                        fit.deviances.windows(2).all(|w| w[1] <= w[0] + 1e-12),
                        || {
                            format!(
                                "the deviance rose during the iterations: {:?}",
                                fit.deviances
                            )
                        },
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(NEWTON, "newton_rejects_bad_input_and_settings", 2, || {
            let c = challenger(false);
            let x = with_intercept(&c.x);
            let fit = |config: sut::NewtonConfig| {
                sut::newton(x.view(), c.y.view(), c.trials.view(), &config)
            };
            let settings = |e: &sut::FitError| matches!(e, sut::FitError::InvalidSetting(_));
            expect_err(
                "tol = 0",
                fit(sut::NewtonConfig {
                    max_iter: 50,
                    tol: 0.0,
                }),
                settings,
            )?;
            expect_err(
                "max_iter = 0",
                fit(sut::NewtonConfig {
                    max_iter: 0,
                    tol: 1e-12,
                }),
                settings,
            )?;
            // Stopped after one step, the change it reports is that step's: D₀ and D₁ of the
            // full fit, whose first step is the same.
            let full = ok(fit(sut::NewtonConfig::default()))?;
            ensure(full.deviances.len() >= 2, || {
                format!(
                    "Challenger: deviances {:?}, expected D₀ and one per iteration",
                    full.deviances
                )
            })?;
            let (d0, d1) = (full.deviances[0], full.deviances[1]);
            match fit(sut::NewtonConfig {
                max_iter: 1,
                tol: 1e-12,
            }) {
                Err(sut::FitError::NotConverged {
                    iterations: 1,
                    change,
                }) => close(
                    "the change reported after 1 iteration on Challenger",
                    change,
                    (d1 - d0).abs() / (d1.abs() + 0.1),
                    Tol::rel(1e-9),
                )?,
                other => {
                    return Err(Failure::new(format!(
                        "max_iter = 1 on Challenger (6 needed): got {other:?}, expected \
                         NotConverged after 1 iteration"
                    )));
                }
            }
            expect_err(
                "y = 2 of 1 trial",
                sut::newton(
                    x.view(),
                    (&c.y * 2.0).view(),
                    c.trials.view(),
                    &sut::NewtonConfig::default(),
                ),
                is_response,
            )?;
            let dependent =
                Array2::from_shape_fn(
                    (23, 3),
                    |(i, j)| if j == 2 { 2.0 * x[[i, 1]] } else { x[[i, j]] },
                );
            expect_err(
                "a column twice another",
                sut::newton(
                    dependent.view(),
                    c.y.view(),
                    c.trials.view(),
                    &sut::NewtonConfig::default(),
                ),
                |e| matches!(e, sut::FitError::NotPositiveDefinite { .. }),
            )
        }),
        Check::hidden(
            NEWTON,
            "newton_reports_quasi_complete_separation",
            1,
            || {
                // Failures below 5, successes above, and both at 5: quasi-complete separation.
                let t = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 6.0, 7.0, 8.0, 9.0];
                let x = Array2::from_shape_fn((10, 2), |(i, j)| if j == 0 { 1.0 } else { t[i] });
                let y = Array1::from_shape_fn(10, |i| if i >= 5 { 1.0 } else { 0.0 });
                match sut::newton(
                    x.view(),
                    y.view(),
                    Array1::ones(10).view(),
                    &sut::NewtonConfig::default(),
                ) {
                    Err(sut::FitError::Separation { .. }) => Ok(()),
                    other => Err(Failure::new(format!(
                        "quasi-completely separated data: got {other:?}, expected FitError::Separation"
                    ))),
                }
            },
        ),
        // Step 5: inference.
        Check::hidden(INFERENCE, "inference_rejects_bad_shapes", 1, || {
            expect_err(
                "z-values of 2 β and 3 SE",
                sut::z_values(array![1.0, 2.0].view(), array![1.0, 1.0, 1.0].view()),
                is_shape,
            )?;
            expect_err(
                "inverse diagonal of a 2 × 3 matrix",
                sut::inverse_diagonal(Array2::ones((2, 3)).view()),
                is_shape,
            )?;
            expect_err(
                "standard errors with β of length 1 for 2 columns",
                sut::standard_errors(
                    array![[1.0, 2.0], [1.0, 3.0]].view(),
                    array![0.0, 1.0].view(),
                    array![1.0, 1.0].view(),
                    array![0.5].view(),
                ),
                is_shape,
            )
        }),
        // Step 6: links.
        // Step 7: multinomial.
        Check::hidden(
            MULTINOMIAL,
            "multinomial_newton_matches_stata_on_anes_1996",
            5,
            || {
                // Stata prints 7–8 significant digits of β, so 6 is the most the figures allow; the
                // log-likelihood and the standard errors carry 9–13.
                let (x, labels) = anes96();
                let fit = ok(sut::multinomial_newton(
                    x.view(),
                    &labels,
                    7,
                    &sut::NewtonConfig::default(),
                ))?;
                ensure(fit.beta.shape() == [6, 6], || {
                    format!(
                        "β has shape {:?}, expected (6, 6): p = 6 coefficients for each of the K − 1 = 6 classes after the base",
                        fit.beta.shape()
                    )
                })?;
                for k in 0..6 {
                    certified_digits(
                        &format!("β of class {}", k + 1),
                        fit.beta.column(k),
                        &anes::PARAMS[k],
                        6.0,
                    )?;
                }
                let nll = fit.neg_log_likelihoods.last().copied().unwrap_or(f64::NAN);
                certified_digits(
                    "log-likelihood",
                    array![-nll].view(),
                    &[anes::LOG_LIKELIHOOD],
                    10.0,
                )?;
                let h = ok(sut::multinomial_hessian(x.view(), fit.beta.view()))?;
                let se = ok(sut::inverse_diagonal(h.view()))?.mapv(f64::sqrt);
                for k in 0..6 {
                    certified_digits(
                        &format!("SE of class {}", k + 1),
                        se.slice(ndarray::s![k * 6..(k + 1) * 6]),
                        &anes::SE[k],
                        7.0,
                    )?;
                }
                Ok(())
            },
        ),
        Check::hidden(
            MULTINOMIAL,
            "multinomial_gradient_and_hessian_match_finite_differences",
            2,
            || {
                let beta = array![[0.3, -0.2, 0.1], [1.0, -0.5, 0.2], [-0.4, 0.8, 0.6]];
                let (x, labels) = oracle::multinomial_problem(11, 40, &beta);
                let at = array![[0.1, 0.2, -0.1], [0.5, -0.3, 0.4], [0.2, 0.1, -0.6]];
                let l = ok(sut::multinomial_nll(x.view(), &labels, at.view()))?;
                close(
                    "ℓ",
                    l,
                    oracle::multinomial_nll(x.view(), &labels, at.view()),
                    EXACT,
                )?;
                let g = ok(sut::multinomial_gradient(x.view(), &labels, at.view()))?;
                let flat = Array1::from_iter(at.iter().copied());
                let f = |v: &Array1<f64>| {
                    let b = v.clone().into_shape_with_order((3, 3)).expect("3 × 3");
                    oracle::multinomial_nll(x.view(), &labels, b.view())
                };
                let numeric = oracle::numerical_gradient(f, &flat, 1e-5)
                    .into_shape_with_order((3, 3))
                    .expect("3 × 3");
                close_array(
                    "∇ℓ vs centred differences",
                    &g,
                    &numeric,
                    Tol::rel_floor(1e-6, 1e-6),
                )?;
                let h = ok(sut::multinomial_hessian(x.view(), at.view()))?;
                close_array(
                    "H",
                    &h,
                    &oracle::multinomial_hessian(x.view(), at.view()),
                    EXACT,
                )
            },
        ),
        Check::hidden(
            MULTINOMIAL,
            "multinomial_newton_stops_unconverged_with_the_last_change",
            1,
            || {
                // Intercept only, 10 rows of 3 classes: stopped after one step, the change it
                // reports is that step's, |2ℓ₁ − 2ℓ₀| / (|2ℓ₁| + 0.1), from the full fit, whose
                // first step is the same.
                let labels = [0, 1, 1, 2, 2, 2, 2, 1, 0, 2];
                let x = Array2::ones((labels.len(), 1));
                let full = ok(sut::multinomial_newton(
                    x.view(),
                    &labels,
                    3,
                    &sut::NewtonConfig::default(),
                ))?;
                let nlls = &full.neg_log_likelihoods;
                ensure(nlls.len() >= 2, || {
                    format!("ℓ per iteration {nlls:?}: expected ℓ₀ and one per iteration")
                })?;
                let (d0, d1) = (2.0 * nlls[0], 2.0 * nlls[1]);
                let stopped = sut::multinomial_newton(
                    x.view(),
                    &labels,
                    3,
                    &sut::NewtonConfig {
                        max_iter: 1,
                        tol: 1e-12,
                    },
                );
                match stopped {
                    Err(sut::FitError::NotConverged {
                        iterations: 1,
                        change,
                    }) => close(
                        "the change reported after 1 iteration",
                        change,
                        (d1 - d0).abs() / (d1.abs() + 0.1),
                        Tol::rel(1e-9),
                    ),
                    other => Err(Failure::new(format!(
                        "max_iter = 1: got {other:?}, expected NotConverged after 1 iteration"
                    ))),
                }
            },
        ),
        Check::hidden(MULTINOMIAL, "multinomial_rejects_bad_labels", 1, || {
            let x = Array2::ones((3, 1));
            expect_err(
                "label 3 with 3 classes",
                sut::multinomial_newton(x.view(), &[0, 1, 3], 3, &sut::NewtonConfig::default()),
                is_response,
            )?;
            expect_err(
                "2 labels for 3 rows",
                sut::multinomial_nll(x.view(), &[0, 1], array![[0.0, 0.0]].view()),
                is_shape,
            )?;
            expect_err(
                "1 class",
                sut::multinomial_newton(x.view(), &[0, 0, 0], 1, &sut::NewtonConfig::default()),
                |e| matches!(e, sut::FitError::InvalidSetting(_)),
            )
        }),
        // Step 8: softmax-sgd.
    ]
}
