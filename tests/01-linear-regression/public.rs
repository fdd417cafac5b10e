//! Public checks: small cases derived by hand, shipped to learners. Most use the crate docs'
//! worked example, `X = [[1, 1], [1, 2], [1, 3]]`, `y = [1, 2, 2]`, `β = [2/3, 1/2]`.

use mlings_grader::assert::{close, close_array, close_slice, ensure, near};
use mlings_grader::{Check, Failure, OutcomeExt, ok};
use ndarray::{Array1, Array2, array};

use super::oracle::GdRule;
use super::steps::{
    DESIGN_MATRICES, GRADIENT_DESCENT, METRICS, MODEL, NORMAL_EQUATIONS, QR, STATISTICS,
};
use super::{EXACT, oracle, worked_example};
use crate::sut;

/// `s` of the worked example: SSE = 1/6 over n − p = 1.
const S: f64 = 0.408_248_290_463_863;

/// Every public check.
pub fn checks() -> Vec<Check> {
    vec![
        // Step 1: metrics.
        Check::public(METRICS, "mse_of_a_hand_example", 2, || {
            // (0² + 2² + 1²) / 3.
            let m = ok(sut::mse(
                array![1.0, 2.0, 3.0].view(),
                array![1.0, 4.0, 2.0].view(),
            ))?;
            close("mse", m, 5.0 / 3.0, EXACT)
                .hint_if(m == 5.0, "that is the sum of squares: divide by n")
                .hint_if(
                    m == 2.5,
                    "that divides by n − 1: the MSE averages over all n samples",
                )
                .hint_if(
                    (m - (5.0f64 / 3.0).sqrt()).abs() < 1e-12,
                    "that is the root of the MSE",
                )
        }),
        Check::public(
            METRICS,
            "r_squared_centred_and_uncentred_by_hand",
            3,
            || {
                // SSE = 0.01 + 0.01 + 0.04 + 0.04 = 0.1; ∑ (y − ȳ)² = 5; ∑ y² = 30.
                let y = array![1.0, 2.0, 3.0, 4.0];
                let y_hat = array![1.1, 1.9, 3.2, 3.8];
                let centred = ok(sut::r_squared(y.view(), y_hat.view()))?;
                close("centred R²", centred, 1.0 - 0.1 / 5.0, EXACT).hint_if(
                    (centred - (1.0 - 0.1 / 30.0)).abs() < 1e-9,
                    "this is the uncentred R²: subtract ȳ in the denominator",
                )?;
                let uncentred = ok(sut::r_squared_uncentred(y.view(), y_hat.view()))?;
                close("uncentred R²", uncentred, 1.0 - 0.1 / 30.0, EXACT)
                .hint_if((uncentred - 0.98).abs() < 1e-9, "this is the centred R²: a model through the origin is compared with ∑ y², not ∑ (y − ȳ)²")
            },
        ),
        Check::public(
            METRICS,
            "r_squared_of_a_perfect_fit_is_1_even_for_a_constant_target",
            1,
            || {
                // SSE = 0 and ∑ (y − ȳ)² = 0: the contract says 1, where 1 − 0/0 would be NaN.
                let y = array![2.0, 2.0, 2.0];
                let centred = ok(sut::r_squared(y.view(), y.view()))?;
                close("centred R² of a perfect fit to [2, 2, 2]", centred, 1.0, EXACT).hint_if(
                centred.is_nan(),
                "1 − 0/0 is NaN: a constant target has ∑ (y − ȳ)² = 0, and a perfect fit (SSE = 0) is R² = 1",
            )?;
                let zeros = array![0.0, 0.0];
                let uncentred = ok(sut::r_squared_uncentred(zeros.view(), zeros.view()))?;
                close("uncentred R² of a perfect fit to [0, 0]", uncentred, 1.0, EXACT).hint_if(
                uncentred.is_nan(),
                "1 − 0/0 is NaN: a target of zeros has ∑ y² = 0, and a perfect fit (SSE = 0) is R² = 1",
            )
            },
        ),
        // Step 2: design-matrices.
        Check::public(DESIGN_MATRICES, "polynomial_features_by_hand", 3, || {
            let x = array![1.0, 2.0, -3.0];
            let with = sut::polynomial_features(x.view(), 3, true);
            let powers = |from: i32, to: i32| {
                Array2::from_shape_fn((3, (to - from + 1) as usize), |(i, j)| {
                    x[i].powi(from + j as i32)
                })
            };
            close_array(
                "degree 3 with intercept",
                &with,
                &array![
                    [1.0, 1.0, 1.0, 1.0],
                    [1.0, 2.0, 4.0, 8.0],
                    [1.0, -3.0, 9.0, -27.0]
                ],
                EXACT,
            )
            .hint_if(
                with == powers(1, 4),
                "with an intercept the first column is x⁰ = 1: start the powers at 0",
            )?;
            let without = sut::polynomial_features(x.view(), 2, false);
            close_array(
                "degree 2 without intercept",
                &without,
                &array![[1.0, 1.0], [2.0, 4.0], [-3.0, 9.0]],
                EXACT,
            )
            .hint_if(
                without == powers(0, 1) || without == powers(0, 2),
                "without an intercept there is no column of ones: the powers are x¹ … xᵈ",
            )
        }),
        Check::public(
            DESIGN_MATRICES,
            "with_intercept_prepends_a_column_of_ones",
            1,
            || {
                let d = sut::with_intercept(array![[5.0, 6.0], [7.0, 8.0]].view());
                close_array(
                    "[1, X]",
                    &d,
                    &array![[1.0, 5.0, 6.0], [1.0, 7.0, 8.0]],
                    EXACT,
                )
                .hint_if(
                    d == array![[5.0, 6.0, 1.0], [7.0, 8.0, 1.0]],
                    "the ones go first: the intercept is β₀",
                )
                .hint_if(
                    d == array![[5.0, 6.0], [7.0, 8.0]],
                    "no column was added: [1, X] has one column more than X, a column of ones",
                )
            },
        ),
        // Step 3: normal-equations.
        Check::public(
            NORMAL_EQUATIONS,
            "normal_equations_of_the_worked_example",
            2,
            || {
                let (x, y) = worked_example();
                let (gram, xty) = ok(sut::normal_equations(x.view(), y.view()))?;
                close_array("XᵀX", &gram, &array![[3.0, 6.0], [6.0, 14.0]], EXACT).hint_if(
                    gram == x.dot(&x.t()),
                    "that is X Xᵀ, (n, n): the Gram matrix is Xᵀ X, (p, p)",
                )?;
                close_array("Xᵀy", &xty, &array![5.0, 11.0], EXACT)
            },
        ),
        Check::public(
            NORMAL_EQUATIONS,
            "cholesky_of_the_worked_example",
            2,
            || {
                // L = [[√3, 0], [6/√3, √(14 − 12)]].
                let l = ok(sut::cholesky(array![[3.0, 6.0], [6.0, 14.0]].view()))?;
                let r3 = 3f64.sqrt();
                close_array("L", &l, &array![[r3, 0.0], [2.0 * r3, 2f64.sqrt()]], EXACT).hint_if(
                    l[[0, 1]] != 0.0 && l[[1, 0]] == 0.0,
                    "L is lower triangular: the zeros go above the diagonal",
                )?;
                // A 3 × 3 case, where Lᵢⱼ below the diagonal has a sum to subtract: A = L Lᵀ with
                // L = [[2, 0, 0], [1, 3, 0], [2, 1, 2]].
                let a = array![[4.0, 2.0, 4.0], [2.0, 10.0, 5.0], [4.0, 5.0, 9.0]];
                let l = ok(sut::cholesky(a.view()))?;
                close_array(
                "L of [[4, 2, 4], [2, 10, 5], [4, 5, 9]]",
                &l,
                &array![[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [2.0, 1.0, 2.0]],
                EXACT,
            )
            .hint_if(
                (l[[2, 1]] - 1.0 / 3.0).abs() < 1e-12,
                "L₂₁ came out (5 − L₂₀ L₂₀) / 3: Lᵢⱼ subtracts ∑ₖ<ⱼ Lᵢₖ Lⱼₖ, one factor from row i and one from row j",
            )
            },
        ),
        Check::public(
            NORMAL_EQUATIONS,
            "substitutions_solve_the_worked_example",
            2,
            || {
                let r3 = 3f64.sqrt();
                let r2 = 2f64.sqrt();
                let l = array![[r3, 0.0], [2.0 * r3, r2]];
                // L z = [5, 11]: z = [5/√3, (11 − 10)/√2]; Lᵀ β = z: β = [2/3, 1/2].
                let z = ok(sut::forward_substitution(
                    l.view(),
                    array![5.0, 11.0].view(),
                ))?;
                close_array("z", &z, &array![5.0 / r3, 1.0 / r2], EXACT).hint_if(
                (z[1] - 11.0 / r2).abs() < 1e-12,
                "z₁ = b₁ / L₁₁ left out the sum: zᵢ subtracts ∑ₖ<ᵢ Lᵢₖ zₖ, every k from 0 to i − 1",
            )?;
                let beta = ok(sut::back_substitution(l.t(), z.view()))?;
                close_array("β", &beta, &array![2.0 / 3.0, 0.5], EXACT).hint_if(
                beta[0] == 0.0 && (beta[1] - 0.5).abs() < 1e-12,
                "β₀ was never solved: back substitution runs from row p − 1 down to row 0 included",
            )?;
                let (x, y) = worked_example();
                let beta = ok(sut::solve_normal_equations(x.view(), y.view()))?;
                close_array(
                    "β of solve_normal_equations",
                    &beta,
                    &array![2.0 / 3.0, 0.5],
                    EXACT,
                )
            },
        ),
        Check::public(
            NORMAL_EQUATIONS,
            "normal_equations_report_a_gram_matrix_that_is_not_positive_definite",
            2,
            || {
                // A degree-10 polynomial on [−9, −8]: κ(X) ≈ 2.5·10²³, so XᵀX keeps about 4 of its 11
                // dimensions after rounding and a Cholesky pivot comes out ≤ 0 (pivot 6 in every
                // summation order and loop order tried; NIST Filip, κ ≈ 10¹⁵, is not so clear-cut:
                // an exactly summed XᵀX passes Cholesky there). The contract asks for
                // FitError::NotPositiveDefinite, never numbers.
                let x = Array1::linspace(-9.0, -8.0, 82);
                let design = oracle::polynomial_design(x.view(), 10);
                let y = x.mapv(|v| 0.5 + v.sin());
                match sut::solve_normal_equations(design.view(), y.view()) {
                    Err(sut::FitError::NotPositiveDefinite { .. }) => Ok(()),
                    Err(e) => Err(Failure::new(format!(
                        "degree-10 polynomial by the normal equations: got the error \"{e}\", expected FitError::NotPositiveDefinite"
                    )))
                    .hint_if(
                        matches!(e, sut::FitError::Singular { .. }),
                        "a pivot ≤ 0 reached the substitutions as a zero or NaN diagonal: check every Cholesky pivot is > 0 before its square root",
                    ),
                    Ok(beta) => {
                        let nan = beta.iter().any(|b| b.is_nan());
                        Err(Failure::new(format!(
                        "degree-10 polynomial by the normal equations: got β = {beta:.3e}, expected FitError::NotPositiveDefinite (κ(X) ≈ 10²³: a Cholesky pivot is ≤ 0 after rounding)"
                    )))
                    .hint_if(nan, "NaN comes from √ of a pivot ≤ 0: check every Cholesky pivot is > 0 before its square root")
                    .hint_if(!nan, "finite numbers, where Cholesky meets a pivot ≤ 0: solve through cholesky (which returns NotPositiveDefinite), not an explicit inverse or another elimination")
                    }
                }
            },
        ),
        // Step 4: qr.
        Check::public(QR, "qr_factor_of_the_worked_example", 3, || {
            // R = [[√3, 2√3], [0, √2]] and Qᵀy = [5/√3, 1/√2], up to the sign of each row.
            let (x, y) = worked_example();
            let f = ok(sut::qr_factor(x.view(), y.view()))?;
            ensure(f.r.dim() == (2, 2) && f.qty.len() == 2, || {
                format!(
                    "R {:?} and Qᵀy {:?}: expected (2, 2) and (2)",
                    f.r.shape(),
                    f.qty.shape()
                )
            })?;
            let (r, qty) = oracle::sign_normalised(&f.r, &f.qty);
            let r3 = 3f64.sqrt();
            close_array(
                "R (rows signed so that its diagonal is positive)",
                &r,
                &array![[r3, 2.0 * r3], [0.0, 2f64.sqrt()]],
                EXACT,
            )
            .hint_if(
                r[[0, 1]] == 0.0,
                "R₀₁ is 0: apply each reflection to every remaining column (k + 1 … p − 1) and to y, not only to column k",
            )?;
            close_array(
                "Qᵀy (signed like R's rows)",
                &qty,
                &array![5.0 / r3, 1.0 / 2f64.sqrt()],
                EXACT,
            )
        }),
        Check::public(QR, "qr_solve_fits_the_worked_example", 2, || {
            let (x, y) = worked_example();
            let beta = ok(sut::qr_solve(x.view(), y.view()))?;
            close_array("β", &beta, &array![2.0 / 3.0, 0.5], EXACT)
        }),
        Check::public(
            QR,
            "qr_is_accurate_for_a_column_nearly_parallel_to_e1",
            2,
            || {
                // Column 0 is e₁ plus 10⁻⁹ in every other row: with α = +sign(a₀)‖a‖ the reflector's
                // v₀ = a₀ − α cancels to rounding noise. Column 1 is spread out, the same problem
                // otherwise (300 rows: more than one block for blocked implementations). κ ≈ 20, so
                // any backward-stable QR agrees with the oracle to ~1e-14; 1e-10 leaves room.
                let n = 300;
                let mut r = oracle::rng(4);
                let spread = oracle::randn(&mut r, n, 2, 1.0);
                let noise = oracle::randn1(&mut r, n, 1.0);
                let mut nearly_e1 = spread.clone();
                nearly_e1.column_mut(0).fill(1e-9);
                nearly_e1[[0, 0]] = 1.0;
                let tol = mlings_grader::assert::Tol::rel_floor(1e-10, 1e-12);
                let solve = |x: &Array2<f64>| -> Result<(Array1<f64>, Array1<f64>), Failure> {
                    let y = oracle::matvec(x.view(), array![1.5, -2.0].view()) + &noise;
                    let beta = ok(sut::qr_solve(x.view(), y.view()))?;
                    Ok((beta, oracle::lstsq(x.view(), y.view()).0))
                };
                let (spread_beta, spread_expected) = solve(&spread)?;
                let spread_ok =
                    close_array("β, spread-out columns", &spread_beta, &spread_expected, tol);
                let (beta, expected) = solve(&nearly_e1)?;
                close_array("β, column 0 nearly parallel to e₁", &beta, &expected, tol).hint_if(
                spread_ok.is_ok(),
                "accurate unless a column is nearly parallel to e₁: choose α with the sign opposite to a₀, so that v₀ = a₀ − α adds magnitudes instead of cancelling",
            )?;
                spread_ok
            },
        ),
        // Step 5: gradient-descent.
        Check::public(GRADIENT_DESCENT, "standardize_by_hand", 2, || {
            // μ = [2, 30]; σ = [√(2/3), √(1400/3)], dividing by n (not n − 1).
            let x = array![[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]];
            let s = ok(sut::standardize(x.view()))?;
            let (m, sd) = (
                array![2.0, 30.0],
                array![(2.0f64 / 3.0).sqrt(), (1400.0f64 / 3.0).sqrt()],
            );
            close_array("mean", &s.mean, &m, EXACT)?;
            close_array("std", &s.std, &sd, EXACT).hint_if(
                (s.std[0] - 1.0).abs() < 1e-12,
                "that is the sample standard deviation (n − 1): divide by n",
            )?;
            let expected = Array2::from_shape_fn((3, 2), |(i, j)| (x[[i, j]] - m[j]) / sd[j]);
            close_array("standardised x", &s.x, &expected, EXACT)
        }),
        Check::public(GRADIENT_DESCENT, "mse_gradient_by_hand", 2, || {
            // r = Xw + b − y = [−2, 1]: L = 5/2, ∂L/∂w = (2/2)·Xᵀr = [1, −5], ∂L/∂b = −1.
            let g = ok(sut::mse_gradient(
                array![[1.0, 2.0], [3.0, -1.0]].view(),
                array![1.0, 2.0].view(),
                array![0.5, -1.0].view(),
                0.5,
            ))?;
            close("loss", g.loss, 2.5, EXACT)
                .hint_if(g.loss == 5.0, "the loss is summed: divide by n")?;
            close_array("dw", &g.dw, &array![1.0, -5.0], EXACT)
                .hint_if(
                    g.dw == array![0.5, -2.5],
                    "the derivative of r² is 2r: the gradient is (2/n) Xᵀr",
                )
                .hint_if(
                    g.dw == array![-1.0, 5.0],
                    "the sign is flipped: r = Xw + b − y, and ∂L/∂w = (2/n) Xᵀr",
                )
                .hint_if(
                    g.dw == array![2.0, -10.0],
                    "the gradient is summed: (2/n) Xᵀr averages over the n samples",
                )?;
            close("db", g.db, -1.0, EXACT).hint_if(
                g.db == -2.0,
                "the gradient is summed: ∂L/∂b = (2/n) ∑ rᵢ averages over the n samples",
            )
        }),
        Check::public(
            GRADIENT_DESCENT,
            "gradient_descent_follows_the_oracle_step_by_step",
            3,
            || {
                // Six steps of η = 0.3 on a small problem, against the suite's loop-based descent.
                let x = array![[0.0, 1.0], [1.0, 3.0], [2.0, 2.0], [4.0, 7.0]];
                let y = array![1.0, 3.0, 4.0, 9.5];
                let (eta, iterations) = (0.3, 6);
                let config = sut::GdConfig {
                    learning_rate: eta,
                    iterations,
                };
                let run =
                    |rule| oracle::gradient_descent(x.view(), y.view(), eta, iterations, rule);
                let expected = run(GdRule::Contract);
                let fit = sut::gradient_descent(x.view(), y.view(), &config);
                if let Err(sut::FitError::Diverged { iteration }) = &fit {
                    return Err(Failure::new(format!(
                        "diverged at iteration {iteration}, expected the loss to fall: {:?}",
                        expected.history
                    )))
                    .hint_if(
                        run(GdRule::Uphill).diverged_at == Some(*iteration),
                        "the loss grows like a step uphill: w ← w − η ∂L/∂w, against the gradient",
                    );
                }
                let fit = ok(fit)?;
                let matches = |rule| {
                    let other = run(rule);
                    other.history.len() == fit.loss_history.len()
                        && other
                            .history
                            .iter()
                            .zip(&fit.loss_history)
                            .all(|(a, b)| near(*b, *a, 1e-9))
                };
                close_slice("loss history", &fit.loss_history, &expected.history, mlings_grader::assert::Tol::rel_floor(1e-10, 1e-12))
                .hint_if(matches(GdRule::Uphill), "the loss grows like a step uphill: w ← w − η ∂L/∂w, against the gradient")
                .hint_if(matches(GdRule::EtaTwice), "each step is η² times the gradient: apply the learning rate once, w ← w − η ∂L/∂w")
                .hint_if(matches(GdRule::Unstandardised), "these are the losses on the raw features: standardize x first (and map the result back)")?;
                let tol = mlings_grader::assert::Tol::rel_floor(1e-10, 1e-12);
                close_array("coefficients", &fit.coefficients, &expected.coefficients, tol)
                    .hint_if(
                        fit.coefficients.iter().zip(&expected.w).all(|(a, b)| near(*a, *b, 1e-9)),
                        "these are the weights on the standardised features: map them back, βⱼ = wⱼ / σⱼ",
                    )?;
                close("intercept", fit.intercept, expected.intercept, tol).hint_if(
                    near(fit.intercept, expected.b, 1e-9),
                    "that is b on the standardised features: map it back, intercept = b − ∑ⱼ wⱼ μⱼ / σⱼ",
                )
            },
        ),
        Check::public(
            GRADIENT_DESCENT,
            "gradient_descent_records_one_loss_per_iteration",
            1,
            || {
                // y = 1 + 2x exactly: the gradient vanishes long before 1,000 steps.
                let config = sut::GdConfig {
                    learning_rate: 0.1,
                    iterations: 1000,
                };
                let fit = ok(sut::gradient_descent(
                    array![[0.0], [1.0], [2.0]].view(),
                    array![1.0, 3.0, 5.0].view(),
                    &config,
                ))?;
                let got = fit.loss_history.len();
                ensure(got == 1000, || format!("{got} losses for 1000 iterations, expected one per iteration"))
                .hint_if(
                    got < 1000 && fit.loss_history.last().is_some_and(|&l| l < 1e-12),
                    "stopped once the fit converged: the contract takes exactly `iterations` steps, recording the loss before each",
                )
            },
        ),
        // Step 6: statistics.
        Check::public(STATISTICS, "residual_std_of_the_worked_example", 2, || {
            // r = [−1/6, 1/3, −1/6], SSE = 1/6, n − p = 1.
            let (x, y) = worked_example();
            let s = ok(sut::residual_std(
                x.view(),
                y.view(),
                array![2.0 / 3.0, 0.5].view(),
            ))?;
            close("s", s, S, EXACT).hint_if((s - (1.0f64 / 18.0).sqrt()).abs() < 1e-12, "SSE is divided by n: divide by n − p, the degrees of freedom left after fitting p parameters")
                .hint_if((s - (1.0f64 / 12.0).sqrt()).abs() < 1e-12, "SSE is divided by n − p + 1: p counts every coefficient, the intercept too")
        }),
        Check::public(
            STATISTICS,
            "standard_errors_of_the_worked_example",
            2,
            || {
                // (XᵀX)⁻¹ = [[14, −6], [−6, 3]] / 6: SE = s · [√(14/6), √(3/6)].
                let r3 = 3f64.sqrt();
                let se = ok(sut::standard_errors(
                    array![[r3, 2.0 * r3], [0.0, 2f64.sqrt()]].view(),
                    S,
                ))?;
                close_array("SE", &se, &array![14f64.sqrt() / 6.0, (1.0f64 / 12.0).sqrt()], EXACT)
                .hint_if((se[0] - S / r3).abs() < 1e-12, "s / Rⱼⱼ is right only for the last parameter: SEⱼ = s · ‖row j of R⁻¹‖, the whole row")
                .hint_if((se[0] - 14.0 / 36.0 / S).abs() < 1e-12 && (se[1] - 1.0 / 12.0 / S).abs() < 1e-12, "that is s · ‖row j of R⁻¹‖²: take the square root of the sum of squares, SEⱼ = s · ‖row j of R⁻¹‖")
            },
        ),
        // Step 7: model.
        Check::public(MODEL, "model_fits_the_worked_example", 3, || {
            let model = ok(sut::LinearRegression::new().fit(
                array![[1.0], [2.0], [3.0]].view(),
                array![1.0, 2.0, 2.0].view(),
            ))?;
            // Without the column of ones, the line goes through the origin: slope xᵀy / xᵀx = 11/14.
            let through_origin = model.intercept() == 0.0
                && model
                    .coefficients()
                    .iter()
                    .all(|&c| near(c, 11.0 / 14.0, 1e-12));
            close("intercept", model.intercept(), 2.0 / 3.0, EXACT).hint_if(
                through_origin,
                "the intercept is missing: fit on [1, X] (with_intercept)",
            )?;
            close_array("coefficients", &model.coefficients(), &array![0.5], EXACT)?;
            close_array(
                "standard errors [intercept, slope]",
                &model.standard_errors(),
                &array![14f64.sqrt() / 6.0, (1.0f64 / 12.0).sqrt()],
                EXACT,
            )?;
            close("residual_std", model.residual_std(), S, EXACT)?;
            // SSE = 1/6; ∑ (y − ȳ)² = 2/3 gives 0.75, ∑ y² = 9 gives the uncentred 1 − 1/54.
            close("R²", model.r_squared(), 0.75, EXACT).hint_if(
                (model.r_squared() - (1.0 - 1.0 / 54.0)).abs() < 1e-12,
                "that is the uncentred R²: a model with an intercept is compared with ȳ, 1 − SSE / ∑ (y − ȳ)²",
            )?;
            let y_hat = ok(model.predict(array![[4.0], [0.0]].view()))?;
            close_array(
                "predictions at 4 and 0",
                &y_hat,
                &array![2.0 / 3.0 + 2.0, 2.0 / 3.0],
                EXACT,
            )
            .hint_if(
                (y_hat[0] - 2.0).abs() < 1e-12 && y_hat[1] == 0.0,
                "the predictions leave out the intercept: ŷ = x · coefficients + intercept",
            )
        }),
    ]
}
