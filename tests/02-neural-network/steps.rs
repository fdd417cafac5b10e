//! The steps of exercise 02, declared once: every check names one, and so does the plot program
//! when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `dense_forward`, `dense_backward`, in `dense.rs`.
pub const DENSE: Step = Step::new(1, "dense");
/// Step 2: `Activation::forward`, `Activation::backward`, in `activation.rs`.
pub const ACTIVATIONS: Step = Step::new(2, "activations");
/// Step 3: `softmax`, `softmax_cross_entropy`, `l2_penalty`, `l2_gradient`, in `loss.rs`.
pub const SOFTMAX_LOSS: Step = Step::new(3, "softmax-loss");
/// Step 4: `rel_error`, `max_rel_error`, `numerical_gradient`, in `gradcheck.rs`.
pub const GRADIENT_CHECK: Step = Step::new(4, "gradient-check");
/// Step 5: `Mlp::forward`, `Mlp::loss_and_gradients`, in `mlp.rs`.
pub const MLP: Step = Step::new(5, "mlp");
/// Step 6: `init_weights` (He, Xavier), in `init.rs`.
pub const INIT: Step = Step::new(6, "init");
/// Step 7: `OptimiserState::update` (SGD, momentum, Adam), in `optim.rs`.
pub const OPTIMISERS: Step = Step::new(7, "optimisers");
/// Step 8: `train`, in `train.rs`.
pub const TRAINING: Step = Step::new(8, "training");

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    DENSE,
    ACTIVATIONS,
    SOFTMAX_LOSS,
    GRADIENT_CHECK,
    MLP,
    INIT,
    OPTIMISERS,
    TRAINING,
];
