//! Step 5: optimisers that update the tape's parameters from their gradients.

use ndarray::Array2;

use crate::error::AdError;
use crate::tape::{Tape, Var};

/// An update rule and its settings.
///
/// ```text
/// SGD:   θ ← θ − η g
/// Adam:  m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   t ← t + 1
///        θ ← θ − η m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimiser {
    /// Plain gradient descent with learning rate `lr` (η).
    Sgd {
        /// The learning rate η.
        lr: f64,
    },
    /// Adam (Kingma & Ba, 2015); the usual settings are β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    Adam {
        /// The learning rate η.
        lr: f64,
        /// The decay of the first moment, β₁.
        beta1: f64,
        /// The decay of the second moment, β₂.
        beta2: f64,
        /// ε, added to √v̂.
        eps: f64,
    },
}

/// An optimiser with its state: Adam's moments `m`, `v` (one array per parameter, zero at first)
/// and its step count `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimiserState {
    /// The rule and its settings.
    pub optimiser: Optimiser,
    /// Adam's first moments, one per parameter, in the order of the `params` given to
    /// [`update`](Self::update); empty until the first update.
    pub m: Vec<Array2<f64>>,
    /// Adam's second moments, like `m`.
    pub v: Vec<Array2<f64>>,
    /// The number of updates made.
    pub t: u32,
}

impl OptimiserState {
    /// A fresh state: no moments, `t = 0`.
    pub fn new(optimiser: Optimiser) -> OptimiserState {
        OptimiserState {
            optimiser,
            m: Vec::new(),
            v: Vec::new(),
            t: 0,
        }
    }

    /// Moves every parameter of `params` against its gradient on `tape`, by the rule above.
    /// Gradients are left as they are.
    ///
    /// # Errors
    /// [`AdError::InvalidSetting`] when a parameter of `params` is not a parameter of the tape,
    /// or when their number changes between calls; [`AdError::ForeignNode`].
    pub fn update(&mut self, tape: &mut Tape, params: &[Var]) -> Result<(), AdError> {
        let indices = params
            .iter()
            .map(|&p| tape.index_of(p))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(&i) = indices.iter().find(|&&i| i >= tape.parameters()) {
            return Err(AdError::InvalidSetting(format!(
                "node {i} is not a parameter of the tape"
            )));
        }
        if self.t > 0 && !self.m.is_empty() && self.m.len() != params.len() {
            return Err(AdError::InvalidSetting(format!(
                "{} parameters, where earlier updates had {}",
                params.len(),
                self.m.len()
            )));
        }
        let nodes = tape.nodes_mut();
        // TODO: SGD: value −= lr · grad for each parameter. Adam: create zero m and v on the first
        // update, count t, update m and v, and move each value by lr · m̂ / (√v̂ + ε).
        todo!(
            "{:?} update of {} parameters on a tape of {} nodes",
            self.optimiser,
            indices.len(),
            nodes.len()
        )
    }
}
