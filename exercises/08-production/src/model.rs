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
        // ndarray's products (matrixmultiply's kernels, picked for the CPU at run time), each
        // into a fresh array; the bias and ReLU then run in place in one pass over h, with no
        // temporary array for `x W₁ + b₁` of its own.
        let mut h = x.dot(&self.w1);
        h.zip_mut_with(&self.b1, |v, &b| *v = (*v + b).max(0.0));
        let mut z = h.dot(&self.w2);
        z += &self.b2;
        z
    }

    /// The class probabilities `p: (N, K)` of `x: (N, D)`, each row summing to 1.
    ///
    /// # Panics
    ///
    /// When `x` does not have D columns.
    #[track_caller]
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        // The logits are a fresh array of our own: the probabilities overwrite them.
        softmax_owned(self.logits(x), 1.0)
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

/// Row-wise softmax of `logits / temperature`: `(N, K)` → `(N, K)`, each row summing to 1.
/// Subtracts each row's maximum first, so no exponent overflows.
pub fn softmax(logits: ArrayView2<'_, f64>, temperature: f64) -> Array2<f64> {
    softmax_owned(logits.to_owned(), temperature)
}

/// [`softmax`] written over the logits handed over, so the probabilities need no array of
/// their own. In standard (row-major) layout a row is one contiguous slice, and each pass over
/// it (the division by T when T ≠ 1, the maximum, the exponentials in place, their sum, the
/// division by it) is a plain loop over a slice: no iterator of ndarray's per row.
fn softmax_owned(mut p: Array2<f64>, temperature: f64) -> Array2<f64> {
    if !p.is_standard_layout() {
        p = p.as_standard_layout().into_owned();
    }
    let k = p.ncols();
    if let (Some(values), true) = (p.as_slice_mut(), k > 0) {
        for row in values.chunks_exact_mut(k) {
            if temperature != 1.0 {
                for v in row.iter_mut() {
                    *v /= temperature;
                }
            }
            let m = row.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            for v in row.iter_mut() {
                *v = (*v - m).exp();
            }
            let total: f64 = row.iter().sum();
            for v in row.iter_mut() {
                *v /= total;
            }
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forward pass as the formulas read, array by array.
    fn plain_proba(net: &Mlp, x: ArrayView2<'_, f64>, temperature: f64) -> Array2<f64> {
        let h = (x.dot(&net.w1) + &net.b1).mapv(|v| v.max(0.0));
        let z = (h.dot(&net.w2) + &net.b2) / temperature;
        let mut p = z.clone();
        for (mut row, zr) in p.rows_mut().into_iter().zip(z.rows()) {
            let m = zr.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            row.assign(&zr.mapv(|v| (v - m).exp()));
            let total = row.sum();
            row /= total;
        }
        p
    }

    fn worst_gap(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
        assert_eq!(a.shape(), b.shape());
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn forward_pass_matches_the_formulas_in_any_layout() {
        let mut net = Mlp::random(6, 5, 4, 1);
        net.b1 = Array1::from_vec(vec![0.3, -0.2, 0.1, -0.4, 0.05]);
        net.b2 = Array1::from_vec(vec![-0.1, 0.2, 0.0, 0.7]);
        let mut rng = StdRng::seed_from_u64(2);
        let x = Array2::from_shape_fn((7, 6), |_| rng.random_range(-1.0..1.0));
        let expected = plain_proba(&net, x.view(), 1.0);
        assert!(worst_gap(&net.predict_proba(x.view()), &expected) < 1e-15);
        // Column-major inputs and weights give column-major products: the same probabilities.
        let xf = x.t().as_standard_layout().t().to_owned();
        let mut net_f = net.clone();
        net_f.w1 = net.w1.t().as_standard_layout().t().to_owned();
        net_f.w2 = net.w2.t().as_standard_layout().t().to_owned();
        assert!(!xf.is_standard_layout() && !net_f.w2.is_standard_layout());
        assert!(worst_gap(&net_f.predict_proba(xf.view()), &expected) < 1e-15);
        let z = net.logits(x.view());
        let hot = plain_proba(&net, x.view(), 0.5);
        assert!(worst_gap(&softmax(z.t().t(), 0.5), &hot) < 1e-15);
        assert!(worst_gap(&softmax(z.reversed_axes().t(), 0.5), &hot) < 1e-15);
        assert_eq!(
            net.predict_proba(x.slice(ndarray::s![..0, ..])).shape(),
            [0, 4]
        );
        assert_eq!(softmax(Array2::zeros((3, 0)).view(), 1.0).shape(), [3, 0]);
    }
}
