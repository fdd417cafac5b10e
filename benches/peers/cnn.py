"""One convolution forward + backward (dx, dw, db) in numpy by im2col, and in PyTorch when it is
installed.

The workload of the `conv` group of solutions/06-cnn/benches/cnn.rs: 3 × 3 filters, stride 1,
pad 1, at (N, C, H, W) → F = (32, 1, 8, 8) → 16 and (8, 3, 32, 32) → 32, in float64. The numpy
version builds the column matrix by fancy indexing (the usual vectorised im2col), multiplies once
for the forward pass and twice for the backward pass, and adds the columns back with
`np.add.at` (col2im). `conv/torch/…` times `torch.nn.functional.conv2d` forward and
`torch.autograd.grad` backward on one thread, in float64; it is skipped when torch is missing.

    python benches/peers/cnn.py
"""

import _common  # noqa: F401  (pins numpy to one thread; import before numpy)

import numpy as np

SIZES = ((32, 1, 8, 8, 16), (8, 3, 32, 32, 32))
STRIDE, PAD, K = 1, 1, 3


def indices(shape):
    """The (channel, row, column) index of every entry of the column matrix, rows (c, p, q)."""
    _, c, h, w = shape
    out_h = (h + 2 * PAD - K) // STRIDE + 1
    out_w = (w + 2 * PAD - K) // STRIDE + 1
    i0 = np.tile(np.repeat(np.arange(K), K), c)
    i1 = STRIDE * np.repeat(np.arange(out_h), out_w)
    j0 = np.tile(np.arange(K), K * c)
    j1 = STRIDE * np.tile(np.arange(out_w), out_h)
    rows = i0.reshape(-1, 1) + i1.reshape(1, -1)
    cols = j0.reshape(-1, 1) + j1.reshape(1, -1)
    chans = np.repeat(np.arange(c), K * K).reshape(-1, 1)
    return chans, rows, cols, out_h, out_w


def im2col(x, idx):
    """(C·K·K, N·H'·W') columns, ordered (n, i, j) like the Rust im2col."""
    chans, rows, cols, _, _ = idx
    padded = np.pad(x, ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    patches = padded[:, chans, rows, cols]  # (N, C·K·K, H'·W')
    return patches.transpose(1, 0, 2).reshape(chans.shape[0], -1)


def col2im(columns, shape, idx):
    n, c, h, w = shape
    chans, rows, cols, _, _ = idx
    padded = np.zeros((n, c, h + 2 * PAD, w + 2 * PAD))
    patches = columns.reshape(chans.shape[0], n, -1).transpose(1, 0, 2)
    np.add.at(padded, (slice(None), chans, rows, cols), patches)
    return padded[:, :, PAD:-PAD, PAD:-PAD]


def forward_backward(x, w, b, dout, idx):
    n = x.shape[0]
    f = w.shape[0]
    _, _, _, out_h, out_w = idx
    columns = im2col(x, idx)
    w2 = w.reshape(f, -1)
    out = (w2 @ columns + b[:, None]).reshape(f, n, out_h, out_w).transpose(1, 0, 2, 3)
    dout2 = dout.transpose(1, 0, 2, 3).reshape(f, -1)
    db = dout2.sum(axis=1)
    dw = (dout2 @ columns.T).reshape(w.shape)
    dx = col2im(w2.T @ dout2, x.shape, idx)
    return out, dx, dw, db


def main():
    rng = np.random.default_rng(6)
    _common.header()
    for n, c, h, w, f in SIZES:
        x = rng.standard_normal((n, c, h, w))
        wt = 0.3 * rng.standard_normal((f, c, K, K))
        b = 0.1 * rng.standard_normal(f)
        dout = rng.standard_normal((n, f, h, w))
        idx = indices(x.shape)
        times = _common.measure(lambda _: forward_backward(x, wt, b, dout, idx))
        size = f"{n}x{c}x{h}x{w}-{f}"
        _common.report(f"conv/numpy/{size}", "im2col forward + backward, float64", times)
        try:
            import torch
        except ImportError:
            print(f"conv/torch/{size}: skipped, torch is not installed")
            continue
        torch.set_num_threads(1)
        tx = torch.tensor(x, requires_grad=True)
        tw = torch.tensor(wt, requires_grad=True)
        tb = torch.tensor(b, requires_grad=True)
        tdout = torch.tensor(dout)

        def run(_):
            out = torch.nn.functional.conv2d(tx, tw, tb, stride=STRIDE, padding=PAD)
            return torch.autograd.grad(out, (tx, tw, tb), tdout)

        times = _common.measure(run)
        _common.report(f"conv/torch/{size}", "conv2d forward + backward, float64", times)


if __name__ == "__main__":
    main()
