//! The steps of exercise 04, declared once: every check names one.

use mlings_grader::Step;

/// Step 1: `sigmoid`, `log_sigmoid`, `log_sum_exp`, `softmax`, in `stable.rs`.
pub const STABLE_FUNCTIONS: Step = Step::new(1, "stable-functions");
/// Step 2: `neg_log_likelihood`, `gradient`, `weighted_gram`, `hessian`, `deviance`, in `likelihood.rs`.
pub const LIKELIHOOD: Step = Step::new(2, "likelihood");
/// Step 3: `check_separation`, in `separation.rs`.
pub const SEPARATION: Step = Step::new(3, "separation");
/// Step 4: `cholesky`, `cholesky_solve`, `newton`, in `newton.rs`.
pub const NEWTON: Step = Step::new(4, "newton");
/// Step 5: `inverse_diagonal`, `standard_errors`, `z_values`, `null_deviance`, `fit_logistic`, in `inference.rs`.
pub const INFERENCE: Step = Step::new(5, "inference");
/// Step 6: `Link::mean`, `Link::mean_derivative`, `irls`, in `link.rs`.
pub const LINKS: Step = Step::new(6, "links");
/// Step 7: `multinomial_probabilities`, `multinomial_nll`, `multinomial_gradient`, `multinomial_hessian`, `multinomial_newton`, in `multinomial.rs`.
pub const MULTINOMIAL: Step = Step::new(7, "multinomial");
/// Step 8: `fit_softmax_sgd`, `SoftmaxModel::predict_proba`, `SoftmaxModel::predict`, in `sgd.rs`.
pub const SOFTMAX_SGD: Step = Step::new(8, "softmax-sgd");

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    STABLE_FUNCTIONS,
    LIKELIHOOD,
    SEPARATION,
    NEWTON,
    INFERENCE,
    LINKS,
    MULTINOMIAL,
    SOFTMAX_SGD,
];
