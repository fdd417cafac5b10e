//! Step 7: multinomial logit (softmax regression) by Newton's method.
//!
//! K classes, class 0 the base: its logit is fixed at 0, and classes 1…K−1 have one coefficient
//! vector each, the columns of `β: (p, K − 1)`. Without a base the model is not identifiable
//! (adding one vector to every class's coefficients changes no probability) and its Hessian is
//! singular. Newton works on the stacked parameters `θ = [β₍·,₀₎; β₍·,₁₎; …]`, column by column:
//! `θ[(k − 1)·p + j] = β[j][k − 1]`.

use ndarray::{Array2, ArrayView2};

use crate::error::FitError;
use crate::newton::NewtonConfig;
// BEGIN SOLUTION
use ndarray::{Array1, s};

use crate::error::{ensure_dim, ensure_labels, ensure_nonempty};
use crate::likelihood::weighted_gram;
use crate::newton::{cholesky, cholesky_solve, relative_change};
use crate::stable::{log_sum_exp, softmax};

/// The logits `[0 | Xβ]`, `(n, K)`, after checking that `beta` has one row per column of `x`.
fn logits(x: ArrayView2<'_, f64>, beta: ArrayView2<'_, f64>) -> Result<Array2<f64>, FitError> {
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("rows of beta vs columns of x", beta.nrows(), x.ncols())?;
    let mut z = Array2::zeros((x.nrows(), beta.ncols() + 1));
    z.slice_mut(s![.., 1..]).assign(&x.dot(&beta));
    Ok(z)
}
// END SOLUTION

/// The class probabilities: the softmax of the logits `[0 | Xβ]`, class 0 the base.
///
/// ```text
/// x: (n, p)   beta: (p, K − 1)   →   P: (n, K),   Pᵢₖ = e^{zᵢₖ} / ∑ⱼ e^{zᵢⱼ},   zᵢ = [0, xᵢᵀβ]
/// ```
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ShapeMismatch`] when `beta` does
/// not have one row per column of `x`.
///
/// # Examples
/// ```
/// # use logistic_regression_solution::multinomial_probabilities;
/// use ndarray::array;
/// let p = multinomial_probabilities(array![[1.0]].view(), array![[2f64.ln(), 0.0]].view())?;
/// assert!((p[[0, 0]] - 0.25).abs() < 1e-15 && (p[[0, 1]] - 0.5).abs() < 1e-15);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn multinomial_probabilities(
    x: ArrayView2<'_, f64>,
    beta: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FitError> {
    // BEGIN SOLUTION
    Ok(softmax(logits(x, beta)?.view()))
    // STUB
    // // TODO: Check the shapes, build z = [0 | Xβ] (n, K) and return its row softmax. x = [[1]], β = [[ln 2, 0]] -> [[¼, ½, ¼]]
    // todo!("class probabilities of x {:?} with beta {:?}", x.shape(), beta.shape())
    // END SOLUTION
}

/// The negative log-likelihood of the labels, `ℓ(β) = ∑ᵢ [ln ∑ₖ e^{zᵢₖ} − zᵢ,yᵢ]`, with
/// [`log_sum_exp`](crate::log_sum_exp) for the first term.
///
/// ```text
/// x: (n, p)   labels: (n), each in 0..K   beta: (p, K − 1)   →   ℓ ≥ 0
/// ```
///
/// # Errors
/// Those of [`ensure_labels`](crate::error::ensure_labels) with `K = beta.ncols() + 1`, and of
/// [`multinomial_probabilities`].
///
/// # Examples
/// ```
/// # use logistic_regression_solution::multinomial_nll;
/// use ndarray::array;
/// // β = 0: every class has probability ⅓.
/// let l = multinomial_nll(array![[1.0], [1.0]].view(), &[0, 2], array![[0.0, 0.0]].view())?;
/// assert!((l - 2.0 * 3f64.ln()).abs() < 1e-12);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn multinomial_nll(
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    beta: ArrayView2<'_, f64>,
) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    ensure_labels(x, labels, beta.ncols() + 1)?;
    let z = logits(x, beta)?;
    Ok(z.rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &k)| log_sum_exp(row) - row[k])
        .sum())
    // STUB
    // // TODO: Check with crate::error::ensure_labels, then sum log_sum_exp(zᵢ) − zᵢ,yᵢ over the rows of z = [0 | Xβ]. β = 0, K = 3 -> n ln 3
    // todo!("multinomial NLL of x {:?} and {} labels at beta {:?}", x.shape(), labels.len(), beta.shape())
    // END SOLUTION
}

/// The gradient of [`multinomial_nll`], for classes 1…K−1:
///
/// ```text
/// G = Xᵀ (P − Y)₍·,₁..K₎   → (p, K − 1),   Yᵢₖ = 1 if yᵢ = k else 0
/// ```
///
/// # Errors
/// As [`multinomial_nll`].
///
/// # Examples
/// ```
/// # use logistic_regression_solution::multinomial_gradient;
/// use ndarray::array;
/// let g = multinomial_gradient(array![[1.0]].view(), &[2], array![[0.0, 0.0]].view())?;
/// assert!((g[[0, 0]] - 1.0 / 3.0).abs() < 1e-15 && (g[[0, 1]] + 2.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn multinomial_gradient(
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    beta: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FitError> {
    // BEGIN SOLUTION
    ensure_labels(x, labels, beta.ncols() + 1)?;
    let mut r = multinomial_probabilities(x, beta)?;
    for (i, &k) in labels.iter().enumerate() {
        r[[i, k]] -= 1.0;
    }
    Ok(x.t().dot(&r.slice(s![.., 1..])))
    // STUB
    // // TODO: Check the labels, take P − Y, drop class 0's column and multiply by Xᵀ. x = [[1]], label 2, β = 0 -> [[⅓, −⅔]]
    // todo!("multinomial gradient of x {:?} and {} labels at beta {:?}", x.shape(), labels.len(), beta.shape())
    // END SOLUTION
}

/// The Hessian of [`multinomial_nll`] in the stacked parameters θ: `(K − 1)` × `(K − 1)` blocks of
/// size `p × p`, block `(a, b)` for classes `a, b` in 1…K−1 a weighted Gram matrix:
///
/// ```text
/// x: (n, p)   beta: (p, K − 1)   →   H: ((K − 1)·p, (K − 1)·p) symmetric
/// H₍ₐ,b₎ = Xᵀ diag(Pᵢₐ (δₐb − Pᵢb)) X          (cross-class blocks a ≠ b have negative weights)
/// ```
///
/// # Errors
/// As [`multinomial_probabilities`].
///
/// # Examples
/// ```
/// # use logistic_regression_solution::multinomial_hessian;
/// use ndarray::array;
/// // One row x = [1], β = 0, K = 3: P = ⅓ each; diagonal ⅓·⅔, off-diagonal −⅓·⅓.
/// let h = multinomial_hessian(array![[1.0]].view(), array![[0.0, 0.0]].view())?;
/// assert!((h[[0, 0]] - 2.0 / 9.0).abs() < 1e-15 && (h[[0, 1]] + 1.0 / 9.0).abs() < 1e-15);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn multinomial_hessian(
    x: ArrayView2<'_, f64>,
    beta: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FitError> {
    // BEGIN SOLUTION
    let prob = multinomial_probabilities(x, beta)?;
    let (p, classes) = (x.ncols(), beta.ncols());
    let mut h = Array2::zeros((classes * p, classes * p));
    for a in 0..classes {
        for b in 0..=a {
            let pa = prob.column(a + 1);
            let pb = prob.column(b + 1);
            let w = if a == b {
                &pa * &pa.mapv(|v| 1.0 - v)
            } else {
                -(&pa * &pb)
            };
            let block = weighted_gram(x, w.view())?;
            h.slice_mut(s![a * p..(a + 1) * p, b * p..(b + 1) * p])
                .assign(&block);
            if a != b {
                h.slice_mut(s![b * p..(b + 1) * p, a * p..(a + 1) * p])
                    .assign(&block.t());
            }
        }
    }
    Ok(h)
    // STUB
    // // TODO: Compute P, then fill every block (a, b) with weighted_gram(x, Pᵢₐ (δₐb − Pᵢb)), cross-class blocks included. x = [[1]], β = 0, K = 3 -> [[2/9, −1/9], [−1/9, 2/9]]
    // todo!("multinomial Hessian of x {:?} at beta {:?}", x.shape(), beta.shape())
    // END SOLUTION
}

/// A fitted multinomial logit.
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialFit {
    /// The coefficients `β: (p, K − 1)`, column `k − 1` for class `k`; class 0's are 0.
    pub beta: Array2<f64>,
    /// The negative log-likelihood at the start (β = 0, `n ln K`) and after every iteration.
    pub neg_log_likelihoods: Vec<f64>,
    /// The iterations run.
    pub iterations: usize,
}

/// The maximum-likelihood multinomial logit by Newton's method on the stacked parameters, from
/// β = 0:
///
/// ```text
/// x: (n, p)   labels: (n), each in 0..classes   →   MultinomialFit
/// repeat for t = 1, 2, …, max_iter:
///     g = θ-stacked multinomial_gradient,  H = multinomial_hessian
///     solve H Δ = g by cholesky and cholesky_solve;   θ ← θ − Δ
///     ℓₜ = multinomial_nll;   stop when |2ℓₜ − 2ℓₜ₋₁| / (|2ℓₜ| + 0.1) < tol
/// ```
///
/// # Errors
/// Those of [`ensure_labels`](crate::error::ensure_labels) and [`NewtonConfig::validate`];
/// [`FitError::NotPositiveDefinite`] for dependent columns; [`FitError::NotConverged`].
///
/// # Examples
/// ```
/// # use logistic_regression_solution::{multinomial_newton, NewtonConfig};
/// use ndarray::array;
/// // Intercept only, labels 0, 1, 1, 2, 2, 2, 2: βₖ = ln(nₖ / n₀) = [ln 2, ln 4].
/// let x = ndarray::Array2::ones((7, 1));
/// let fit = multinomial_newton(x.view(), &[0, 1, 1, 2, 2, 2, 2], 3, &NewtonConfig::default())?;
/// assert!((fit.beta[[0, 0]] - 2f64.ln()).abs() < 1e-9 && (fit.beta[[0, 1]] - 4f64.ln()).abs() < 1e-9);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn multinomial_newton(
    x: ArrayView2<'_, f64>,
    labels: &[usize],
    classes: usize,
    config: &NewtonConfig,
) -> Result<MultinomialFit, FitError> {
    // BEGIN SOLUTION
    ensure_labels(x, labels, classes)?;
    config.validate()?;
    let p = x.ncols();
    let mut beta = Array2::<f64>::zeros((p, classes - 1));
    let mut nlls = vec![multinomial_nll(x, labels, beta.view())?];
    for iteration in 1..=config.max_iter {
        let g = multinomial_gradient(x, labels, beta.view())?;
        // θ stacks β's columns: transpose, then read row-major.
        let theta_g = Array1::from_iter(g.t().iter().copied());
        let l = cholesky(multinomial_hessian(x, beta.view())?.view())?;
        let step = cholesky_solve(l.view(), theta_g.view())?;
        let step = step
            .into_shape_with_order((classes - 1, p))
            .expect("(K − 1)·p entries");
        beta -= &step.t();
        let nll = multinomial_nll(x, labels, beta.view())?;
        let previous = nlls[nlls.len() - 1];
        nlls.push(nll);
        if config.converged(2.0 * previous, 2.0 * nll) {
            return Ok(MultinomialFit {
                beta,
                neg_log_likelihoods: nlls,
                iterations: iteration,
            });
        }
    }
    let k = nlls.len();
    Err(FitError::NotConverged {
        iterations: config.max_iter,
        change: relative_change(2.0 * nlls[k - 2], 2.0 * nlls[k - 1]),
    })
    // STUB
    // // TODO: Check the labels and the config, start from β = 0 (p, classes − 1), then iterate as above, stacking β's columns into θ. Intercept only, labels 0, 1, 1, 2, 2, 2, 2 -> [[ln 2, ln 4]]
    // todo!("multinomial Newton for x {:?}, {} labels, {classes} classes with {config:?}", x.shape(), labels.len())
    // END SOLUTION
}
