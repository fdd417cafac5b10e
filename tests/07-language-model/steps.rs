//! The steps of exercise 07, declared once: every check names one, and so does the plot
//! program when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `encode`, `bigrams`, `bigram_counts`, in `vocab.rs`.
pub const VOCABULARY: Step = Step::new(1, "vocabulary");
/// Step 2: `probabilities`, `nll`, `draw`, `sample`, in `bigram.rs`.
pub const BIGRAM_MODEL: Step = Step::new(2, "bigram-model");
/// Step 3: `smoothed_probabilities`, `split`, in `smoothing.rs`.
pub const SMOOTHING_SPLIT: Step = Step::new(3, "smoothing-split");
/// Step 4: `cross_entropy` and `NeuralBigram`, in `neural_bigram.rs`.
pub const NEURAL_BIGRAM: Step = Step::new(4, "neural-bigram");
/// Step 5: `contexts`, `Mlp::{forward, loss, gradients, update}`, `learning_rate`, `train`, in
/// `mlp.rs` and `train.rs`.
pub const MLP: Step = Step::new(5, "mlp");
/// Step 6: `Mlp::init`, `saturation`, in `init.rs`.
pub const INITIALISATION: Step = Step::new(6, "initialisation");
/// Step 7: `sample_names`, in `sample.rs`.
pub const SAMPLING: Step = Step::new(7, "sampling");

/// The exercise's steps, in order: the manifest's (`solutions/07-language-model/exercise.toml`).
pub const STEPS: &[Step] = &[
    VOCABULARY,
    BIGRAM_MODEL,
    SMOOTHING_SPLIT,
    NEURAL_BIGRAM,
    MLP,
    INITIALISATION,
    SAMPLING,
];
