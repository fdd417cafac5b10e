//! Step 5: exercise 02's multi-layer perceptron, its loss recorded on the tape and its gradients
//! left to [`Tape::backward`].

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::{SeedableRng, rngs::StdRng};
use rand_distr::{Distribution, Normal};

use crate::error::{AdError, ensure_dim};
use crate::optim::OptimiserState;
use crate::tape::{Tape, Var};

/// One dense layer's weights `W: (D, H)` and bias `b: (H)` as plain arrays, off the tape.
pub type LayerArrays = (Array2<f64>, Array1<f64>);

/// One dense layer's parameters on a tape: `w: (D, H)` and the bias `b: (1, H)`, a row that
/// broadcasts over the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layer {
    /// The weights, `(D, H)`.
    pub w: Var,
    /// The bias, `(1, H)`.
    pub b: Var,
}

/// Exercise 02's network: dense layers with ReLU after every one but the last, whose outputs are
/// the class scores, and the loss
///
/// ```text
/// L = −(1/N) ∑ᵢ log softmax(scoresᵢ)_yᵢ + λ ∑ₗ ∑ Wₗ²         (biases not regularised)
/// ```
///
/// Its parameters live on a [`Tape`]; the network holds their handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mlp {
    /// The layers, input first.
    pub layers: Vec<Layer>,
}

impl Mlp {
    /// A network whose layers have the weights `w: (D, H)` and biases `b: (H)` of `layers`,
    /// input first, recorded as parameters of `tape`.
    ///
    /// # Errors
    /// [`AdError::InvalidSetting`] with no layer, or when the tape already holds operations;
    /// [`AdError::ShapeMismatch`] when consecutive layers do not fit or a bias is not `H` long.
    pub fn new(tape: &mut Tape, layers: &[LayerArrays]) -> Result<Mlp, AdError> {
        if layers.is_empty() {
            return Err(AdError::InvalidSetting(
                "a network with no layers".to_owned(),
            ));
        }
        for pair in layers.windows(2) {
            ensure_dim(
                "columns of a layer's weights vs rows of the next one's",
                pair[0].0.ncols(),
                pair[1].0.nrows(),
            )?;
        }
        let layers = layers
            .iter()
            .map(|(w, b)| {
                ensure_dim(
                    "length of a bias vs columns of its weights",
                    b.len(),
                    w.ncols(),
                )?;
                Ok(Layer {
                    w: tape.parameter(w.clone())?,
                    b: tape.parameter(b.clone().insert_axis(Axis(0)))?,
                })
            })
            .collect::<Result<Vec<_>, AdError>>()?;
        Ok(Mlp { layers })
    }

    /// A network with layer sizes `sizes` (`[D, H₁, …, C]`), He-initialised weights
    /// `𝒩(0, 2 / fan_in)` drawn row by row, layer by layer from one generator seeded with `seed`,
    /// and zero biases.
    ///
    /// # Errors
    /// [`AdError::InvalidSetting`] with fewer than two sizes or a size of 0; the errors of
    /// [`new`](Self::new).
    pub fn random(tape: &mut Tape, sizes: &[usize], seed: u64) -> Result<Mlp, AdError> {
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(AdError::InvalidSetting(format!(
                "layer sizes {sizes:?}: need an input and an output size, none of them 0"
            )));
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let layers: Vec<_> = sizes
            .windows(2)
            .map(|pair| {
                let normal = Normal::new(0.0, (2.0 / pair[0] as f64).sqrt())
                    .expect("a finite, positive standard deviation");
                let w =
                    Array2::from_shape_simple_fn((pair[0], pair[1]), || normal.sample(&mut rng));
                (w, Array1::zeros(pair[1]))
            })
            .collect();
        Mlp::new(tape, &layers)
    }

    /// Every parameter's handle: each layer's `w` then `b`, input first.
    pub fn parameters(&self) -> Vec<Var> {
        self.layers.iter().flat_map(|l| [l.w, l.b]).collect()
    }

    /// Every layer's gradients on `tape` after a backward pass, as `(dW: (D, H), db: (H))`,
    /// input first.
    ///
    /// # Errors
    /// [`AdError::ForeignNode`] when the network's parameters are not on `tape`.
    pub fn gradients(&self, tape: &Tape) -> Result<Vec<LayerArrays>, AdError> {
        self.layers
            .iter()
            .map(|l| {
                let db = tape.grad(l.b)?.row(0).to_owned();
                Ok((tape.grad(l.w)?.to_owned(), db))
            })
            .collect()
    }

    /// Records the loss of the batch `x: (N, D)` with `labels: (N)` at L2 strength `reg` on
    /// `tape` and returns its `(1, 1)` node; nothing is computed backwards yet.
    ///
    /// ```text
    /// h₀ = x;  hₗ = relu(hₗ₋₁ · Wₗ + bₗ) for every layer but the last
    /// scores = h_{L−1} · W_L + b_L
    /// L = softmax_cross_entropy(scores, labels) + reg · ∑ₗ ∑ Wₗ ⊙ Wₗ
    /// ```
    ///
    /// [`Tape::sum_of_squares`] records `∑ Wₗ ⊙ Wₗ` as one node.
    ///
    /// # Errors
    /// [`AdError::ShapeMismatch`] when `x` does not have `D` columns or there is not one label per
    /// sample; the errors of the tape's operations.
    pub fn loss(
        &self,
        tape: &mut Tape,
        x: ArrayView2<'_, f64>,
        labels: &[usize],
        reg: f64,
    ) -> Result<Var, AdError> {
        // TODO: Record x as an input, then each layer (matmul, add, relu but after the last), the
        // softmax cross-entropy, and reg · tape.sum_of_squares(W) of every layer added to it.
        todo!(
            "loss of {} layers on x {:?} with {} labels at reg {reg}, on a tape of {} nodes",
            self.layers.len(),
            x.shape(),
            labels.len(),
            tape.len()
        )
    }

    /// One training step on the batch `x: (N, D)` with `labels`: clears the previous step's
    /// graph ([`Tape::reset`]) and gradients ([`Tape::zero_grad`]), records the
    /// [`loss`](Self::loss), runs [`Tape::backward`] and updates every parameter with `state`.
    /// Returns the loss before the update.
    ///
    /// The tape holds the same number of nodes after every step: the parameters and one step's
    /// graph.
    ///
    /// # Errors
    /// The errors of [`loss`](Self::loss), [`Tape::backward`] and [`OptimiserState::update`].
    pub fn train_step(
        &self,
        tape: &mut Tape,
        state: &mut OptimiserState,
        x: ArrayView2<'_, f64>,
        labels: &[usize],
        reg: f64,
    ) -> Result<f64, AdError> {
        // TODO: Reset the tape, zero the gradients, record the loss, run backward, update, and
        // return the loss's value.
        todo!(
            "one {:?} step of {} layers on x {:?} with {} labels at reg {reg}, tape of {} nodes",
            state.optimiser,
            self.layers.len(),
            x.shape(),
            labels.len(),
            tape.len()
        )
    }
}
