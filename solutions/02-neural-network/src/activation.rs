//! Step 2: the activations ReLU, sigmoid and tanh, forward and backward.

use ndarray::{Array2, ArrayView2};

use crate::error::NnError;
// BEGIN SOLUTION
use crate::error::ensure_shape;
use ndarray::Zip;

/// `σ(z) = 1 / (1 + e⁻ᶻ)`, split by sign so that `e⁻ᶻ` never overflows for very negative `z`.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}
// END SOLUTION

/// An elementwise non-linearity between two dense layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `relu(z) = max(0, z)`; its derivative is 1 where `z > 0`, else 0 (0 at `z = 0`).
    Relu,
    /// `σ(z) = 1 / (1 + e⁻ᶻ)`; `σ′(z) = σ(z) (1 − σ(z))`.
    Sigmoid,
    /// `tanh(z)`; `tanh′(z) = 1 − tanh²(z)`.
    Tanh,
}

impl Activation {
    /// The activation of every element of `z: (N, H)`, shape `(N, H)`.
    ///
    /// ```text
    /// relu [[-1, 2]] → [[0, 2]]     sigmoid [[0]] → [[0.5]]     tanh [[0]] → [[0]]
    /// ```
    ///
    /// # Examples
    /// ```
    /// # use neural_network_solution::Activation;
    /// use ndarray::array;
    /// assert_eq!(Activation::Relu.forward(array![[-1.0, 2.0]].view()), array![[0.0, 2.0]]);
    /// ```
    pub fn forward(self, z: ArrayView2<'_, f64>) -> Array2<f64> {
        // BEGIN SOLUTION
        match self {
            Activation::Relu => z.mapv(|v| v.max(0.0)),
            Activation::Sigmoid => z.mapv(sigmoid),
            Activation::Tanh => z.mapv(f64::tanh),
        }
        // STUB
        // // TODO: Apply the activation elementwise. relu [[-1, 2]] -> [[0, 2]]
        // todo!("{self:?} of z {:?}", z.shape())
        // END SOLUTION
    }

    /// The backward pass: `dz = dout ⊙ f′(z)`, where `z: (N, H)` is the input of
    /// [`forward`](Self::forward) and `dout: (N, H)` the gradient of the loss with respect to its
    /// output.
    ///
    /// ```text
    /// relu:    dz = dout ⊙ [z > 0]
    /// sigmoid: dz = dout ⊙ σ(z) (1 − σ(z))
    /// tanh:    dz = dout ⊙ (1 − tanh²(z))
    /// ```
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when `dout` and `z` differ in shape.
    ///
    /// # Examples
    /// ```
    /// # use neural_network_solution::Activation;
    /// use ndarray::array;
    /// let dz = Activation::Relu.backward(array![[5.0, 5.0]].view(), array![[-1.0, 2.0]].view())?;
    /// assert_eq!(dz, array![[0.0, 5.0]]);
    /// # Ok::<(), neural_network_solution::NnError>(())
    /// ```
    pub fn backward(
        self,
        dout: ArrayView2<'_, f64>,
        z: ArrayView2<'_, f64>,
    ) -> Result<Array2<f64>, NnError> {
        // BEGIN SOLUTION
        ensure_shape("dout", dout.shape(), z.shape())?;
        // dout ⊙ f′(z) in one pass over both, with no array of f′(z) in between.
        let chain = Zip::from(&dout).and(&z);
        Ok(match self {
            Activation::Relu => chain.map_collect(|&g, &z| if z > 0.0 { g } else { 0.0 }),
            Activation::Sigmoid => chain.map_collect(|&g, &z| {
                let s = sigmoid(z);
                g * s * (1.0 - s)
            }),
            Activation::Tanh => chain.map_collect(|&g, &z| g * (1.0 - z.tanh().powi(2))),
        })
        // STUB
        // // TODO: Check dout and z have one shape (crate::error::ensure_shape), then return dout ⊙ f′(z). relu: [[5, 5]] at z [[-1, 2]] -> [[0, 5]]
        // todo!(
        //     "{self:?} backward of dout {:?} at z {:?}",
        //     dout.shape(),
        //     z.shape()
        // )
        // END SOLUTION
    }
}
