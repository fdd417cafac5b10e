//! # Exercise 06 — convolution, pooling and a small CNN that sees
//!
//! You write the layers that make a network see — convolution, its backward pass, max pooling,
//! convolution as one matrix product — put them together into a small CNN that reads the 8×8
//! handwritten digits, and measure why it is built that way: moved by one pixel, the digits still
//! read for the CNN, much less for exercise 02's perceptron.
//!
//! Why: every vision network is these layers, stacked. Convolution shares one small filter over
//! every position of the image; that sharing is what makes a shifted digit look like the same
//! digit.
//!
//! ## Symbols and shapes
//!
//! ```text
//! N   images in a batch        x: (N, C, H, W)          channels first, row-major
//! C   channels of the input    w: (F, C, HH, WW)        F filters of C × HH × WW
//! F   filters (output maps)    b: (F)
//! S   stride                   out: (N, F, H', W')      H' = (H + 2P − HH) / S + 1
//! P   zero padding per side    cols: (C·HH·WW, N·H'·W') im2col's matrix
//! K   classes                  scores: (N, K)
//! dX  ∂L/∂X, shaped like X
//! ```
//!
//! ## The math
//!
//! ```text
//! conv:     out[n,f,i,j] = b[f] + ∑_{c,p,q} w[f,c,p,q] · xₚₐ𝒹[n,c,i·S+p, j·S+q]   (cross-correlation:
//!                                                                        the kernel is not flipped)
//! backward: db[f] = ∑_{n,i,j} dout[n,f,i,j]
//!           dw[f,c,p,q] = ∑_{n,i,j} dout[n,f,i,j] · xₚₐ𝒹[n,c,i·S+p, j·S+q]
//!           dxₚₐ𝒹[n,c,i·S+p, j·S+q] += dout[n,f,i,j] · w[f,c,p,q]
//! max-pool: out[n,c,i,j] = max_{p,q} x[n,c,i·S+p, j·S+q];   dx gets dout at the arg-max only
//! im2col:   out₂ = w₂ · cols + b,   w₂ = w reshaped to (F, C·HH·WW)
//! ```
//!
//! ## A worked example
//!
//! One 1 × 1 × 3 × 3 image, one 2 × 2 filter, stride 1, no padding, bias 0:
//!
//! ```text
//! x = [[1, 2, 0],    w = [[1, 0],     out[0,0] = 1·1 + 2·0 + 0·0 + 1·(−1) = 0
//!      [0, 1, 3],         [0, −1]]    out[0,1] = 2·1 + 0·0 + 1·0 + 3·(−1) = −1
//!      [2, 0, 1]]                     out[1,0] = 0·1 + 1·0 + 2·0 + 0·(−1) = 0
//!                                     out[1,1] = 1·1 + 3·0 + 0·0 + 1·(−1) = 0
//! max-pool 2 × 2, stride 1, of out = [[0, −1], [0, 0]]:  0 (the first 0, at (0, 0), on the tie)
//! ```
//!
//! The flipped kernel (a true convolution) would give `out[0,0] = 1·(−1) + 0 + 0 + 1·1 = 0`,
//! `out[0,1] = 2·(−1) + 3·1 = 1`: the wrong answer on most inputs, which the checks catch.
//!
//! ## Steps (64 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 conv-forward | [`output_size`], [`conv_forward`] | `conv.rs` | 11 |
//! | 2 conv-backward | [`conv_backward`] | `conv.rs` | 9 |
//! | 3 max-pool | [`max_pool_forward`], [`max_pool_backward`] | `pool.rs` | 9 |
//! | 4 im2col | [`im2col`], [`col2im`], [`conv_forward_im2col`], [`conv_backward_im2col`] | `im2col.rs` | 12 |
//! | 5 cnn | [`Cnn::scores`], [`Cnn::loss_and_gradients`] | `cnn.rs` | 14 |
//! | 6 robustness | [`shift`], [`robustness`] | `robust.rs` | 9 |
//!
//! Where the backward passes come from, and why the CNN survives a shift: [`derivation`], after
//! the contract.
//!
//! Run `cargo test -p cnn` to grade your work. Steps 2–4 are graded against the kit's own
//! loops, not your earlier steps, so one early bug does not hide the rest; step 5 runs your layers.
//!
//! Bad input gets a typed [`CnnError`], never a panic: the checks in [`error`] are given, call
//! them where a `TODO` says so.
//!
//! ## Constraints
//!
//! - Do not use a linear-algebra or machine-learning crate: ndarray's `dot` is the only matrix
//!   product you need (step 4).
//! - Work in f64; the checks compare your layers with the kit's loops to 1e-12.
//! - Given, nothing to write: [`data`] (the digits as `(N, 1, 8, 8)` images), [`Cnn::new`],
//!   [`softmax_cross_entropy`], the [`Model`] interface, [`Adam`], [`train`](fn@train),
//!   [`accuracy`], and the baseline [`Mlp`] of step 6 (exercise 02's perceptron, 64-64-10).
//!
//! ## Step 6: the experiment
//!
//! Both networks train on the same 80 % of the digits with the same budget
//! ([`TrainConfig::digits`]: 40 epochs of Adam at 3e-3, batches of 32); both are then tested on
//! the held-out 20 %, as they are and moved by one pixel up, down, left and right. The CNN
//! (16 filters) reaches about 98 % on clean digits and keeps about 0.6 of its accuracy on shifted
//! ones; the MLP, 97–98 % clean, keeps about 0.45.
//!
//! ## Data
//!
//! `data/digits/digits.csv.gz`: 1,797 8×8 handwritten digits, as shipped in the scikit-learn
//! package (BSD-3-Clause); originally the test set of the UCI Optical Recognition of Handwritten
//! Digits data (E. Alpaydin, C. Kaynak, 1998).

pub mod cnn;
pub mod conv;
pub mod data;
pub mod derivation;
pub mod error;
pub mod im2col;
pub mod loss;
pub mod mlp;
pub mod pool;
pub mod robust;
pub mod train;

pub use cnn::Cnn;
pub use conv::{Conv, ConvGradient, conv_backward, conv_forward, output_size};
pub use data::{DataError, Images, read_digits};
pub use error::CnnError;
pub use im2col::{col2im, conv_backward_im2col, conv_forward_im2col, im2col};
pub use loss::softmax_cross_entropy;
pub use mlp::Mlp;
pub use pool::{Pool, max_pool_backward, max_pool_forward};
pub use robust::{Robustness, Shift, robustness, shift};
pub use train::{Adam, Model, TrainConfig, accuracy, predict, train};
