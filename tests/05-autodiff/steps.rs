//! The steps of exercise 05, declared once: every check names one.

use mlings_grader::Step;

/// Step 1: `Graph::add`, `sub`, `mul`, `div`, `powf`, `pow`, `neg`, `exp`, `ln`, `tanh`, `relu`,
/// in `scalar.rs`.
pub const SCALAR_OPS: Step = Step::new(1, "scalar-ops");
/// Step 2: `Graph::topological_order`, `zero_grad`, `backward`, in `backward.rs`.
pub const BACKWARD: Step = Step::new(2, "backward");
/// Step 3: `rel_error`, `numerical_gradient`, `check_gradient`, in `gradcheck.rs`.
pub const GRADIENT_CHECK: Step = Step::new(3, "gradient-check");
/// Step 4: `sum_to_shape` and the forward and backward functions of `ops.rs`.
pub const TENSOR_OPS: Step = Step::new(4, "tensor-ops");
/// Step 5: `Tape::zero_grad`, `OptimiserState::update`, `Mlp::loss`, `Mlp::train_step`, in
/// `tape.rs`, `optim.rs` and `mlp.rs`.
pub const TRAINING: Step = Step::new(5, "training");
/// Step 6: `Graph::second_derivatives`, `tangents`, `hessian_vector_product`, in `hessian.rs`.
pub const HESSIAN_VECTOR_PRODUCT: Step = Step::new(6, "hessian-vector-product");

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    SCALAR_OPS,
    BACKWARD,
    GRADIENT_CHECK,
    TENSOR_OPS,
    TRAINING,
    HESSIAN_VECTOR_PRODUCT,
];
