//! Step 5: the multi-layer perceptron, a stack of dense layers with an activation between them.

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::{SeedableRng, rngs::StdRng};

use crate::activation::Activation;
use crate::dense::{Dense, Gradient};
use crate::error::{NnError, ensure_dim};
use crate::init::{Init, init_weights};
// BEGIN SOLUTION
use crate::dense::{dense_backward, dense_forward};
use crate::error::{ensure_labels, ensure_nonempty};
use crate::loss::{l2_penalty, softmax_cross_entropy};
// END SOLUTION

/// A multi-layer perceptron: dense layers with `activation` after every one but the last, whose
/// output are the class scores (logits).
///
/// ```text
/// h₀ = x                                   x: (N, D)
/// zₗ = hₗ₋₁ · Wₗ + bₗ,  hₗ = f(zₗ)         for l = 1 … L − 1
/// scores = h_{L−1} · W_L + b_L             scores: (N, C)
/// loss = mean softmax cross-entropy(scores, y) + λ ∑ₗ ∑ Wₗ²
/// ```
///
/// The toy net of CS231n is `Mlp { layers: vec![Dense { w: w1, b: b1 }, Dense { w: w2, b: b2 }],
/// activation: Activation::Relu }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// The dense layers, input first; layer `l` maps `layers[l].w.nrows()` to `.ncols()` units.
    pub layers: Vec<Dense>,
    /// The activation applied after every layer but the last.
    pub activation: Activation,
}

impl Mlp {
    /// A network with layer sizes `sizes` (`[D, H₁, …, C]`), weights from `init` seeded with
    /// `seed` (layer by layer, input first, one generator), biases 0.
    ///
    /// # Errors
    /// [`NnError::InvalidSetting`] with fewer than two sizes or a size of 0.
    pub fn new(
        sizes: &[usize],
        activation: Activation,
        init: Init,
        seed: u64,
    ) -> Result<Mlp, NnError> {
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(NnError::InvalidSetting(format!(
                "layer sizes {sizes:?}: need at least an input and an output size, none of them 0"
            )));
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let layers = sizes
            .windows(2)
            .map(|pair| Dense {
                w: init_weights(init, pair[0], pair[1], &mut rng),
                b: Array1::zeros(pair[1]),
            })
            .collect();
        Ok(Mlp { layers, activation })
    }

    /// The number of input features `D`.
    pub fn inputs(&self) -> usize {
        self.layers.first().map_or(0, |l| l.w.nrows())
    }

    /// The number of classes `C`.
    pub fn classes(&self) -> usize {
        self.layers.last().map_or(0, |l| l.w.ncols())
    }

    /// The class scores (logits) of a batch `x: (N, D)`, shape `(N, C)`.
    ///
    /// # Errors
    /// [`NnError::InvalidSetting`] for a network with no layers; the errors of
    /// [`dense_forward`](crate::dense_forward) (empty batch, `x` without `D` columns).
    pub fn forward(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>, NnError> {
        // BEGIN SOLUTION
        self.ensure_layers()?;
        let (last, hidden) = self.layers.split_last().expect("at least one layer");
        let mut h = x.to_owned();
        for layer in hidden {
            let z = dense_forward(h.view(), layer.w.view(), layer.b.view())?;
            h = self.activation.forward(z.view());
        }
        dense_forward(h.view(), last.w.view(), last.b.view())
        // STUB
        // // TODO: Check ensure_layers, run x through every layer, the activation after all but the last. Use dense_forward.
        // todo!(
        //     "scores of x {:?} through {} layers",
        //     x.shape(),
        //     self.layers.len()
        // )
        // END SOLUTION
    }

    /// The loss of a batch `x: (N, D)` with `labels: (N)` and the gradient of the loss with
    /// respect to every layer's parameters, `gradients[l]` shaped like `layers[l]`.
    ///
    /// ```text
    /// L = −(1/N) ∑ᵢ log softmax(scoresᵢ)_yᵢ + λ ∑ₗ ∑ Wₗ²
    /// ∂L/∂Wₗ = hₗ₋₁ᵀ · δₗ + 2λ Wₗ       ∂L/∂bₗ = ∑ᵢ δₗ,ᵢ
    /// δ_L = ∂L/∂scores,   δₗ = (δₗ₊₁ · Wₗ₊₁ᵀ) ⊙ f′(zₗ)
    /// ```
    ///
    /// Keep the input `hₗ₋₁` and pre-activation `zₗ` of every layer from the forward pass; the
    /// backward pass goes from the last layer to the first. Nothing is updated here.
    ///
    /// # Errors
    /// [`NnError::InvalidSetting`] for a network with no layers; [`NnError::EmptyBatch`],
    /// [`NnError::ShapeMismatch`] and [`NnError::LabelOutOfRange`] for bad inputs.
    pub fn loss_and_gradients(
        &self,
        x: ArrayView2<'_, f64>,
        labels: &[usize],
        reg: f64,
    ) -> Result<(f64, Vec<Gradient>), NnError> {
        // BEGIN SOLUTION
        self.ensure_layers()?;
        ensure_nonempty("x", x)?;
        ensure_dim(
            "columns of x vs inputs of the network",
            x.ncols(),
            self.inputs(),
        )?;
        ensure_labels(labels, x.nrows(), self.classes())?;
        // Forward, keeping every layer's input h and every hidden pre-activation z.
        let mut inputs = vec![x.to_owned()];
        let mut pre_activations = Vec::new();
        for (l, layer) in self.layers.iter().enumerate() {
            let z = dense_forward(inputs[l].view(), layer.w.view(), layer.b.view())?;
            if l + 1 == self.layers.len() {
                inputs.push(z);
            } else {
                inputs.push(self.activation.forward(z.view()));
                pre_activations.push(z);
            }
        }
        let scores = inputs.pop().expect("the scores");
        let (data_loss, mut delta) = softmax_cross_entropy(scores.view(), labels)?;
        let reg_loss: f64 = self
            .layers
            .iter()
            .map(|l| l2_penalty(reg, l.w.view()))
            .sum();
        // Backward, last layer first; the input's own gradient is never needed.
        let mut gradients = Vec::with_capacity(self.layers.len());
        for (l, layer) in self.layers.iter().enumerate().rev() {
            let (dh, mut grad) = if l == 0 {
                let grad = Gradient {
                    dw: inputs[0].t().dot(&delta),
                    db: delta.sum_axis(Axis(0)),
                };
                (None, grad)
            } else {
                let (dh, grad) = dense_backward(delta.view(), inputs[l].view(), layer.w.view())?;
                (Some(dh), grad)
            };
            // + l2_gradient(reg, W) = 2λW, added in place.
            grad.dw.scaled_add(2.0 * reg, &layer.w);
            gradients.push(grad);
            if let Some(dh) = dh {
                delta = self
                    .activation
                    .backward(dh.view(), pre_activations[l - 1].view())?;
            }
        }
        gradients.reverse();
        Ok((data_loss + reg_loss, gradients))
        // STUB
        // // TODO: Validate, run forward keeping each layer's input and pre-activation, take the loss
        // // (softmax_cross_entropy + l2_penalty per weight), then backward from the last layer to the first.
        // todo!(
        //     "loss and gradients of {} layers on x {:?} with {} labels at reg {reg}",
        //     self.layers.len(),
        //     x.shape(),
        //     labels.len()
        // )
        // END SOLUTION
    }

    /// The predicted class of every sample of `x: (N, D)`: the index of its largest score
    /// (ties go to the smaller index).
    ///
    /// # Errors
    /// The errors of [`forward`](Self::forward).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Vec<usize>, NnError> {
        if x.nrows() == 0 {
            self.forward(x)?;
        }
        let mut predicted = Vec::with_capacity(x.nrows());
        // In chunks of 64 samples: the activations (64 × H values) stay in cache and below the
        // allocator's threshold for fresh pages from the system, which one pass over thousands of
        // samples would fault in on every call.
        for chunk in x.axis_chunks_iter(Axis(0), 64) {
            let scores = self.forward(chunk)?;
            predicted.extend(scores.rows().into_iter().map(|row| argmax(&row)));
        }
        Ok(predicted)
    }

    /// The fraction of samples of `x: (N, D)` whose predicted class is their label.
    ///
    /// # Errors
    /// The errors of [`forward`](Self::forward); [`NnError::ShapeMismatch`] when there is not one
    /// label per sample.
    pub fn accuracy(&self, x: ArrayView2<'_, f64>, labels: &[usize]) -> Result<f64, NnError> {
        ensure_dim("number of labels vs samples", labels.len(), x.nrows())?;
        let predicted = self.predict(x)?;
        Ok(count_correct(&predicted, labels) as f64 / labels.len() as f64)
    }

    /// Fails with [`NnError::InvalidSetting`] when the network has no layers.
    ///
    /// # Errors
    /// As above.
    pub fn ensure_layers(&self) -> Result<(), NnError> {
        if self.layers.is_empty() {
            return Err(NnError::InvalidSetting(
                "the network has no layers".to_owned(),
            ));
        }
        Ok(())
    }
}

/// The index of the largest element of `row` (the smaller index on ties; 0 for an empty row).
pub fn argmax(row: &ndarray::ArrayView1<'_, f64>) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = j;
        }
    }
    best
}

/// How many of `predicted` equal `labels`, element by element.
pub fn count_correct(predicted: &[usize], labels: &[usize]) -> usize {
    predicted.iter().zip(labels).filter(|(p, l)| p == l).count()
}
