//! Step 7: the optimisers SGD, SGD with momentum and Adam.

use ndarray::{Array1, ArrayView1, ArrayViewMut1};
// BEGIN SOLUTION
use ndarray::Zip;
// END SOLUTION

use crate::dense::Gradient;
use crate::error::{NnError, ensure_dim, ensure_shape};
use crate::mlp::Mlp;

/// An optimiser's settings: how one step moves the parameters `θ` along their gradient `g`.
///
/// ```text
/// SGD:       θ ← θ − η g
/// Momentum:  v ← β v − η g;   θ ← θ + v                       (v starts at 0)
/// Adam:      m ← β₁ m + (1 − β₁) g;   s ← β₂ s + (1 − β₂) g²    (m, s start at 0)
///            m̂ = m / (1 − β₁ᵗ);   ŝ = s / (1 − β₂ᵗ)              t = 1 on the first step
///            θ ← θ − η m̂ / (√ŝ + ε)
/// ```
///
/// Adam's bias correction `1 − βᵗ` undoes the pull of the zero start: without it the first
/// steps are about `(1 − β₁) / √(1 − β₂) ≈ 3.2` times too large.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimiser {
    /// Plain stochastic gradient descent.
    Sgd {
        /// Learning rate η.
        lr: f64,
    },
    /// SGD with momentum (the velocity form of CS231n).
    Momentum {
        /// Learning rate η.
        lr: f64,
        /// Momentum β, typically 0.9.
        beta: f64,
    },
    /// Adam (Kingma & Ba, 2015).
    Adam {
        /// Learning rate η, typically 1e-3.
        lr: f64,
        /// Decay β₁ of the first moment, typically 0.9.
        beta1: f64,
        /// Decay β₂ of the second moment, typically 0.999.
        beta2: f64,
        /// ε added to √ŝ, typically 1e-8.
        eps: f64,
    },
}

impl Optimiser {
    /// Adam with learning rate `lr` and the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    pub fn adam(lr: f64) -> Optimiser {
        Optimiser::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// Fails unless the learning rate is positive and every β is in `[0, 1)`.
    ///
    /// # Errors
    /// [`NnError::InvalidSetting`] naming the settings.
    pub fn check(&self) -> Result<(), NnError> {
        let (lr, betas) = match *self {
            Optimiser::Sgd { lr } => (lr, vec![]),
            Optimiser::Momentum { lr, beta } => (lr, vec![beta]),
            Optimiser::Adam {
                lr, beta1, beta2, ..
            } => (lr, vec![beta1, beta2]),
        };
        if !(lr.is_finite() && lr > 0.0) || betas.iter().any(|b| !(0.0..1.0).contains(b)) {
            return Err(NnError::InvalidSetting(format!(
                "{self:?}: the learning rate must be positive and every β in [0, 1)"
            )));
        }
        Ok(())
    }
}

/// An optimiser with its state: the step count `t` and, per parameter tensor, the velocity (or
/// Adam's first moment `m`) and Adam's second moment `s`.
#[derive(Debug, Clone)]
pub struct OptimiserState {
    /// The settings.
    pub optimiser: Optimiser,
    /// The number of steps taken; 1 during the first step.
    pub t: u32,
    /// Per slot: the velocity of momentum, or Adam's first moment `m`; zeros at the start.
    pub first: Vec<Array1<f64>>,
    /// Per slot: Adam's second moment `s`; zeros at the start.
    pub second: Vec<Array1<f64>>,
}

impl OptimiserState {
    /// A fresh optimiser: no step taken, every moment 0.
    pub fn new(optimiser: Optimiser) -> OptimiserState {
        OptimiserState {
            optimiser,
            t: 0,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// The number of steps taken.
    pub fn steps(&self) -> u32 {
        self.t
    }

    /// One step on every parameter of `model`, with `gradients[l]` the gradient of layer `l`.
    ///
    /// Given: it checks the shapes, counts the step (`t` is 1 during the first one), gives every
    /// parameter tensor a slot (`2l` for `Wₗ`, `2l + 1` for `bₗ`) with zeroed moments, and calls
    /// [`update`](Self::update) on each.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when the gradients are not shaped like the parameters;
    /// [`NnError::InvalidSetting`] for a learning rate ≤ 0 or a β outside `[0, 1)`.
    pub fn step(&mut self, model: &mut Mlp, gradients: &[Gradient]) -> Result<(), NnError> {
        self.optimiser.check()?;
        ensure_dim(
            "number of gradients vs layers",
            gradients.len(),
            model.layers.len(),
        )?;
        for (layer, grad) in model.layers.iter().zip(gradients) {
            ensure_shape("dW", grad.dw.shape(), layer.w.shape())?;
            ensure_shape("db", grad.db.shape(), layer.b.shape())?;
        }
        let sizes: Vec<usize> = model
            .layers
            .iter()
            .flat_map(|l| [l.w.len(), l.b.len()])
            .collect();
        let fresh = self.first.len() != sizes.len()
            || self.first.iter().zip(&sizes).any(|(m, &n)| m.len() != n);
        if fresh {
            self.first = sizes.iter().map(|&n| Array1::zeros(n)).collect();
            self.second = self.first.clone();
        }
        self.t += 1;
        // Each tensor is updated as one flat vector, element by element.
        let layout = |_| {
            NnError::InvalidSetting(
                "parameters and gradients must be in standard (row-major) layout".to_owned(),
            )
        };
        for (l, (layer, grad)) in model.layers.iter_mut().zip(gradients).enumerate() {
            let n = layer.w.len();
            let w = layer
                .w
                .view_mut()
                .into_shape_with_order(n)
                .map_err(layout)?;
            let dw = grad.dw.view().into_shape_with_order(n).map_err(layout)?;
            self.update(2 * l, w, dw);
            self.update(2 * l + 1, layer.b.view_mut(), grad.db.view());
        }
        Ok(())
    }

    /// Step 7: one update of the parameter tensor in `slot`, flattened to `param: (P)`, by its
    /// gradient `grad: (P)`,
    /// by the rule of [`Optimiser`]. The velocity (or Adam's `m`) of the slot is
    /// `self.first[slot]`, Adam's `s` is `self.second[slot]`, and `self.t` the current step,
    /// already counted.
    ///
    /// ```text
    /// SGD, η = 0.1:  θ = [1, -2], g = [0.5, 0.5]   →   θ = [0.95, -2.05]
    /// ```
    pub fn update(
        &mut self,
        slot: usize,
        param: ArrayViewMut1<'_, f64>,
        grad: ArrayView1<'_, f64>,
    ) {
        // BEGIN SOLUTION
        let mut param = param;
        match self.optimiser {
            Optimiser::Sgd { lr } => param.scaled_add(-lr, &grad),
            Optimiser::Momentum { lr, beta } => {
                let velocity = &mut self.first[slot];
                Zip::from(&mut param)
                    .and(velocity)
                    .and(&grad)
                    .for_each(|p, v, &g| {
                        *v = beta * *v - lr * g;
                        *p += *v;
                    });
            }
            Optimiser::Adam {
                lr,
                beta1,
                beta2,
                eps,
            } => {
                let t = self.t as i32;
                // m̂ / (√ŝ + ε) with the corrections folded into two scalars per step,
                // m̂ = m / (1 − β₁ᵗ) and √ŝ = √s / √(1 − β₂ᵗ): one pass over the tensor, in place,
                // with one square root and one division per element.
                let step = lr / (1.0 - beta1.powi(t));
                let inv_root_correction = 1.0 / (1.0 - beta2.powi(t)).sqrt();
                Zip::from(&mut param)
                    .and(&mut self.first[slot])
                    .and(&mut self.second[slot])
                    .and(&grad)
                    .for_each(|p, m, s, &g| {
                        *m = beta1 * *m + (1.0 - beta1) * g;
                        *s = beta2 * *s + (1.0 - beta2) * g * g;
                        *p -= step * *m / (s.sqrt() * inv_root_correction + eps);
                    });
            }
        }
        // STUB
        // // TODO: Apply the rule of self.optimiser to param, updating the slot's moments in place.
        // // SGD, lr 0.1: [1, -2] with grad [0.5, 0.5] -> [0.95, -2.05]
        // todo!(
        //     "{:?} step {} on slot {slot}: param {:?}, grad {:?}",
        //     self.optimiser,
        //     self.t,
        //     param.shape(),
        //     grad.shape()
        // )
        // END SOLUTION
    }
}
