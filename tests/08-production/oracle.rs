//! The suite's own slow, obviously correct implementations, to compare the learner's against.

use ndarray::ArrayView2;

/// CRC-32 one bit at a time: the definition, with no table.
pub fn crc32_bitwise(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// The documented layout written field by field, trailer included.
pub struct Layout(pub Vec<u8>);

impl Layout {
    /// Magic and version.
    pub fn header(version: u16) -> Layout {
        let mut v = b"MLNGART\0".to_vec();
        v.extend_from_slice(&version.to_le_bytes());
        Layout(v)
    }
    /// A u32.
    pub fn u32(mut self, x: u32) -> Layout {
        self.0.extend_from_slice(&x.to_le_bytes());
        self
    }
    /// A u64.
    pub fn u64(mut self, x: u64) -> Layout {
        self.0.extend_from_slice(&x.to_le_bytes());
        self
    }
    /// An f64's bits.
    pub fn f64(mut self, x: f64) -> Layout {
        self.0.extend_from_slice(&x.to_le_bytes());
        self
    }
    /// A text: u32 length, then the bytes.
    pub fn text(self, s: &str) -> Layout {
        let mut l = self.u32(s.len() as u32);
        l.0.extend_from_slice(s.as_bytes());
        l
    }
    /// Appends the CRC-32 trailer.
    pub fn finish(self) -> Vec<u8> {
        let crc = crc32_bitwise(&self.0);
        self.u32(crc).0
    }
}

/// Nearest-rank percentile of `x` at `q` %.
pub fn nearest_rank(x: &[f64], q: f64) -> f64 {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let r = ((q / 100.0 * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[r - 1]
}

/// PSI of `current` against `baseline` in `b` bins cut at the quantiles of `cuts_from`
/// (the baseline for the right answer, the current data for the mistake).
pub fn psi_with_cuts_from(cuts_from: &[f64], baseline: &[f64], current: &[f64], b: usize) -> f64 {
    let mut s = cuts_from.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let cuts: Vec<f64> = (1..b).map(|k| s[(k * n).div_ceil(b).max(1) - 1]).collect();
    let share = |x: &[f64]| {
        let mut c = vec![0.0; b];
        for &v in x {
            c[cuts.iter().filter(|&&e| e <= v).count()] += 1.0;
        }
        c.iter()
            .map(|k| (k / x.len() as f64).max(1e-4))
            .collect::<Vec<f64>>()
    };
    let (e, a) = (share(baseline), share(current));
    e.iter().zip(&a).map(|(e, a)| (a - e) * (a / e).ln()).sum()
}

/// The exact KS p-value by memoised recursion over the lattice, a table of every (i, j).
pub fn ks_exact(n: usize, m: usize, d: f64) -> f64 {
    let h = (d * (n * m) as f64).round() as i64;
    let mut table = vec![vec![0.0f64; m + 1]; n + 1];
    for i in 0..=n {
        for j in 0..=m {
            let inside = ((i * m) as i64 - (j * n) as i64).abs() < h;
            table[i][j] = if !inside {
                0.0
            } else if i == 0 && j == 0 {
                1.0
            } else {
                (if i > 0 { table[i - 1][j] } else { 0.0 })
                    + (if j > 0 { table[i][j - 1] } else { 0.0 })
            };
        }
    }
    let mut c = 1.0;
    for k in 1..=n {
        c = c * (m + k) as f64 / k as f64;
    }
    1.0 - table[n][m] / c
}

/// The mean NLL of `softmax(logits / t)`.
pub fn nll_at(logits: ArrayView2<'_, f64>, labels: &[usize], t: f64) -> f64 {
    let mut total = 0.0;
    for (row, &y) in logits.rows().into_iter().zip(labels) {
        let m = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v / t));
        let lse = m + row.iter().map(|&v| (v / t - m).exp()).sum::<f64>().ln();
        total += lse - row[y] / t;
    }
    total / labels.len() as f64
}

/// The temperature minimising [`nll_at`], by golden-section search on ln T over [−4, 8].
pub fn temperature(logits: ArrayView2<'_, f64>, labels: &[usize]) -> f64 {
    let f = |u: f64| nll_at(logits, labels, u.exp());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (-4.0f64, 8.0f64);
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    while b - a > 1e-11 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp()
}

/// Count-weighted ECE of top-label confidences in `bins` equal bins, the last closed.
pub fn top_label_ece(probs: ArrayView2<'_, f64>, labels: &[usize], bins: usize) -> f64 {
    let mut count = vec![0.0; bins];
    let mut conf = vec![0.0; bins];
    let mut acc = vec![0.0; bins];
    for (row, &y) in probs.rows().into_iter().zip(labels) {
        let (k, p) =
            row.iter().enumerate().fold(
                (0, f64::NEG_INFINITY),
                |b, (k, &p)| if p > b.1 { (k, p) } else { b },
            );
        let m = ((p * bins as f64) as usize).min(bins - 1);
        count[m] += 1.0;
        conf[m] += p;
        acc[m] += if k == y { 1.0 } else { 0.0 };
    }
    let n = labels.len() as f64;
    (0..bins)
        .filter(|&m| count[m] > 0.0)
        .map(|m| (acc[m] - conf[m]).abs() / n)
        .sum()
}
