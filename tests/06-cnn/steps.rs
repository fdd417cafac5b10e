//! The steps of exercise 06, declared once: every check names one, and so does the plot
//! program when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `output_size`, `conv_forward`, in `conv.rs`.
pub const CONV_FORWARD: Step = Step::new(1, "conv-forward");
/// Step 2: `conv_backward`, in `conv.rs`.
pub const CONV_BACKWARD: Step = Step::new(2, "conv-backward");
/// Step 3: `max_pool_forward`, `max_pool_backward`, in `pool.rs`.
pub const MAX_POOL: Step = Step::new(3, "max-pool");
/// Step 4: `im2col`, `col2im`, `conv_forward_im2col`, `conv_backward_im2col`, in `im2col.rs`.
pub const IM2COL: Step = Step::new(4, "im2col");
/// Step 5: `Cnn::scores`, `Cnn::loss_and_gradients`, in `cnn.rs`.
pub const CNN: Step = Step::new(5, "cnn");
/// Step 6: `shift`, `robustness`, in `robust.rs`.
pub const ROBUSTNESS: Step = Step::new(6, "robustness");

/// The exercise's steps, in order: the manifest's (`solutions/06-cnn/exercise.toml`).
pub const STEPS: &[Step] = &[
    CONV_FORWARD,
    CONV_BACKWARD,
    MAX_POOL,
    IM2COL,
    CNN,
    ROBUSTNESS,
];
