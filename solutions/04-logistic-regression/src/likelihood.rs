//! Step 2: the binomial likelihood of the logit model, its gradient and its Hessian.
//!
//! Observation i is `yᵢ` successes out of `mᵢ` trials with probability `μᵢ = σ(ηᵢ)`, `η = Xβ`
//! (a 0/1 response is the case `mᵢ = 1`). Grouped counts weigh each group by its trials: fitting
//! the proportions `yᵢ / mᵢ` as if each were one trial gives another, wrong, answer.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::FitError;
// BEGIN SOLUTION
use ndarray::linalg::general_mat_mul;
use ndarray::{Axis, s};

use crate::error::{ensure_binomial, ensure_dim, ensure_finite, ensure_nonempty};
use crate::stable::{log_sigmoid, sigmoid};

/// `η = Xβ`, after checking the problem and that β has one entry per column of x.
fn linear_predictor(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    ensure_binomial(x, y, trials)?;
    ensure_dim("length of beta vs columns of x", beta.len(), x.ncols())?;
    Ok(x.dot(&beta))
}
// END SOLUTION

/// The negative log-likelihood of the logit model, without the constant `∑ ln C(mᵢ, yᵢ)`:
///
/// ```text
/// x: (n, p)   y: (n) successes   trials: (n) mᵢ   beta: (p)   →   ℓ ≥ 0
/// ℓ(β) = −∑ᵢ [ yᵢ ln σ(ηᵢ) + (mᵢ − yᵢ) ln σ(−ηᵢ) ],   η = Xβ
/// ```
///
/// `ln(1 − σ(η)) = ln σ(−η)`: use [`log_sigmoid`](crate::log_sigmoid) for both terms, so that
/// ℓ stays finite when a fitted probability rounds to 0 or 1.
///
/// # Errors
/// Those of [`ensure_binomial`](crate::error::ensure_binomial), and
/// [`FitError::ShapeMismatch`] when `beta` does not have one entry per column of `x`.
///
/// # Examples
/// ```
/// # use logistic_regression_solution::neg_log_likelihood;
/// use ndarray::array;
/// // β = 0: every μ = ½, and ℓ = (total trials) · ln 2.
/// let l = neg_log_likelihood(array![[1.0], [1.0]].view(), array![1.0, 0.0].view(), array![2.0, 1.0].view(), array![0.0].view())?;
/// assert!((l - 3.0 * 2f64.ln()).abs() < 1e-12);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn neg_log_likelihood(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    let eta = linear_predictor(x, y, trials, beta)?;
    Ok(-eta
        .iter()
        .zip(y.iter().zip(trials.iter()))
        .map(|(&e, (&yi, &mi))| yi * log_sigmoid(e) + (mi - yi) * log_sigmoid(-e))
        .sum::<f64>())
    // STUB
    // // TODO: Check with crate::error::ensure_binomial and ensure_dim, then sum yᵢ ln σ(ηᵢ) + (mᵢ − yᵢ) ln σ(−ηᵢ) with log_sigmoid, and negate. β = 0 -> (∑ mᵢ) ln 2
    // todo!("negative log-likelihood of x {:?}, y {:?}, trials {:?} at beta {:?}", x.shape(), y.shape(), trials.shape(), beta.shape())
    // END SOLUTION
}

/// The gradient of [`neg_log_likelihood`]: the design's columns against the residual counts.
///
/// ```text
/// ∇ℓ(β) = Xᵀ (m ⊙ μ − y),   μ = σ(Xβ)        → (p)
/// ```
///
/// # Errors
/// As [`neg_log_likelihood`].
///
/// # Examples
/// ```
/// # use logistic_regression_solution::gradient;
/// use ndarray::array;
/// let g = gradient(array![[1.0], [1.0]].view(), array![1.0, 0.0].view(), array![2.0, 1.0].view(), array![0.0].view())?;
/// assert!((g[0] - 0.5).abs() < 1e-15); // (2·½ − 1) + (1·½ − 0)
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn gradient(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Result<Array1<f64>, FitError> {
    // BEGIN SOLUTION
    let eta = linear_predictor(x, y, trials, beta)?;
    let residual = Array1::from_shape_fn(eta.len(), |i| trials[i] * sigmoid(eta[i]) - y[i]);
    Ok(x.t().dot(&residual))
    // STUB
    // // TODO: Check as neg_log_likelihood does, then return Xᵀ(m ⊙ σ(Xβ) − y). x = [[1], [1]], y = [1, 0], m = [2, 1], β = 0 -> [0.5]
    // todo!("gradient for x {:?}, y {:?}, trials {:?} at beta {:?}", x.shape(), y.shape(), trials.shape(), beta.shape())
    // END SOLUTION
}

/// The weighted Gram matrix `XᵀWX`, `W = diag(w)`: the Hessian of every model in this exercise
/// has this form.
///
/// ```text
/// x: (n, p)   w: (n)   →   (p, p) symmetric,   (XᵀWX)ⱼₖ = ∑ᵢ wᵢ xᵢⱼ xᵢₖ
/// ```
///
/// The weights may be negative (the softmax Hessian's cross-class blocks, step 7).
///
/// # Errors
/// [`FitError::EmptyInput`] when `x` has no rows; [`FitError::ShapeMismatch`] when `w` does not
/// have one entry per row; [`FitError::NonFinite`] for a NaN or infinite weight.
///
/// # Examples
/// ```
/// # use logistic_regression_solution::weighted_gram;
/// use ndarray::array;
/// let g = weighted_gram(array![[1.0, 1.0], [1.0, 2.0]].view(), array![2.0, 1.0].view())?;
/// assert_eq!(g, array![[3.0, 4.0], [4.0, 6.0]]);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn weighted_gram(
    x: ArrayView2<'_, f64>,
    w: ArrayView1<'_, f64>,
) -> Result<Array2<f64>, FitError> {
    // BEGIN SOLUTION
    ensure_nonempty("x", x.nrows())?;
    ensure_dim("length of w vs rows of x", w.len(), x.nrows())?;
    ensure_finite("w", w)?;
    // Blocks of rows scaled by w and multiplied by ndarray's cache-blocked matrix product: far
    // faster than three nested loops over (j, k, i), and each scaled block stays in cache
    // instead of a scaled copy of the whole of x going through memory.
    const BLOCK: usize = 1024;
    // XᵀWX is symmetric: only the upper triangle is multiplied, one strip of STRIP columns at a
    // time (rows ..end of the strip), then mirrored: about half the multiply-adds of the square.
    const STRIP: usize = 8;
    let p = x.ncols();
    let mut gram = Array2::<f64>::zeros((p, p));
    for (xb, wb) in x
        .axis_chunks_iter(Axis(0), BLOCK)
        .zip(w.axis_chunks_iter(Axis(0), BLOCK))
    {
        let scaled = &xb * &wb.insert_axis(Axis(1));
        for start in (0..p).step_by(STRIP) {
            let end = (start + STRIP).min(p);
            general_mat_mul(
                1.0,
                &scaled.slice(s![.., ..end]).t(),
                &xb.slice(s![.., start..end]),
                1.0,
                &mut gram.slice_mut(s![..end, start..end]),
            );
        }
    }
    for j in 0..p {
        for k in 0..j {
            gram[[j, k]] = gram[[k, j]];
        }
    }
    Ok(gram)
    // STUB
    // // TODO: Check with ensure_nonempty, ensure_dim and ensure_finite, then return XᵀWX (scale the rows of x by w, one matrix product). [[1, 1], [1, 2]], w = [2, 1] -> [[3, 4], [4, 6]]
    // todo!("XᵀWX of x {:?} and w {:?}", x.shape(), w.shape())
    // END SOLUTION
}

/// The Hessian of [`neg_log_likelihood`], `XᵀWX` with the binomial weights `wᵢ = mᵢ μᵢ (1 − μᵢ)`.
///
/// ```text
/// x: (n, p)   trials: (n)   beta: (p)   →   (p, p) symmetric positive semi-definite
/// ```
///
/// # Errors
/// As [`weighted_gram`], and [`FitError::ShapeMismatch`] for `trials` or `beta` of the wrong
/// length, [`FitError::InvalidResponse`] for trials ≤ 0.
///
/// # Examples
/// ```
/// # use logistic_regression_solution::hessian;
/// use ndarray::array;
/// let h = hessian(array![[1.0], [1.0]].view(), array![2.0, 1.0].view(), array![0.0].view())?;
/// assert!((h[[0, 0]] - 0.75).abs() < 1e-15); // (2 + 1) · ½ · ½
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn hessian(
    x: ArrayView2<'_, f64>,
    trials: ArrayView1<'_, f64>,
    beta: ArrayView1<'_, f64>,
) -> Result<Array2<f64>, FitError> {
    // BEGIN SOLUTION
    // The response does not enter the Hessian: check with y = 0.
    let eta = linear_predictor(x, Array1::zeros(trials.len()).view(), trials, beta)?;
    let w = Array1::from_shape_fn(eta.len(), |i| {
        let mu = sigmoid(eta[i]);
        trials[i] * mu * (1.0 - mu)
    });
    weighted_gram(x, w.view())
    // STUB
    // // TODO: Check the shapes (ensure_binomial with a zero response does it), then weighted_gram with wᵢ = mᵢ μᵢ (1 − μᵢ). x = [[1], [1]], m = [2, 1], β = 0 -> [[0.75]]
    // todo!("Hessian for x {:?}, trials {:?} at beta {:?}", x.shape(), trials.shape(), beta.shape())
    // END SOLUTION
}

/// The binomial deviance of fitted probabilities `mu`: twice the log-likelihood ratio of the
/// saturated model (μᵢ = yᵢ/mᵢ) to this one, with `0 ln 0 = 0`.
///
/// ```text
/// y: (n)   trials: (n)   mu: (n), 0 < μᵢ < 1   →   D ≥ 0
/// D = 2 ∑ᵢ [ yᵢ ln(yᵢ / (mᵢ μᵢ)) + (mᵢ − yᵢ) ln((mᵢ − yᵢ) / (mᵢ (1 − μᵢ))) ]
/// ```
///
/// For 0/1 responses it is `2ℓ(β)`; for counts it is what R's `glm` prints as "Residual
/// deviance".
///
/// # Errors
/// [`FitError::EmptyInput`], [`FitError::ShapeMismatch`], [`FitError::NonFinite`] and
/// [`FitError::InvalidResponse`] as for a problem with one column.
///
/// # Examples
/// ```
/// # use logistic_regression_solution::deviance;
/// use ndarray::array;
/// // One success in two trials at μ = ½ is the saturated fit: D = 0.
/// let d = deviance(array![1.0].view(), array![2.0].view(), array![0.5].view())?;
/// assert!(d.abs() < 1e-15);
/// # Ok::<(), logistic_regression_solution::FitError>(())
/// ```
pub fn deviance(
    y: ArrayView1<'_, f64>,
    trials: ArrayView1<'_, f64>,
    mu: ArrayView1<'_, f64>,
) -> Result<f64, FitError> {
    // BEGIN SOLUTION
    let column = y.insert_axis(Axis(1));
    ensure_binomial(column, y, trials)?;
    ensure_dim("length of mu vs y", mu.len(), y.len())?;
    ensure_finite("mu", mu)?;
    // y ln(y / a), 0 when y = 0 (the limit), whatever a is.
    let term = |y: f64, a: f64| if y > 0.0 { y * (y / a).ln() } else { 0.0 };
    let total: f64 = (0..y.len())
        .map(|i| {
            let (yi, mi, m) = (y[i], trials[i], mu[i]);
            term(yi, mi * m) + term(mi - yi, mi * (1.0 - m))
        })
        .sum();
    Ok(2.0 * total)
    // STUB
    // // TODO: Check with crate::error::ensure_binomial (on y as a one-column x) and ensure_dim, then sum the two terms, taking 0 ln 0 as 0. y = [1], m = [2], μ = [½] -> 0
    // todo!("binomial deviance of y {:?}, trials {:?} and mu {:?}", y.shape(), trials.shape(), mu.shape())
    // END SOLUTION
}
