//! Step 6: drift statistics: the population stability index and the two-sample
//! Kolmogorov–Smirnov test.

use crate::error::StatsError;

/// The floor of every proportion in [`psi`]: an empty bin counts as 10⁻⁴ of the samples, so
/// its term stays finite.
pub const PSI_EPSILON: f64 = 1e-4;

/// The population stability index of proportions `actual` against `expected` (same bins),
/// each proportion floored at [`PSI_EPSILON`].
///
/// ```text
/// PSI = Σᵢ (aᵢ − eᵢ) · ln(aᵢ / eᵢ),   eᵢ ← max(eᵢ, ε), aᵢ ← max(aᵢ, ε)
/// e = (0.2, 0.5, 0.3), a = (0.1, 0.6, 0.3)  →  0.08754687373538998
/// ```
///
/// By convention < 0.1 is stable, 0.1–0.25 a moderate shift, > 0.25 a major one.
///
/// # Errors
///
/// [`StatsError::Empty`]; [`StatsError::LengthMismatch`]; [`StatsError::OutOfRange`] for a
/// proportion outside [0, 1].
pub fn psi(expected: &[f64], actual: &[f64]) -> Result<f64, StatsError> {
    // TODO: Floor both proportions at PSI_EPSILON, then sum (a − e)·ln(a/e). (.2,.5,.3) vs (.1,.6,.3) -> 0.0875
    todo!(
        "PSI of {} proportions against {}",
        actual.len(),
        expected.len()
    )
}

/// The B − 1 cut points of B bins holding equal shares of `baseline`: cut k (k = 1 … B − 1) is
/// the baseline's nearest-rank percentile at 100·k/B, the sorted baseline's value of rank
/// ⌈k·n/B⌉.
///
/// ```text
/// baseline 1, 2, …, 10, B = 4  →  ranks 3, 5, 8  →  cuts [3, 5, 8]
/// ```
///
/// # Errors
///
/// [`StatsError::Empty`]; [`StatsError::OutOfRange`] for `n_bins` = 0 or a NaN sample.
pub fn quantile_edges(baseline: &[f64], n_bins: usize) -> Result<Vec<f64>, StatsError> {
    // TODO: Sort the baseline and take the values of rank ⌈k·n/B⌉, k = 1 … B − 1. 1..=10, B = 4 -> [3, 5, 8]
    todo!(
        "{n_bins} quantile bins of a baseline of {} samples",
        baseline.len()
    )
}

/// The share of `values` in each of the `edges.len() + 1` bins cut at `edges`: bin 0 is
/// x < c₁, bin k is c_k ≤ x < c_{k+1}, the last bin x ≥ c_{B−1}.
///
/// ```text
/// cuts [3, 5, 8], values 1, 2, …, 10  →  [0.2, 0.2, 0.3, 0.3]
/// ```
pub fn bin_proportions(values: &[f64], edges: &[f64]) -> Vec<f64> {
    let mut counts = vec![0usize; edges.len() + 1];
    for &x in values {
        counts[edges.partition_point(|&c| c <= x)] += 1;
    }
    let n = values.len().max(1) as f64;
    counts.into_iter().map(|c| c as f64 / n).collect()
}

/// The PSI of `current` against `baseline` in `n_bins` bins cut at the **baseline's**
/// quantiles ([`quantile_edges`]), proportions by [`bin_proportions`]: the bins are the
/// reference's, fixed when the model ships, and never recomputed on the data being watched.
///
/// # Errors
///
/// As [`quantile_edges`] (for either sample).
pub fn psi_samples(baseline: &[f64], current: &[f64], n_bins: usize) -> Result<f64, StatsError> {
    // TODO: Cut bins at the baseline's quantiles, take both samples' proportions, return their PSI.
    todo!(
        "PSI of {} current samples against {} baseline samples in {n_bins} bins",
        current.len(),
        baseline.len()
    )
}

/// The two-sample Kolmogorov–Smirnov statistic: the largest gap between the two empirical
/// distribution functions, evaluated after **all** samples equal to a value (ties in both
/// samples step together).
///
/// ```text
/// D = maxₓ |Fₐ(x) − F_b(x)|,   Fₐ(x) = #{aᵢ ≤ x} / n
/// a = 1, …, 10, b = 6, …, 15  →  D = 0.5
/// ```
///
/// # Errors
///
/// [`StatsError::Empty`]; [`StatsError::OutOfRange`] for a NaN sample.
pub fn ks_statistic(a: &[f64], b: &[f64]) -> Result<f64, StatsError> {
    // TODO: Sort both, walk the merged values stepping past every tie, keep the largest |Fa − Fb|. 1..10 vs 6..15 -> 0.5
    todo!("KS statistic of {} and {} samples", a.len(), b.len())
}

/// The exact two-sided p-value P(D ≥ d) of the two-sample KS statistic for sample sizes n and
/// m under the null hypothesis (no ties): one minus the share of the C(n+m, n) monotone lattice
/// paths from (0, 0) to (n, m) that stay strictly inside the band |i/n − j/m| < d.
///
/// ```text
/// count paths with |i·m − j·n| < h,  h = round(d·n·m),  p = 1 − paths / C(n+m, n)
/// n = m = 10, d = 0.5  →  1 − 153750/184756 = 0.16782134274394334
/// ```
pub fn ks_exact_pvalue(n: usize, m: usize, d: f64) -> f64 {
    // TODO: Count lattice paths (0,0)→(n,m) with |i·m − j·n| < round(d·n·m); p = 1 − paths / C(n+m, n).
    todo!("exact KS p-value for n = {n}, m = {m}, d = {d}")
}

/// The asymptotic two-sided p-value of the two-sample KS statistic, as scipy's
/// `ks_2samp(method="asymp")` computes it: the one-sample Kolmogorov distribution at the
/// effective size nₑ = round(n·m/(n + m)), exact by the Marsaglia–Tsang–Wang matrix power for
/// nₑ ≤ 140, and for larger nₑ the limiting distribution at d·(√nₑ + 0.12 + 0.11/√nₑ)
/// (Stephens' correction). Right for large samples, wrong for small ones:
///
/// ```text
/// n = m = 10, d = 0.5  →  0.112, where the exact p-value is 0.168
/// ```
pub fn ks_asymptotic_pvalue(n: usize, m: usize, d: f64) -> f64 {
    if n == 0 || m == 0 || d <= 0.0 {
        return 1.0;
    }
    if d >= 1.0 {
        return 0.0;
    }
    let en = (n as f64 * m as f64 / (n + m) as f64).round().max(1.0);
    // Beyond nₑd² = 18 the p-value is below 10⁻¹⁵ and the limit is as good as exact.
    if en <= 140.0 && en * d * d <= 18.0 {
        (1.0 - kolmogorov_cdf(en as usize, d)).clamp(0.0, 1.0)
    } else {
        let s = en.sqrt();
        kolmogorov_limit_sf(d * (s + 0.12 + 0.11 / s))
    }
}

/// P(Dₙ < d) for the one-sample statistic, by Marsaglia, Tsang and Wang (2003), "Evaluating
/// Kolmogorov's distribution", J. Stat. Software 8(18).
fn kolmogorov_cdf(n: usize, d: f64) -> f64 {
    let nd = n as f64 * d;
    let k = nd.floor() as usize + 1;
    let m = 2 * k - 1;
    let h = k as f64 - nd;
    let mut hm = vec![vec![0.0f64; m]; m];
    for (i, row) in hm.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = if i + 1 >= j { 1.0 } else { 0.0 };
        }
    }
    for (i, row) in hm.iter_mut().enumerate() {
        row[0] -= h.powi(i as i32 + 1);
    }
    for (i, v) in hm[m - 1].iter_mut().enumerate() {
        *v -= h.powi((m - i) as i32);
    }
    if 2.0 * h - 1.0 > 0.0 {
        hm[m - 1][0] += (2.0 * h - 1.0).powi(m as i32);
    }
    for (i, row) in hm.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            if i + 1 > j {
                for g in 1..=(i + 1 - j) {
                    *v /= g as f64;
                }
            }
        }
    }
    let multiply = |a: &[Vec<f64>], b: &[Vec<f64>]| {
        let mut c = vec![vec![0.0; m]; m];
        for i in 0..m {
            for l in 0..m {
                for j in 0..m {
                    c[i][j] += a[i][l] * b[l][j];
                }
            }
        }
        c
    };
    let mut power = vec![vec![0.0; m]; m];
    for (i, row) in power.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let (mut base, mut e) = (hm, n);
    while e > 0 {
        if e & 1 == 1 {
            power = multiply(&power, &base);
        }
        e >>= 1;
        if e > 0 {
            base = multiply(&base, &base);
        }
    }
    let mut s = power[k - 1][k - 1];
    for i in 1..=n {
        s *= i as f64 / n as f64;
    }
    s
}

/// P(K > λ) for Kolmogorov's limiting distribution.
fn kolmogorov_limit_sf(lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    if lambda < 1.0 {
        // The series in e^{−π²/(8λ²)} converges fast for small λ.
        let c = std::f64::consts::PI.powi(2) / (8.0 * lambda * lambda);
        let cdf: f64 = (1..=20)
            .map(|k| (-((2 * k - 1) as f64).powi(2) * c).exp())
            .sum::<f64>()
            * (2.0 * std::f64::consts::PI).sqrt()
            / lambda;
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    let sf: f64 = (1..=100)
        .map(|k| {
            let sign = if k % 2 == 1 { 1.0 } else { -1.0 };
            sign * (-2.0 * (k * k) as f64 * lambda * lambda).exp()
        })
        .sum::<f64>()
        * 2.0;
    sf.clamp(0.0, 1.0)
}

/// The result of [`ks_test`].
#[derive(Clone, Debug, PartialEq)]
pub struct KsTest {
    /// D, from [`ks_statistic`].
    pub statistic: f64,
    /// The two-sided p-value.
    pub p_value: f64,
    /// Whether it is [`ks_exact_pvalue`]'s (else [`ks_asymptotic_pvalue`]'s).
    pub exact: bool,
}

/// The largest n·m for which [`ks_test`] computes the exact p-value.
pub const KS_EXACT_MAX_PRODUCT: usize = 10_000;

/// The two-sample KS test of `a` and `b`: D and its p-value, exact when n·m ≤
/// [`KS_EXACT_MAX_PRODUCT`] (small samples, where the asymptotic one is badly off), asymptotic
/// beyond (where the exact count would cost n·m steps for no visible gain).
///
/// # Errors
///
/// As [`ks_statistic`].
pub fn ks_test(a: &[f64], b: &[f64]) -> Result<KsTest, StatsError> {
    // TODO: D from ks_statistic; the exact p-value when n·m ≤ KS_EXACT_MAX_PRODUCT, else the asymptotic one.
    todo!("KS test of {} and {} samples", a.len(), b.len())
}
