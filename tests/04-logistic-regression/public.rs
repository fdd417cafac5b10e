//! Public checks: small cases derived by hand, the crate docs' worked example
//! (`X = [[1, 0], [1, 1], [1, 2], [1, 3]]`, `y = [0, 1, 0, 1]`), and R's published fits of the
//! Challenger launches and Bliss's beetles. Shipped to learners.

use mlings_grader::assert::{Tol, close, close_array, ensure, near};
use mlings_grader::{Check, Failure, OutcomeExt, expect_err, ok};
use ndarray::{Array1, Array2, array};

use super::steps::{
    INFERENCE, LIKELIHOOD, LINKS, MULTINOMIAL, NEWTON, SEPARATION, SOFTMAX_SGD, STABLE_FUNCTIONS,
};
use super::{
    EXACT, beetles, certified, certified_digits, challenger, digits_split, is_response, oracle,
    with_intercept,
};
use crate::sut;

/// The worked example of the crate docs.
fn worked_example() -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    (
        array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]],
        array![0.0, 1.0, 0.0, 1.0],
        Array1::ones(4),
    )
}

/// Ten points on a line, failures below 5.5 and successes above: completely separated.
fn separated() -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((10, 2), |(i, j)| if j == 0 { 1.0 } else { (i + 1) as f64 });
    let y = Array1::from_shape_fn(10, |i| if i >= 5 { 1.0 } else { 0.0 });
    (x, y, Array1::ones(10))
}

/// Bliss's beetles fitted as if each proportion `yᵢ/mᵢ` were one trial (curriculum anchors:
/// −60.459104 / 34.121341).
fn unweighted_beetles() -> Array1<f64> {
    let b = beetles();
    oracle::newton(
        b.x.view(),
        (&b.y / &b.trials).view(),
        Array1::ones(b.y.len()).view(),
    )
}

/// Every public check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: stable-functions.
        Check::public(
            STABLE_FUNCTIONS,
            "sigmoid_and_log_sigmoid_by_hand",
            2,
            || {
                let l3 = 3f64.ln();
                for (z, s) in [(0.0, 0.5), (l3, 0.75), (-l3, 0.25)] {
                    close(&format!("σ({z})"), sut::sigmoid(z), s, EXACT)?;
                    close(&format!("ln σ({z})"), sut::log_sigmoid(z), s.ln(), EXACT)?;
                }
                Ok(())
            },
        ),
        Check::public(
            STABLE_FUNCTIONS,
            "log_sigmoid_is_finite_and_exact_at_plus_and_minus_800",
            3,
            || {
                // σ(−800) underflows to 0 and σ(800) rounds to 1: both are right in f64. ln σ(z) is
                // z − ln(1 + eᶻ) = −800 at z = −800, and −e⁻⁴⁰ = −4.248·10⁻¹⁸ at z = 40.
                let (lo, hi) = (sut::sigmoid(-800.0), sut::sigmoid(800.0));
                ensure(lo.is_finite() && hi.is_finite(), || {
                    format!("σ(−800) = {lo}, σ(800) = {hi}: expected 0 and 1, finite")
                })
                .hint_if(
                    lo.is_nan(),
                    "e⁸⁰⁰ overflows to ∞ and ∞/∞ is NaN: for z < 0 use eᶻ / (1 + eᶻ)",
                )?;
                close("σ(−800)", lo, 0.0, Tol::abs(1e-300))?;
                close("σ(800)", hi, 1.0, EXACT)?;
                let l = sut::log_sigmoid(-800.0);
                close("ln σ(−800)", l, -800.0, EXACT).hint_if(
                l.is_infinite() || l.is_nan(),
                "ln σ(z) as ln of σ(z) is ln 0 = −∞ once σ underflows: for z < 0 use z − ln_1p(eᶻ)",
            )?;
                let l = sut::log_sigmoid(40.0);
                close("ln σ(40)", l, -(-40f64).exp(), Tol::rel(1e-12)).hint_if(
                l == 0.0,
                "ln σ(40) came out 0: σ(40) rounds to 1 before the ln; use −ln_1p(e⁻ᶻ), which keeps −4.2·10⁻¹⁸",
            )?;
                let l = sut::log_sigmoid(800.0);
                close("ln σ(800)", l, 0.0, Tol::abs(1e-300))
            },
        ),
        Check::public(
            STABLE_FUNCTIONS,
            "log_sum_exp_and_softmax_are_finite_for_logits_near_1000",
            3,
            || {
                let l2 = 2f64.ln();
                let big = sut::log_sum_exp(array![1000.0, 1000.0].view());
                close("log_sum_exp([1000, 1000])", big, 1000.0 + l2, EXACT).hint_if(
                big.is_infinite(),
                "e¹⁰⁰⁰ overflows: subtract the maximum before exponentiating and add it back after the ln",
            )?;
                let small = sut::log_sum_exp(array![-1000.0, -1000.0].view());
                close("log_sum_exp([−1000, −1000])", small, -1000.0 + l2, EXACT).hint_if(
                    small.is_infinite(),
                    "e⁻¹⁰⁰⁰ underflows to 0 and ln 0 = −∞: subtract the maximum first",
                )?;
                let p = sut::softmax(array![[0.0, l2], [1000.0, 1000.0]].view());
                close_array("softmax([[0, ln 2], [1000, 1000]])", &p, &array![[1.0 / 3.0, 2.0 / 3.0], [0.5, 0.5]], EXACT)
                .hint_if(p.iter().any(|v| v.is_nan()), "e¹⁰⁰⁰ / e¹⁰⁰⁰ is ∞/∞ = NaN: subtract each row's maximum first")
                .hint_if(
                    p.shape() == [2, 2] && near(p[[0, 0]] + p[[1, 0]], 1.0, 1e-12) && !near(p[[0, 0]], 1.0 / 3.0, 1e-9),
                    "the columns sum to 1: the softmax normalises each row (axis 1), one sample's K logits",
                )
            },
        ),
        // Step 2: likelihood.
        Check::public(
            LIKELIHOOD,
            "likelihood_gradient_and_hessian_of_the_worked_example",
            3,
            || {
                let (x, y, m) = worked_example();
                let zero = Array1::zeros(2);
                let l = ok(sut::neg_log_likelihood(
                    x.view(),
                    y.view(),
                    m.view(),
                    zero.view(),
                ))?;
                close("ℓ(0)", l, 4.0 * 2f64.ln(), EXACT)?;
                // The first Newton iterate of the worked example.
                let beta = array![-1.2, 0.8];
                let l = ok(sut::neg_log_likelihood(
                    x.view(),
                    y.view(),
                    m.view(),
                    beta.view(),
                ))?;
                close(
                    "ℓ([−1.2, 0.8])",
                    l,
                    oracle::nll(x.view(), y.view(), m.view(), beta.view()),
                    EXACT,
                )?;
                let g = ok(sut::gradient(x.view(), y.view(), m.view(), zero.view()))?;
                close_array("∇ℓ(0)", &g, &array![0.0, -1.0], EXACT)
                .hint_if(g == array![0.0, 1.0], "that is Xᵀ(y − mμ), the gradient of the log-likelihood: ℓ is its negative, ∇ℓ = Xᵀ(mμ − y)")?;
                let h = ok(sut::hessian(x.view(), m.view(), zero.view()))?;
                close_array("H(0)", &h, &array![[1.0, 1.5], [1.5, 3.5]], EXACT).hint_if(
                    h == array![[4.0, 6.0], [6.0, 14.0]],
                    "that is XᵀX: each row is weighted by wᵢ = mᵢ μᵢ (1 − μᵢ), ¼ at β = 0",
                )
            },
        ),
        Check::public(LIKELIHOOD, "weighted_gram_by_hand", 2, || {
            let x = array![[1.0, 1.0], [1.0, 2.0]];
            let g = ok(sut::weighted_gram(x.view(), array![2.0, 1.0].view()))?;
            close_array(
                "XᵀWX with w = [2, 1]",
                &g,
                &array![[3.0, 4.0], [4.0, 6.0]],
                EXACT,
            )
            .hint_if(
                g == array![[2.0, 3.0], [3.0, 5.0]],
                "the weights were ignored: that is XᵀX",
            )
            .hint_if(
                g == array![[5.0, 7.0], [7.0, 10.0]],
                "the weights went to the columns: wᵢ weighs row i, (XᵀWX)ⱼₖ = ∑ᵢ wᵢ xᵢⱼ xᵢₖ",
            )?;
            // The softmax Hessian's cross-class blocks have negative weights.
            let g = ok(sut::weighted_gram(x.view(), array![-1.0, 0.5].view()))?;
            close_array(
                "XᵀWX with w = [−1, ½]",
                &g,
                &array![[-0.5, 0.0], [0.0, 1.0]],
                EXACT,
            )
            .hint_if(
                g.iter().any(|v| v.is_nan()),
                "a negative weight has no square root: scale the rows by wᵢ, not √wᵢ",
            )
        }),
        Check::public(
            LIKELIHOOD,
            "grouped_counts_weigh_each_group_by_its_trials",
            3,
            || {
                // At R's logit fit of the beetles the gradient vanishes; the proportions fitted as
                // single trials vanish at another β (−60.459104, 34.121341).
                let b = beetles();
                let beta = Array1::from(certified::BEETLES[0].1.to_vec());
                let g = ok(sut::gradient(
                    b.x.view(),
                    b.y.view(),
                    b.trials.view(),
                    beta.view(),
                ))?;
                let unweighted = {
                    let eta = b.x.dot(&beta);
                    let r = Array1::from_shape_fn(eta.len(), |i| {
                        oracle::sigmoid(eta[i]) - b.y[i] / b.trials[i]
                    });
                    b.x.t().dot(&r)
                };
                // |∇ℓ| at a β certified to 15 digits is rounding: about 10⁻⁹ of the terms' size (~60).
                close_array("∇ℓ at R's β for the beetles", &g, &Array1::zeros(2), Tol::abs(1e-6))
                .hint_if(
                    (&g - &unweighted).iter().all(|v| v.abs() < 1e-9),
                    "that is Xᵀ(μ − y/m): the proportions fitted as single trials; each group counts mᵢ trials, ∇ℓ = Xᵀ(m ⊙ μ − y)",
                )?;
                let h = ok(sut::hessian(b.x.view(), b.trials.view(), beta.view()))?;
                let want = oracle::hessian(b.x.view(), b.trials.view(), beta.view());
                close_array("H at R's β for the beetles", &h, &want, Tol::rel_floor(1e-12, 1e-12)).hint_if(
                near(h[[0, 0]] * 60.0, want[[0, 0]], 0.2 * want[[0, 0]]),
                "the Hessian is about 1/60 of the right one: wᵢ = mᵢ μᵢ (1 − μᵢ) carries the group's trials",
            )
            },
        ),
        Check::public(
            LIKELIHOOD,
            "likelihood_is_finite_when_fitted_probabilities_round_to_0_or_1",
            2,
            || {
                // η = ±40 and ±800: σ rounds to 0 or 1, but every term ln σ(±η) is finite.
                let x = array![[1.0, 40.0], [1.0, -40.0], [1.0, 800.0], [1.0, -800.0]];
                let y = array![0.0, 1.0, 1.0, 0.0];
                let m = Array1::ones(4);
                let beta = array![0.0, 1.0];
                let l = ok(sut::neg_log_likelihood(
                    x.view(),
                    y.view(),
                    m.view(),
                    beta.view(),
                ))?;
                close("ℓ with η = [40, −40, 800, −800]", l, oracle::nll(x.view(), y.view(), m.view(), beta.view()), EXACT)
                .hint_if(!l.is_finite(), "ln(1 − σ(η)) written directly is ln 0 = −∞ once σ(η) rounds to 1 (η ≳ 37): use ln σ(−η)")
            },
        ),
        Check::public(LIKELIHOOD, "deviance_by_hand_with_0_ln_0", 2, || {
            // y = [0, 2, 1] of m = 2 at μ = [¼, ½, ½]: 2 [2 ln(2/1.5) + 0 + 0] = 4 ln(4/3).
            let d = ok(sut::deviance(
                array![0.0, 2.0, 1.0].view(),
                array![2.0, 2.0, 2.0].view(),
                array![0.25, 0.5, 0.5].view(),
            ))?;
            let want = 2.0 * (2.0 * (2.0f64 / 1.5).ln() + 2.0 * (2.0f64 / 1.0).ln());
            close("deviance", d, want, EXACT)
                .hint_if(
                    d.is_nan(),
                    "0 · ln 0 is NaN in f64: a term with yᵢ = 0 (or mᵢ − yᵢ = 0) contributes 0",
                )
                .hint_if(
                    near(d, want / 2.0, 1e-12),
                    "the deviance is twice the log-likelihood ratio",
                )
        }),
        // Step 3: separation.
        Check::public(
            SEPARATION,
            "check_separation_reports_the_first_observation_beyond_30",
            3,
            || {
                ok(sut::check_separation(
                    array![1.0, -29.9, 30.0, -30.0].view(),
                    1,
                ))
                .map_err(|f| Failure::new(format!("|η| ≤ 30 everywhere: {}", f.message)))?;
                let result = sut::check_separation(array![1.0, -31.0, 40.0].view(), 3);
                let one_sided = matches!(
                    result,
                    Err(sut::FitError::Separation { observation: 2, .. })
                );
                match result {
                    Err(sut::FitError::Separation {
                        iteration: 3,
                        observation: 1,
                        eta: -31.0,
                    }) => Ok(()),
                    other => Err(Failure::new(format!(
                        "η = [1, −31, 40] after iteration 3: got {other:?}, expected Separation {{ iteration: 3, observation: 1, eta: −31 }}"
                    ))),
                }
                .hint_if(
                    one_sided,
                    "only η > 30 was caught: η < −30, a probability of 0, is as separated as a probability of 1 (|ηᵢ| > 30)",
                )
            },
        ),
        // Step 4: newton.
        Check::public(NEWTON, "cholesky_and_cholesky_solve_by_hand", 3, || {
            let l = ok(sut::cholesky(
                array![[4.0, 2.0, 4.0], [2.0, 10.0, 5.0], [4.0, 5.0, 9.0]].view(),
            ))?;
            close_array(
                "L",
                &l,
                &array![[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [2.0, 1.0, 2.0]],
                EXACT,
            )
            .hint_if(
                l[[0, 1]] != 0.0 && l[[1, 0]] == 0.0,
                "L is lower triangular: the zeros go above the diagonal",
            )?;
            // A = L Lᵀ, A x = b with x = [1, −1, 2]: b = A x.
            let b = array![10.0, 2.0, 17.0];
            let x = ok(sut::cholesky_solve(l.view(), b.view()))?;
            let as_upper = oracle::solve(&l, &b);
            // Reading L[i][k] for Lᵀ[i][k] finds the zeros above the diagonal: xᵢ = zᵢ / Lᵢᵢ.
            let diagonal_only = &as_upper / &l.diag();
            close_array(
                "x solving L Lᵀ x = [10, 2, 17]",
                &x,
                &array![1.0, -1.0, 2.0],
                EXACT,
            )
            .hint_if(
                (&x - &as_upper).iter().all(|v| v.abs() < 1e-9),
                "that solves L x = b once: solve L z = b, then Lᵀ x = z (Lᵀ[i][k] = L[k][i])",
            )
            .hint_if(
                (&x - &diagonal_only).iter().all(|v| v.abs() < 1e-9),
                "the back substitution read L[i][k], zeros above the diagonal: Lᵀ[i][k] is L[k][i]",
            )?;
            match sut::cholesky(array![[1.0, 2.0], [2.0, 1.0]].view()) {
                Err(sut::FitError::NotPositiveDefinite { pivot: 1, .. }) => Ok(()),
                other => Err(Failure::new(format!(
                    "[[1, 2], [2, 1]] is indefinite: got {other:?}, expected NotPositiveDefinite at pivot 1"
                ))),
            }
        }),
        Check::public(
            NEWTON,
            "newton_fits_the_worked_example_with_the_deviance_per_iteration",
            3,
            || {
                let (x, y, m) = worked_example();
                let result =
                    sut::newton(x.view(), y.view(), m.view(), &sut::NewtonConfig::default());
                let diverged = matches!(
                    result,
                    Err(sut::FitError::Separation { .. } | sut::FitError::NotConverged { .. })
                );
                // Newton converges here in 4 steps from β = 0: running away means a step uphill.
                let fit = ok(result).hint_if(
                    diverged,
                    "Newton diverged where it converges in 4 steps: the step is β ← β − H⁻¹∇ℓ, downhill",
                )?;
                let want = oracle::newton(x.view(), y.view(), m.view());
                close_array("β", &fit.beta, &want, Tol::rel_floor(1e-10, 1e-12)).hint_if(
                    near(fit.beta[0], -want[0], 1e-6),
                    "β moved uphill: the Newton step is β ← β − H⁻¹∇ℓ",
                )?;
                ensure(fit.deviances.len() == fit.iterations + 1, || {
                    format!(
                        "{} deviances for {} iterations: expected D₀ at β = 0 and one per iteration",
                        fit.deviances.len(),
                        fit.iterations
                    )
                })?;
                close("D₀ (β = 0)", fit.deviances[0], 8.0 * 2f64.ln(), EXACT)?;
                // From the worked example: D₁ = 4.705190878951935 after the first step β = [−1.2, 0.8].
                close(
                    "D₁",
                    fit.deviances[1],
                    4.705_190_878_951_935,
                    Tol::rel(1e-12),
                )?;
                close(
                    "D (fitted)",
                    fit.deviance(),
                    4.694_973_070_242_691,
                    Tol::rel(1e-12),
                )?;
                ensure((3..=6).contains(&fit.iterations), || {
                    format!(
                        "{} iterations: Newton converges quadratically here, and the rule |ΔD| / (|D| + 0.1) < 1e-12 stops after 4",
                        fit.iterations
                    )
                })
            },
        ),
        Check::public(
            NEWTON,
            "newton_matches_r_on_challenger_to_10_digits",
            4,
            || {
                // R glm(distress ~ temperature, binomial), the 23 launches before Challenger.
                let c = challenger(false);
                let x = with_intercept(&c.x);
                let fit = ok(sut::newton(
                    x.view(),
                    c.y.view(),
                    c.trials.view(),
                    &sut::NewtonConfig::default(),
                ))?;
                certified_digits("β", fit.beta.view(), &certified::CHALLENGER_BETA, 10.0)?;
                certified_digits(
                    "deviance",
                    array![fit.deviance()].view(),
                    &[certified::CHALLENGER_DEVIANCE],
                    10.0,
                )
            },
        ),
        Check::public(
            NEWTON,
            "newton_reports_separation_as_a_typed_error",
            3,
            || {
                let (x, y, m) = separated();
                match sut::newton(x.view(), y.view(), m.view(), &sut::NewtonConfig::default()) {
                Err(sut::FitError::Separation { observation, eta, .. }) if eta.abs() > 30.0 && observation < 10 => Ok(()),
                Ok(fit) => {
                    let runaway = x.dot(&fit.beta).iter().any(|e| e.abs() > 30.0);
                    Err(Failure::new(format!(
                        "completely separated data (y = 0 for x ≤ 5, 1 above): got Ok with β = {:?}, expected FitError::Separation",
                        fit.beta.to_vec()
                    )))
                    .hint_if(runaway, "no separation check: β runs off to infinity while the deviance sinks to 0 and fools the stopping rule; call check_separation on η after every step")
                }
                Err(e) => Err(Failure::new(format!(
                    "completely separated data: got the error \"{e}\", expected FitError::Separation"
                )))
                .hint_if(
                    matches!(e, sut::FitError::NotPositiveDefinite { .. } | sut::FitError::NotConverged { .. }),
                    "no separation check: the weights μ(1 − μ) of separated observations vanish as β runs off; call check_separation on η after every step, before H is singular",
                ),
            }
            },
        ),
        // Step 5: inference.
        Check::public(INFERENCE, "inverse_diagonal_by_hand", 2, || {
            let d = ok(sut::inverse_diagonal(array![[4.0, 2.0], [2.0, 2.0]].view()))?;
            close_array("diag of [[4, 2], [2, 2]]⁻¹", &d, &array![0.5, 1.0], EXACT)
                .hint_if(d == array![0.25, 0.5], "that is 1/Hⱼⱼ: the diagonal of H⁻¹ needs the whole inverse (the squared column norms of L⁻¹)")
        }),
        Check::public(
            INFERENCE,
            "standard_errors_match_r_on_challenger",
            4,
            || {
                let c = challenger(false);
                let x = with_intercept(&c.x);
                let beta = Array1::from(certified::CHALLENGER_BETA.to_vec());
                let se = ok(sut::standard_errors(
                    x.view(),
                    c.y.view(),
                    c.trials.view(),
                    beta.view(),
                ))?;
                let ls =
                    oracle::least_squares_se(x.view(), c.y.view(), c.trials.view(), beta.view());
                let phi =
                    oracle::pearson_dispersion(x.view(), c.y.view(), c.trials.view(), beta.view());
                let scaled = Array1::from(certified::CHALLENGER_SE.to_vec()) * phi.sqrt();
                certified_digits("SE", se.view(), &certified::CHALLENGER_SE, 9.0)
                .hint_if(
                    se.len() == 2 && (0..2).all(|j| near(se[j], ls[j], 1e-6 * ls[j])),
                    "that is least squares' s √diag((XᵀX)⁻¹): the binomial variance is fixed by μ, SE = √diag((XᵀWX)⁻¹)",
                )
                .hint_if(
                    se.len() == 2 && (0..2).all(|j| near(se[j], scaled[j], 1e-6 * scaled[j])),
                    "the standard errors are scaled by a residual variance (Pearson χ² / (n − p)): a binomial model's dispersion is 1",
                )
            },
        ),
        Check::public(
            INFERENCE,
            "fit_logistic_matches_r_summary_on_challenger",
            4,
            || {
                let c = challenger(false);
                let fit = ok(sut::fit_logistic(
                    c.x.view(),
                    c.y.view(),
                    c.trials.view(),
                    &sut::NewtonConfig::default(),
                ))?;
                // Without the column of ones, the slope alone: −0.013558 (curriculum anchors).
                let no_intercept = oracle::newton(c.x.view(), c.y.view(), c.trials.view());
                certified_digits("β", fit.beta.view(), &certified::CHALLENGER_BETA, 10.0).hint_if(
                    fit.beta.len() == 1 && near(fit.beta[0], no_intercept[0], 1e-6),
                    "no intercept: β = [−0.013558] forces σ(0) = ½ at 0 °F; the design is [1, x]",
                )?;
                certified_digits("SE", fit.se.view(), &certified::CHALLENGER_SE, 9.0)?;
                let z = &Array1::from(certified::CHALLENGER_BETA.to_vec())
                    / &Array1::from(certified::CHALLENGER_SE.to_vec());
                certified_digits("z", fit.z.view(), &z.to_vec(), 9.0)?;
                certified_digits(
                    "deviance",
                    array![fit.deviance].view(),
                    &[certified::CHALLENGER_DEVIANCE],
                    10.0,
                )?;
                certified_digits(
                    "null deviance",
                    array![fit.null_deviance].view(),
                    &[certified::CHALLENGER_NULL_DEVIANCE],
                    10.0,
                )
            },
        ),
        // Step 6: links.
        Check::public(LINKS, "link_means_and_derivatives_by_hand", 2, || {
            use sut::Link::{CLogLog, Logit, Probit};
            let e = std::f64::consts::E;
            close("logit μ(ln 3)", Logit.mean(3f64.ln()), 0.75, EXACT)?;
            close(
                "logit μ′(ln 3)",
                Logit.mean_derivative(3f64.ln()),
                0.1875,
                EXACT,
            )?;
            close(
                "probit μ(1)",
                Probit.mean(1.0),
                0.841_344_746_068_542_9,
                EXACT,
            )?;
            close(
                "probit μ′(1)",
                Probit.mean_derivative(1.0),
                0.241_970_724_519_143_37,
                EXACT,
            )
            .hint_if(
                near(Probit.mean_derivative(1.0), 0.841_344_746_068_542_9, 1e-12),
                "that is Φ(1): dΦ/dη is the density φ(η)",
            )?;
            let mu = CLogLog.mean(1.0);
            close("cloglog μ(1)", mu, 1.0 - (-e).exp(), EXACT).hint_if(
                near(mu, (-e).exp(), 1e-12),
                "that is e^{−e^η} = 1 − μ: the mean is 1 − e^{−e^η}",
            )?;
            close(
                "cloglog μ′(1)",
                CLogLog.mean_derivative(1.0),
                (1.0 - e).exp(),
                EXACT,
            )
        }),
        Check::public(
            LINKS,
            "irls_matches_r_on_the_beetles_under_three_links",
            4,
            || {
                // R glm(cbind(killed, exposed − killed) ~ log_dose, binomial(link)): Fisher scoring
                // reaches 9 or more digits on β with the default rule (8.7 for cloglog, whose
                // convergence is only linear); graded at 7.
                use sut::Link::{CLogLog, Logit, Probit};
                let b = beetles();
                let unweighted = unweighted_beetles();
                for (link, (name, beta, se, dev)) in
                    [Logit, Probit, CLogLog].into_iter().zip(certified::BEETLES)
                {
                    let fit = ok(sut::irls(
                        b.x.view(),
                        b.y.view(),
                        b.trials.view(),
                        link,
                        &sut::NewtonConfig::default(),
                    ))?;
                    certified_digits(&format!("{name} β"), fit.beta.view(), &beta, 7.0)
                    .hint_if(
                        link == Logit && fit.beta.len() == 2 && (0..2).all(|j| near(fit.beta[j], unweighted[j], 1e-6 * unweighted[j].abs())),
                        "β = (−60.4591, 34.1213): the proportions fitted as single trials; the weights and the score carry each group's mᵢ",
                    )?;
                    certified_digits(
                        &format!("{name} deviance"),
                        array![fit.deviance()].view(),
                        &[dev],
                        9.0,
                    )?;
                    // The standard errors with the Fisher weights of the learner's link at the fit.
                    let eta = b.x.dot(&fit.beta);
                    let w = Array1::from_shape_fn(eta.len(), |i| {
                        let (mu, d) = (link.mean(eta[i]), link.mean_derivative(eta[i]));
                        b.trials[i] * d * d / (mu * (1.0 - mu))
                    });
                    let got_se =
                        oracle::inverse_diagonal(&oracle::weighted_gram(b.x.view(), w.view()))
                            .mapv(f64::sqrt);
                    certified_digits(
                        &format!("{name} SE (Fisher information at your β)"),
                        got_se.view(),
                        &se,
                        7.0,
                    )?;
                }
                Ok(())
            },
        ),
        Check::public(
            LINKS,
            "irls_with_the_logit_link_takes_newtons_first_step_and_reports_no_convergence",
            1,
            || {
                // The logit is the canonical link: its Fisher weights mᵢμᵢ(1 − μᵢ) are Newton's, so
                // IRLS's first step on the worked example is Newton's, D₀ = 8 ln 2 →
                // D₁ = 4.705190878951935. Stopped after that one step, it is not converged, and
                // the change it reports is that step's |D₁ − D₀| / (|D₁| + 0.1).
                let (x, y, m) = worked_example();
                let (d0, d1) = (8.0 * 2f64.ln(), 4.705_190_878_951_935);
                let fit = ok(sut::irls(
                    x.view(),
                    y.view(),
                    m.view(),
                    sut::Link::Logit,
                    &sut::NewtonConfig::default(),
                ))?;
                ensure(fit.deviances.len() >= 2, || {
                    format!(
                        "deviances {:?}: expected D₀ and one per iteration",
                        fit.deviances
                    )
                })?;
                close("D₀ (β = 0)", fit.deviances[0], d0, EXACT)?;
                close(
                    "D₁ (after one Fisher step)",
                    fit.deviances[1],
                    d1,
                    Tol::rel(1e-12),
                )?;
                let stopped = sut::irls(
                    x.view(),
                    y.view(),
                    m.view(),
                    sut::Link::Logit,
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
                        (d1 - d0).abs() / (d1 + 0.1),
                        Tol::rel(1e-9),
                    ),
                    other => Err(Failure::new(format!(
                        "max_iter = 1 where 4 are needed: got {other:?}, expected NotConverged \
                         after 1 iteration"
                    ))),
                }
            },
        ),
        // Step 7: multinomial.
        Check::public(
            MULTINOMIAL,
            "multinomial_probabilities_take_class_0_as_the_base",
            2,
            || {
                let l2 = 2f64.ln();
                let p = ok(sut::multinomial_probabilities(
                    array![[1.0], [2.0]].view(),
                    array![[l2, 0.0]].view(),
                ))?;
                // Logits [0, ln 2, 0] and [0, 2 ln 2, 0]: probabilities [¼, ½, ¼] and [⅙, ⅔, ⅙].
                let want = array![[0.25, 0.5, 0.25], [1.0 / 6.0, 2.0 / 3.0, 1.0 / 6.0]];
                close_array("P", &p, &want, EXACT)
                .hint_if(p.shape() == [2, 2], "K − 1 columns: prepend class 0's logit, fixed at 0, before the softmax")
                .hint_if(p.shape() == [2, 3] && near(p[[0, 0]], 0.5, 1e-12), "class K − 1 took the logit 0: class 0 is the base, β's columns are classes 1…K−1")
            },
        ),
        Check::public(
            MULTINOMIAL,
            "multinomial_nll_and_gradient_by_hand",
            2,
            || {
                let x = array![[1.0], [1.0]];
                let zero = array![[0.0, 0.0]];
                let l = ok(sut::multinomial_nll(x.view(), &[0, 2], zero.view()))?;
                close("ℓ(0) with K = 3", l, 2.0 * 3f64.ln(), EXACT)?;
                let g = ok(sut::multinomial_gradient(x.view(), &[0, 2], zero.view()))?;
                // P − Y = [[−⅔, ⅓, ⅓], [⅓, ⅓, −⅔]]; classes 1 and 2 summed over the rows.
                close_array("∇ℓ(0)", &g, &array![[2.0 / 3.0, -1.0 / 3.0]], EXACT)
                .hint_if(
                    g.shape() == [1, 3],
                    "class 0's column is fixed at 0 and has no gradient: drop it, G is (p, K − 1)",
                )
                .hint_if(
                    g.shape() == [1, 2] && near(g[[0, 0]], -2.0 / 3.0, 1e-12) && near(g[[0, 1]], 1.0 / 3.0, 1e-12),
                    "that is Xᵀ(Y − P): the gradient of ℓ = −log-likelihood is Xᵀ(P − Y)",
                )
            },
        ),
        Check::public(
            MULTINOMIAL,
            "multinomial_hessian_includes_the_cross_class_blocks",
            3,
            || {
                let x = array![[1.0, 0.5], [1.0, -1.0], [1.0, 2.0]];
                let beta = array![[0.2, -0.3], [0.5, 0.1]];
                let h = ok(sut::multinomial_hessian(x.view(), beta.view()))?;
                let want = oracle::multinomial_hessian(x.view(), beta.view());
                let mut block_diagonal = want.clone();
                block_diagonal.slice_mut(ndarray::s![0..2, 2..4]).fill(0.0);
                block_diagonal.slice_mut(ndarray::s![2..4, 0..2]).fill(0.0);
                close_array("H (θ stacks β's columns)", &h, &want, EXACT)
                .hint_if(h.shape() == [4, 4] && (&h - &block_diagonal).iter().all(|v| v.abs() < 1e-12), "the cross-class blocks are 0: Hₐᵦ = Xᵀ diag(−Pᵢₐ Pᵢᵦ) X for a ≠ b, since raising one class's logit lowers the others' probabilities")
                .hint_if(h.shape() == [4, 4] && (&h - &want.t()).iter().all(|v| v.abs() < 1e-12) && (&h - &want).iter().any(|v| v.abs() > 1e-9), "θ stacks β's columns: θ[(k − 1)·p + j] = β[j][k − 1]")
            },
        ),
        Check::public(
            MULTINOMIAL,
            "multinomial_newton_fits_intercept_only_counts",
            2,
            || {
                // Intercept only: the MLE reproduces the class frequencies, βₖ = ln(nₖ / n₀).
                let labels = [0, 1, 1, 2, 2, 2, 2, 1, 0, 2];
                let x = Array2::ones((labels.len(), 1));
                let fit = ok(sut::multinomial_newton(
                    x.view(),
                    &labels,
                    3,
                    &sut::NewtonConfig::default(),
                ))?;
                close_array(
                    "β",
                    &fit.beta,
                    &array![[1.5f64.ln(), 2.5f64.ln()]],
                    Tol::rel(1e-10),
                )?;
                close("ℓ(0)", fit.neg_log_likelihoods[0], 10.0 * 3f64.ln(), EXACT)
            },
        ),
        // Step 8: softmax-sgd.
        Check::public(
            SOFTMAX_SGD,
            "softmax_sgd_reaches_95_percent_on_held_out_digits",
            3,
            || {
                // Raw pixels 0–16, every fifth image held out (360 of 1,797). Softmax regression on
                // standardised pixels reaches 0.96–0.97 (scikit-learn: 0.958–0.972).
                let ((x, labels), (x_test, labels_test)) = digits_split();
                let model = ok(sut::fit_softmax_sgd(
                    x.view(),
                    &labels,
                    10,
                    &sut::SgdConfig::default(),
                ))?;
                let predicted = ok(model.predict(x_test.view()))?;
                let correct = predicted
                    .iter()
                    .zip(&labels_test)
                    .filter(|(a, b)| a == b)
                    .count();
                let accuracy = correct as f64 / labels_test.len() as f64;
                let unscaled =
                    model.mean.iter().all(|&v| v == 0.0) && model.scale.iter().all(|&v| v == 1.0);
                ensure(accuracy >= 0.95, || format!("held-out accuracy {accuracy:.3} ({correct} of {}), expected ≥ 0.95", labels_test.len()))
                .hint_if(unscaled, "the inputs were not standardised (mean 0, scale 1 for every pixel): raw pixels 0–16 leave one learning rate too large for some directions and too small for others")
            },
        ),
        Check::public(
            SOFTMAX_SGD,
            "softmax_sgd_approaches_the_newton_answer_on_a_small_problem",
            3,
            || {
                // Full-batch descent on a small problem converges to the maximum-likelihood fit,
                // whose probabilities Newton computes exactly. The features are measured in
                // units far apart (one around 200 ± 60, one around ± 0.08), as raw data often
                // are: standardised, the descent is as well conditioned as on [−1.5, 1.5]; raw,
                // no learning rate suits both directions.
                let beta = array![[0.3, -0.2], [1.0, -0.5], [-0.4, 0.8]];
                let (unit, labels) = oracle::multinomial_problem(7, 200, &beta);
                let mut design = unit.clone();
                design.column_mut(1).mapv_inplace(|v| 200.0 + 40.0 * v);
                design.column_mut(2).mapv_inplace(|v| 0.05 * v);
                let x = design.slice(ndarray::s![.., 1..]).to_owned();
                let config = sut::SgdConfig {
                    learning_rate: 0.5,
                    epochs: 400,
                    batch_size: 200,
                    seed: 1,
                };
                let model = ok(sut::fit_softmax_sgd(x.view(), &labels, 3, &config))?;
                let mle = ok(sut::multinomial_newton(
                    design.view(),
                    &labels,
                    3,
                    &sut::NewtonConfig::default(),
                ))
                .map_err(|f| {
                    Failure::new(format!(
                        "the Newton oracle is your multinomial_newton (step 7): {}",
                        f.message
                    ))
                })?;
                let want = oracle::multinomial_probabilities(design.view(), mle.beta.view());
                let got = ok(model.predict_proba(x.view()))?;
                let unscaled =
                    model.mean.iter().all(|&v| v == 0.0) && model.scale.iter().all(|&v| v == 1.0);
                close_array("P from SGD vs the Newton MLE", &got, &want, Tol::abs(2e-3)).hint_if(
                    unscaled,
                    "the inputs were not standardised (mean 0, scale 1 for every feature): on features around 200 and around 0.05, one learning rate overshoots one direction and crawls along the other",
                )
            },
        ),
        Check::public(
            SOFTMAX_SGD,
            "softmax_sgd_records_the_mean_training_nll_after_every_epoch",
            1,
            || {
                // Five points, three classes, five epochs: one loss per epoch, the last one the
                // mean −ln pᵢ,yᵢ of the final model over the training set, from its own weights.
                let x = array![[0.0], [1.0], [2.0], [3.0], [1.5]];
                let labels = [0, 0, 1, 1, 2];
                let config = sut::SgdConfig {
                    epochs: 5,
                    ..sut::SgdConfig::default()
                };
                let model = ok(sut::fit_softmax_sgd(x.view(), &labels, 3, &config))?;
                ensure(model.losses.len() == 5, || {
                    format!(
                        "{} losses for 5 epochs, expected one per epoch",
                        model.losses.len()
                    )
                })?;
                let total: f64 = labels
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| {
                        let z = Array1::from_shape_fn(3, |c| {
                            model.weights[[0, c]]
                                + model.weights[[1, c]] * (x[[i, 0]] - model.mean[0])
                                    / model.scale[0]
                        });
                        let top = z.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
                        top + z.mapv(|v| (v - top).exp()).sum().ln() - z[k]
                    })
                    .sum();
                let mean = total / labels.len() as f64;
                let last = model.losses[4];
                close("the loss after the last epoch", last, mean, Tol::rel(1e-9))
                    .hint_if(
                        near(last, total, 1e-9 * total.abs()),
                        "the loss is summed over the training set: record its mean",
                    )
                    .hint_if(
                        near(last, -mean, 1e-9 * mean.abs()),
                        "the loss has the wrong sign: the NLL is log-sum-exp(z) − z_y, never negative",
                    )
            },
        ),
        Check::public(
            INFERENCE,
            "null_deviance_of_grouped_counts_pools_the_trials",
            2,
            || {
                let b = beetles();
                let d = ok(sut::null_deviance(b.y.view(), b.trials.view()))?;
                let pooled = b.y.sum() / b.trials.sum();
                let want = oracle::deviance(
                    b.y.view(),
                    b.trials.view(),
                    Array1::from_elem(8, pooled).view(),
                );
                let mean_of_proportions = (&b.y / &b.trials).mean().unwrap_or(0.0);
                let unpooled = oracle::deviance(
                    b.y.view(),
                    b.trials.view(),
                    Array1::from_elem(8, mean_of_proportions).view(),
                );
                close("null deviance of the beetles", d, want, Tol::rel(1e-12))
                .hint_if((d - unpooled).abs() < 1e-9 * unpooled, "μ̄ is the mean of the proportions: the intercept-only fit is ∑y / ∑m, which weighs each group by its trials")
            },
        ),
        Check::public(
            LINKS,
            "link_derivatives_match_finite_differences_and_keep_their_tails",
            2,
            || {
                use sut::Link::{CLogLog, Logit, Probit};
                for link in [Logit, Probit, CLogLog] {
                    for k in -8..=3 {
                        let eta = 0.5 * k as f64 + 0.1;
                        let h = 1e-5;
                        let numeric = (link.mean(eta + h) - link.mean(eta - h)) / (2.0 * h);
                        close(
                            &format!("{link:?} μ′({eta}) vs centred differences"),
                            link.mean_derivative(eta),
                            numeric,
                            Tol::rel_floor(1e-7, 1e-9),
                        )?;
                    }
                }
                // e^η ≈ 2·10⁻⁹ at η = −20: 1 − e^{−e^η} loses 7 digits to cancellation; −expm1(−e^η) keeps all.
                let mu = CLogLog.mean(-20.0);
                let want = -(-(-20f64).exp()).exp_m1();
                close("cloglog μ(−20)", mu, want, Tol::rel(1e-12)).hint_if(
                    (mu - (1.0 - (-(-20f64).exp()).exp())).abs() < 1e-25,
                    "1 − e^{−e^η} cancels for η ≪ 0: use −expm1(−e^η)",
                )?;
                close(
                    "probit μ(−10)",
                    Probit.mean(-10.0),
                    7.619_853_024_160_527e-24,
                    Tol::rel(1e-12),
                )
            },
        ),
        Check::public(
            SOFTMAX_SGD,
            "softmax_sgd_rejects_bad_settings_and_breaks_ties_to_the_smaller_class",
            2,
            || {
                let x = array![[0.0], [1.0], [2.0], [3.0]];
                let labels = [0, 0, 1, 1];
                let settings = |e: &sut::FitError| matches!(e, sut::FitError::InvalidSetting(_));
                let base = sut::SgdConfig::default();
                expect_err(
                    "learning rate 0",
                    sut::fit_softmax_sgd(
                        x.view(),
                        &labels,
                        2,
                        &sut::SgdConfig {
                            learning_rate: 0.0,
                            ..base
                        },
                    ),
                    settings,
                )?;
                expect_err(
                    "batch size 0",
                    sut::fit_softmax_sgd(
                        x.view(),
                        &labels,
                        2,
                        &sut::SgdConfig {
                            batch_size: 0,
                            ..base
                        },
                    ),
                    settings,
                )?;
                expect_err(
                    "label 2 of 2 classes",
                    sut::fit_softmax_sgd(x.view(), &[0, 1, 2, 1], 2, &base),
                    is_response,
                )?;
                // Equal weights for both classes: every probability ½, and predict picks class 0.
                let model = sut::SoftmaxModel {
                    mean: array![0.0],
                    scale: array![1.0],
                    weights: Array2::zeros((2, 2)),
                    losses: vec![],
                };
                let predicted = ok(model.predict(x.view()))?;
                ensure(predicted == vec![0; 4], || {
                    format!(
                        "tied probabilities: predicted {predicted:?}, expected the smaller class 0 everywhere"
                    )
                })
                .hint_if(
                    predicted == vec![1; 4],
                    "ties went to the larger class: keep the first maximum (>, not ≥)",
                )
            },
        ),
    ]
}
