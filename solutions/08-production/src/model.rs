//! The model this exercise serves: the kit's two-layer perceptron for the 8×8 digits, written
//! for you. You build the platform around it, not the model.

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A two-layer perceptron: D inputs, H hidden ReLU units, K classes.
///
/// ```text
/// h = max(0, x W₁ + b₁)      x: (N, D), W₁: (D, H), b₁: (H,)   →  h: (N, H)
/// z = h W₂ + b₂              W₂: (H, K), b₂: (K,)              →  z: (N, K) logits
/// p = softmax(z) per row                                      →  p: (N, K)
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// First layer's weights, `(D, H)`.
    pub w1: Array2<f64>,
    /// First layer's biases, `(H,)`.
    pub b1: Array1<f64>,
    /// Second layer's weights, `(H, K)`.
    pub w2: Array2<f64>,
    /// Second layer's biases, `(K,)`.
    pub b2: Array1<f64>,
}

/// How [`Mlp::train`] trains: minibatch SGD with momentum on the mean cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Hidden units H. Default 32.
    pub hidden: usize,
    /// Passes over the data. Default 60.
    pub epochs: usize,
    /// Rows per minibatch. Default 32.
    pub batch: usize,
    /// Learning rate. Default 0.1.
    pub learning_rate: f64,
    /// Momentum. Default 0.9.
    pub momentum: f64,
    /// Seed of the initial weights and of the order of the rows in each epoch. Default 0.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            hidden: 32,
            epochs: 60,
            batch: 32,
            learning_rate: 0.1,
            momentum: 0.9,
            seed: 0,
        }
    }
}

impl Mlp {
    /// A network of seeded uniform Glorot weights and zero biases: `d` inputs, `h` hidden, `k`
    /// classes.
    pub fn random(d: usize, h: usize, k: usize, seed: u64) -> Mlp {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut glorot = |rows: usize, cols: usize| {
            let a = (6.0 / (rows + cols) as f64).sqrt();
            Array2::from_shape_fn((rows, cols), |_| rng.random_range(-a..a))
        };
        Mlp {
            w1: glorot(d, h),
            b1: Array1::zeros(h),
            w2: glorot(h, k),
            b2: Array1::zeros(k),
        }
    }

    /// Input width D.
    pub fn inputs(&self) -> usize {
        self.w1.nrows()
    }

    /// Number of classes K.
    pub fn classes(&self) -> usize {
        self.w2.ncols()
    }

    /// The logits `z: (N, K)` of `x: (N, D)`.
    ///
    /// # Panics
    ///
    /// When `x` does not have D columns.
    #[track_caller]
    pub fn logits(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        assert_eq!(
            x.ncols(),
            self.inputs(),
            "x has {} columns, the model takes {}",
            x.ncols(),
            self.inputs()
        );
        // Both layers run on row-major slices through `gemm_acc` (below), a small matrix
        // product written for these shapes; each output row starts as its bias.
        let (n, d, h, k) = (x.nrows(), self.inputs(), self.w1.ncols(), self.classes());
        let x = x.as_standard_layout();
        let x = x.as_slice().expect("standard layout");
        let mut hidden = rows_of(&self.b1, n);
        gemm_acc(x, &row_major(&self.w1), &mut hidden, n, d, h);
        hidden.iter_mut().for_each(|v| *v = v.max(0.0));
        let mut z = rows_of(&self.b2, n);
        gemm_acc(&hidden, &row_major(&self.w2), &mut z, n, h, k);
        Array2::from_shape_vec((n, k), z).expect("N × K logits")
    }

    /// The class probabilities `p: (N, K)` of `x: (N, D)`, each row summing to 1.
    ///
    /// # Panics
    ///
    /// When `x` does not have D columns.
    #[track_caller]
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        softmax(self.logits(x).view(), 1.0)
    }

    /// Trains a network on `x: (N, D)` and `labels: (N,)` in `0..k`, deterministic for a seed.
    ///
    /// # Panics
    ///
    /// When `labels` does not have N entries, or one is not below `k`.
    #[track_caller]
    pub fn train(x: ArrayView2<'_, f64>, labels: &[usize], k: usize, config: &TrainConfig) -> Mlp {
        assert_eq!(labels.len(), x.nrows(), "one label per row of x");
        assert!(labels.iter().all(|&y| y < k), "labels must be below {k}");
        let mut net = Mlp::random(x.ncols(), config.hidden, k, config.seed);
        let mut velocity = Mlp {
            w1: Array2::zeros(net.w1.raw_dim()),
            b1: Array1::zeros(net.b1.raw_dim()),
            w2: Array2::zeros(net.w2.raw_dim()),
            b2: Array1::zeros(net.b2.raw_dim()),
        };
        let mut rng = StdRng::seed_from_u64(config.seed.wrapping_add(1));
        let mut order: Vec<usize> = (0..x.nrows()).collect();
        for _ in 0..config.epochs {
            for i in (1..order.len()).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            for chunk in order.chunks(config.batch.max(1)) {
                let xb = x.select(Axis(0), chunk);
                let h = (xb.dot(&net.w1) + &net.b1).mapv(|v| v.max(0.0));
                let mut dz = softmax((h.dot(&net.w2) + &net.b2).view(), 1.0);
                for (r, &i) in chunk.iter().enumerate() {
                    dz[[r, labels[i]]] -= 1.0;
                }
                dz /= chunk.len() as f64;
                let dw2 = h.t().dot(&dz);
                let db2 = dz.sum_axis(Axis(0));
                let mut dh = dz.dot(&net.w2.t());
                dh.zip_mut_with(&h, |g, &a| {
                    if a <= 0.0 {
                        *g = 0.0;
                    }
                });
                let dw1 = xb.t().dot(&dh);
                let db1 = dh.sum_axis(Axis(0));
                let (lr, mu) = (config.learning_rate, config.momentum);
                velocity.w1 = &velocity.w1 * mu - &dw1 * lr;
                velocity.b1 = &velocity.b1 * mu - &db1 * lr;
                velocity.w2 = &velocity.w2 * mu - &dw2 * lr;
                velocity.b2 = &velocity.b2 * mu - &db2 * lr;
                net.w1 += &velocity.w1;
                net.b1 += &velocity.b1;
                net.w2 += &velocity.w2;
                net.b2 += &velocity.b2;
            }
        }
        net
    }
}

/// Rows of a block of `c` that [`gemm_acc`] computes at once.
const MR: usize = 4;
/// Columns of a block of `c`: the MR × NR sums fit in 8 SSE2 registers of 2 lanes.
const NR: usize = 4;

/// `c += a · b` for row-major `a: (m, k)`, `b: (k, n)` and `c: (m, n)`.
///
/// Written for the model's small shapes, where a general product spends more time packing its
/// operands than multiplying. `c` is computed in blocks of MR × NR whose sums stay in registers
/// for the whole sum over p; each step of it loads MR values of `a` and NR contiguous values of
/// `b` for MR · NR multiply-adds, the loop over the NR columns vectorising. The MR rows of `a`
/// are first copied side by side, each value repeated NR times (`panel[p][r] = [a[i + r, p];
/// NR]`), so that `a`'s value is read as a vector just like `b`'s row (baseline x86-64 has no
/// instruction that loads one value into every lane). Columns past the last whole block are
/// summed one at a time, MR rows together.
#[track_caller]
fn gemm_acc(a: &[f64], b: &[f64], c: &mut [f64], m: usize, k: usize, n: usize) {
    assert_eq!(a.len(), m * k, "a is not {m} × {k}");
    assert_eq!(b.len(), k * n, "b is not {k} × {n}");
    assert_eq!(c.len(), m * n, "c is not {m} × {n}");
    if n == 0 || k == 0 {
        return;
    }
    let whole = n - n % NR;
    let mut panel = vec![[[0.0; NR]; MR]; k];
    for (a_rows, out) in a.chunks(MR * k).zip(c.chunks_mut(MR * n)) {
        // Rows past the end of `a` stay zero: they add nothing and are not stored.
        panel.iter_mut().for_each(|lanes| *lanes = [[0.0; NR]; MR]);
        for (r, a_row) in a_rows.chunks_exact(k).enumerate() {
            for (lanes, &v) in panel.iter_mut().zip(a_row) {
                lanes[r] = [v; NR];
            }
        }
        for j in (0..whole).step_by(NR) {
            let mut sums = [[0.0; NR]; MR];
            for (lanes, b_row) in panel.iter().zip(b.chunks_exact(n)) {
                let b_block: &[f64; NR] = b_row[j..j + NR].try_into().expect("NR columns");
                for (sum, a_value) in sums.iter_mut().zip(lanes) {
                    for ((s, &a_value), &b_value) in sum.iter_mut().zip(a_value).zip(b_block) {
                        *s += a_value * b_value;
                    }
                }
            }
            for (out_row, sum) in out.chunks_exact_mut(n).zip(&sums) {
                for (o, s) in out_row[j..j + NR].iter_mut().zip(sum) {
                    *o += s;
                }
            }
        }
        for j in whole..n {
            let mut sums = [0.0; MR];
            for (lanes, b_row) in panel.iter().zip(b.chunks_exact(n)) {
                for (s, a_value) in sums.iter_mut().zip(lanes) {
                    *s += a_value[0] * b_row[j];
                }
            }
            for (out_row, s) in out.chunks_exact_mut(n).zip(sums) {
                out_row[j] += s;
            }
        }
    }
}

/// The values of `a` in row-major order: borrowed when `a` is laid out so, copied otherwise.
fn row_major(a: &Array2<f64>) -> std::borrow::Cow<'_, [f64]> {
    match a.as_slice() {
        Some(values) => std::borrow::Cow::Borrowed(values),
        None => std::borrow::Cow::Owned(a.iter().copied().collect()),
    }
}

/// `rows` copies of `v` one after the other: a (rows, len) matrix whose every row is `v`.
fn rows_of(v: &Array1<f64>, rows: usize) -> Vec<f64> {
    let v = v.to_vec();
    let mut out = Vec::with_capacity(rows * v.len());
    for _ in 0..rows {
        out.extend_from_slice(&v);
    }
    out
}

/// Row-wise softmax of `logits / temperature`: `(N, K)` → `(N, K)`, each row summing to 1.
/// Subtracts each row's maximum first, so no exponent overflows.
pub fn softmax(logits: ArrayView2<'_, f64>, temperature: f64) -> Array2<f64> {
    let mut p = logits.mapv(|v| v / temperature);
    for mut row in p.rows_mut() {
        let m = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - m).exp());
        let total = row.sum();
        row /= total;
    }
    p
}
