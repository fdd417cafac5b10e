//! # Where the backward passes come from (read after the contract; skip if you are in a hurry)
//!
//! **Convolution.** Each output is a sum of products, `out[n,f,i,j] = b[f] + ∑ w[f,c,p,q] ·
//! xₚₐ𝒹[n,c,iS+p,jS+q]`. The chain rule sums over every output an input or a weight takes part
//! in:
//!
//! ```text
//! ∂L/∂w[f,c,p,q] = ∑_{n,i,j} dout[n,f,i,j] · xₚₐ𝒹[n,c,iS+p,jS+q]        (a correlation of x with dout)
//! ∂L/∂b[f]       = ∑_{n,i,j} dout[n,f,i,j]                              (every output has b[f] once)
//! ∂L/∂xₚₐ𝒹[n,c,y,x] = ∑ dout[n,f,i,j] · w[f,c,y−iS,x−jS]               (over the windows covering (y, x))
//! ```
//!
//! The last line is a *true* convolution of `dout` with `w` (the kernel flipped): that is where the
//! flip goes, and why the forward pass has none. Written as loops it is simpler still: go over the
//! outputs, and send each one's gradient back along the products that made it (`+=`, since the
//! windows overlap).
//!
//! **im2col.** Copy each window into a column; then every output is a dot product of a filter row
//! with a column, and the layer is one matrix product `out₂ = w₂ · cols`. The matrix product's
//! backward is the dense layer's: `dw₂ = dout₂ · colsᵀ`, `dcols = w₂ᵀ · dout₂`. A pixel was
//! copied into every column whose window covers it, so its gradient is the **sum** over those
//! copies: `col2im` adds, it does not overwrite. For this to equal the direct loops the rows of
//! `cols` must be in the order of `w`'s reshape, `(c, p, q)`.
//!
//! **Max pooling.** `out = max(window)` is, locally, the identity on the arg-max and constant in
//! the others: `∂out/∂x = 1` at the arg-max and 0 elsewhere. The gradient is routed, not spread.
//! Ties are a point where the max is not differentiable; any one of the tied inputs gives a valid
//! subgradient, and this exercise fixes the first in row-major order so that answers compare.
//!
//! **Why the CNN survives a shift.** The convolution uses the same filter at every position, so a
//! shifted digit gives shifted feature maps (equivariance); max-pooling over 2 × 2 absorbs part of
//! a one-pixel move. The MLP has a separate weight for every pixel, and a shifted digit meets
//! weights it was never trained on.
