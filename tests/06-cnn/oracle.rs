//! The suite's own slow, obviously correct implementations (plain loops over an explicitly padded
//! input), and the same loops with a known mistake, whose results are the mistakes' signatures.

use ndarray::{Array1, Array2, Array4, ArrayView4, Dimension};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, StandardNormal};

use crate::sut;

/// A seeded generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// An array of standard normal numbers drawn from `rng`, times `scale`.
pub fn randn4(rng: &mut StdRng, shape: (usize, usize, usize, usize), scale: f64) -> Array4<f64> {
    Array4::from_shape_simple_fn(shape, || {
        let v: f64 = StandardNormal.sample(rng);
        scale * v
    })
}

/// A vector of standard normal numbers times `scale`.
pub fn randn1(rng: &mut StdRng, n: usize, scale: f64) -> Array1<f64> {
    Array1::from_shape_simple_fn(n, || {
        let v: f64 = StandardNormal.sample(rng);
        scale * v
    })
}

/// `count` evenly spaced numbers from `lo` to `hi`, as numpy's `linspace`, in `shape`.
pub fn linspace4(lo: f64, hi: f64, shape: (usize, usize, usize, usize)) -> Array4<f64> {
    let count = shape.0 * shape.1 * shape.2 * shape.3;
    Array1::linspace(lo, hi, count)
        .into_shape_with_order(shape)
        .expect("count elements")
}

/// CS231n's convolution check: x = linspace(−0.1, 0.5) as (2, 3, 4, 4), w = linspace(−0.2, 0.3)
/// as (3, 3, 4, 4), b = linspace(−0.1, 0.2, 3), stride 2, pad 1.
pub fn cs231n_conv() -> (Array4<f64>, Array4<f64>, Array1<f64>, sut::Conv) {
    (
        linspace4(-0.1, 0.5, (2, 3, 4, 4)),
        linspace4(-0.2, 0.3, (3, 3, 4, 4)),
        Array1::linspace(-0.1, 0.2, 3),
        sut::Conv { stride: 2, pad: 1 },
    )
}

/// CS231n's max-pool check: x = linspace(−0.3, 0.4) as (2, 3, 4, 4), 2 × 2 windows, stride 2.
pub fn cs231n_pool() -> (Array4<f64>, sut::Pool) {
    (
        linspace4(-0.3, 0.4, (2, 3, 4, 4)),
        sut::Pool { size: 2, stride: 2 },
    )
}

/// `x` with `pad` zeros on each side of its last two axes.
pub fn pad(x: ArrayView4<'_, f64>, pad: usize) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let mut out = Array4::zeros((n, c, h + 2 * pad, w + 2 * pad));
    for ((i, ch, y, xx), &v) in x.indexed_iter() {
        out[[i, ch, y + pad, xx + pad]] = v;
    }
    out
}

/// How the oracle's convolution is computed: correctly, or with a known mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvForm {
    /// The contract.
    Correct,
    /// A true convolution: the kernel flipped in both axes.
    Flipped,
    /// No bias.
    NoBias,
}

/// The convolution by its definition, on the explicitly padded input; `None` when the windows do
/// not tile it.
pub fn conv(
    x: ArrayView4<'_, f64>,
    w: ArrayView4<'_, f64>,
    b: &Array1<f64>,
    stride: usize,
    padding: usize,
    form: ConvForm,
) -> Option<Array4<f64>> {
    let (n, c, h, wd) = x.dim();
    let (f, _, hh, ww) = w.dim();
    let out_h = size(h, hh, stride, padding)?;
    let out_w = size(wd, ww, stride, padding)?;
    let xp = pad(x, padding);
    let mut out = Array4::zeros((n, f, out_h, out_w));
    for ((i, k, oy, ox), o) in out.indexed_iter_mut() {
        let mut sum = if form == ConvForm::NoBias { 0.0 } else { b[k] };
        for ch in 0..c {
            for p in 0..hh {
                for q in 0..ww {
                    let (wp, wq) = if form == ConvForm::Flipped {
                        (hh - 1 - p, ww - 1 - q)
                    } else {
                        (p, q)
                    };
                    sum += w[[k, ch, wp, wq]] * xp[[i, ch, oy * stride + p, ox * stride + q]];
                }
            }
        }
        *o = sum;
    }
    Some(out)
}

/// `(input + 2·pad − kernel) / stride + 1` when it is whole.
pub fn size(input: usize, kernel: usize, stride: usize, pad: usize) -> Option<usize> {
    let span = (input + 2 * pad).checked_sub(kernel)?;
    (stride > 0 && span % stride == 0).then_some(span / stride + 1)
}

/// How the oracle's convolution backward is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackForm {
    /// The contract.
    Correct,
    /// dx from the flipped kernel.
    FlippedDx,
    /// `dw[…] = …` instead of `+=`: the last window's product wins.
    OverwrittenDw,
    /// `dx[…] = …` instead of `+=`: an input read by several windows keeps the last one's.
    OverwrittenDx,
}

/// `(dx, dw, db)` of the convolution by its definition.
pub fn conv_backward(
    dout: ArrayView4<'_, f64>,
    x: ArrayView4<'_, f64>,
    w: ArrayView4<'_, f64>,
    stride: usize,
    padding: usize,
    form: BackForm,
) -> (Array4<f64>, Array4<f64>, Array1<f64>) {
    let (n, c, h, wd) = x.dim();
    let (f, _, hh, ww) = w.dim();
    let xp = pad(x, padding);
    let mut dxp = Array4::zeros(xp.raw_dim());
    let mut dw = Array4::zeros(w.raw_dim());
    let mut db = Array1::zeros(f);
    for ((i, k, oy, ox), &g) in dout.indexed_iter() {
        db[k] += g;
        for ch in 0..c {
            for p in 0..hh {
                for q in 0..ww {
                    let (y, xx) = (oy * stride + p, ox * stride + q);
                    let inside =
                        y >= padding && y < h + padding && xx >= padding && xx < wd + padding;
                    let product = g * xp[[i, ch, y, xx]];
                    if form == BackForm::OverwrittenDw {
                        if inside {
                            dw[[k, ch, p, q]] = product;
                        }
                    } else {
                        dw[[k, ch, p, q]] += product;
                    }
                    let (wp, wq) = if form == BackForm::FlippedDx {
                        (hh - 1 - p, ww - 1 - q)
                    } else {
                        (p, q)
                    };
                    if form == BackForm::OverwrittenDx {
                        dxp[[i, ch, y, xx]] = g * w[[k, ch, wp, wq]];
                    } else {
                        dxp[[i, ch, y, xx]] += g * w[[k, ch, wp, wq]];
                    }
                }
            }
        }
    }
    let dx = Array4::from_shape_fn((n, c, h, wd), |(i, ch, y, xx)| {
        dxp[[i, ch, y + padding, xx + padding]]
    });
    (dx, dw, db)
}

/// How the oracle routes a max-pool window's gradient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// To the first maximum in row-major order (the contract).
    FirstMax,
    /// To every input of the window, divided by the window's size.
    SpreadMean,
    /// To every input of the window, undivided.
    SpreadAll,
    /// To every input that ties for the maximum.
    AllTied,
    /// To the last maximum in row-major order (a scan with `>=`).
    LastMax,
    /// To the first maximum, written with `=`: an input that is the arg-max of several
    /// overlapping windows keeps the last window's gradient only.
    Overwritten,
}

/// Max pooling by its definition.
pub fn pool(x: ArrayView4<'_, f64>, size: usize, stride: usize) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let (out_h, out_w) = ((h - size) / stride + 1, (w - size) / stride + 1);
    Array4::from_shape_fn((n, c, out_h, out_w), |(i, ch, oy, ox)| {
        let mut best = f64::NEG_INFINITY;
        for p in 0..size {
            for q in 0..size {
                best = best.max(x[[i, ch, oy * stride + p, ox * stride + q]]);
            }
        }
        best
    })
}

/// Average pooling by its definition: the mean of every window.
pub fn mean_pool(x: ArrayView4<'_, f64>, size: usize, stride: usize) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let (out_h, out_w) = ((h - size) / stride + 1, (w - size) / stride + 1);
    Array4::from_shape_fn((n, c, out_h, out_w), |(i, ch, oy, ox)| {
        let mut sum = 0.0;
        for p in 0..size {
            for q in 0..size {
                sum += x[[i, ch, oy * stride + p, ox * stride + q]];
            }
        }
        sum / (size * size) as f64
    })
}

/// Max pooling's backward, routed by `route`.
pub fn pool_backward(
    dout: ArrayView4<'_, f64>,
    x: ArrayView4<'_, f64>,
    size: usize,
    stride: usize,
    route: Route,
) -> Array4<f64> {
    let maxima = pool(x, size, stride);
    let mut dx = Array4::zeros(x.raw_dim());
    for ((i, ch, oy, ox), &g) in dout.indexed_iter() {
        let best = maxima[[i, ch, oy, ox]];
        if route == Route::LastMax {
            let last = (0..size * size)
                .rev()
                .map(|k| (oy * stride + k / size, ox * stride + k % size))
                .find(|&(y, xx)| x[[i, ch, y, xx]] == best)
                .expect("the maximum is in its window");
            dx[[i, ch, last.0, last.1]] += g;
            continue;
        }
        let mut routed = false;
        for p in 0..size {
            for q in 0..size {
                let (y, xx) = (oy * stride + p, ox * stride + q);
                let is_max = x[[i, ch, y, xx]] == best;
                let share = match route {
                    Route::FirstMax if is_max && !routed => g,
                    Route::Overwritten if is_max && !routed => {
                        dx[[i, ch, y, xx]] = g;
                        0.0
                    }
                    Route::AllTied if is_max => g,
                    Route::SpreadMean => g / (size * size) as f64,
                    Route::SpreadAll => g,
                    _ => 0.0,
                };
                routed |= is_max;
                dx[[i, ch, y, xx]] += share;
            }
        }
    }
    dx
}

/// The order of im2col's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// `(c, p, q)`: w's row-major reshape (the contract).
    ChannelFirst,
    /// `(p, q, c)`: pixel first, which does not match w's reshape.
    PixelFirst,
}

/// im2col by its definition, rows in `rows` order.
pub fn im2col(
    x: ArrayView4<'_, f64>,
    kh: usize,
    kw: usize,
    stride: usize,
    padding: usize,
    rows: Rows,
) -> Array2<f64> {
    let (n, c, h, w) = x.dim();
    let out_h = size(h, kh, stride, padding).expect("windows that tile");
    let out_w = size(w, kw, stride, padding).expect("windows that tile");
    let xp = pad(x, padding);
    let mut cols = Array2::zeros((c * kh * kw, n * out_h * out_w));
    for ch in 0..c {
        for p in 0..kh {
            for q in 0..kw {
                let row = match rows {
                    Rows::ChannelFirst => (ch * kh + p) * kw + q,
                    Rows::PixelFirst => (p * kw + q) * c + ch,
                };
                for i in 0..n {
                    for oy in 0..out_h {
                        for ox in 0..out_w {
                            cols[[row, (i * out_h + oy) * out_w + ox]] =
                                xp[[i, ch, oy * stride + p, ox * stride + q]];
                        }
                    }
                }
            }
        }
    }
    cols
}

/// col2im by its definition; `overwrite` writes each entry (`=`, the last window wins) instead of
/// adding it.
pub fn col2im(
    cols: &Array2<f64>,
    shape: (usize, usize, usize, usize),
    kh: usize,
    kw: usize,
    stride: usize,
    padding: usize,
    overwrite: bool,
) -> Array4<f64> {
    let (n, c, h, w) = shape;
    let out_h = size(h, kh, stride, padding).expect("windows that tile");
    let out_w = size(w, kw, stride, padding).expect("windows that tile");
    let mut dxp = Array4::zeros((n, c, h + 2 * padding, w + 2 * padding));
    for ch in 0..c {
        for p in 0..kh {
            for q in 0..kw {
                for i in 0..n {
                    for oy in 0..out_h {
                        for ox in 0..out_w {
                            let v = cols[[(ch * kh + p) * kw + q, (i * out_h + oy) * out_w + ox]];
                            let cell = &mut dxp[[i, ch, oy * stride + p, ox * stride + q]];
                            if overwrite {
                                *cell = v;
                            } else {
                                *cell += v;
                            }
                        }
                    }
                }
            }
        }
    }
    Array4::from_shape_fn(shape, |(i, ch, y, xx)| {
        dxp[[i, ch, y + padding, xx + padding]]
    })
}

/// The image moved one pixel in `direction`; `wrap` rolls it around instead of filling zeros.
pub fn shift(x: ArrayView4<'_, f64>, direction: sut::Shift, wrap: bool) -> Array4<f64> {
    let (_, _, h, w) = x.dim();
    let (dy, dx): (isize, isize) = match direction {
        sut::Shift::Up => (1, 0),
        sut::Shift::Down => (-1, 0),
        sut::Shift::Left => (0, 1),
        sut::Shift::Right => (0, -1),
    };
    Array4::from_shape_fn(x.raw_dim(), |(i, c, y, xx)| {
        let (sy, sx) = (y as isize + dy, xx as isize + dx);
        if wrap {
            let (sy, sx) = (sy.rem_euclid(h as isize), sx.rem_euclid(w as isize));
            x[[i, c, sy as usize, sx as usize]]
        } else if (0..h as isize).contains(&sy) && (0..w as isize).contains(&sx) {
            x[[i, c, sy as usize, sx as usize]]
        } else {
            0.0
        }
    })
}

/// The opposite direction.
pub fn opposite(direction: sut::Shift) -> sut::Shift {
    match direction {
        sut::Shift::Up => sut::Shift::Down,
        sut::Shift::Down => sut::Shift::Up,
        sut::Shift::Left => sut::Shift::Right,
        sut::Shift::Right => sut::Shift::Left,
    }
}

/// How the oracle's CNN backward is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CnnForm {
    /// The contract.
    Correct,
    /// The ReLU's gradient forgotten: da = dr.
    NoReluMask,
}

/// The CNN's mean softmax cross-entropy by the oracle's layers.
pub fn cnn_loss(net: &sut::Cnn, x: ArrayView4<'_, f64>, labels: &[usize]) -> f64 {
    cnn_loss_grads(net, x, labels, CnnForm::Correct).0
}

/// The CNN's scores by the oracle's layers.
pub fn cnn_scores(net: &sut::Cnn, x: ArrayView4<'_, f64>) -> Array2<f64> {
    cnn_scores_with(net, x, true)
}

/// The CNN's scores by the oracle's layers, with the ReLU between convolution and pooling or,
/// for the signature of a forgotten one, without.
pub fn cnn_scores_with(net: &sut::Cnn, x: ArrayView4<'_, f64>, relu: bool) -> Array2<f64> {
    let a = conv(x, net.conv_w.view(), &net.conv_b, 1, 1, ConvForm::Correct).expect("3×3, pad 1");
    let r = if relu { a.mapv(|v| v.max(0.0)) } else { a };
    let p = pool(r.view(), 2, 2);
    let (n, f, h, w) = p.dim();
    let flat = p.into_shape_with_order((n, f * h * w)).expect("N·F·h·w");
    flat.dot(&net.dense_w) + &net.dense_b
}

/// The CNN's loss and gradients by the oracle's layers, computed in `form`.
pub fn cnn_loss_grads(
    net: &sut::Cnn,
    x: ArrayView4<'_, f64>,
    labels: &[usize],
    form: CnnForm,
) -> (f64, sut::Cnn) {
    let a = conv(x, net.conv_w.view(), &net.conv_b, 1, 1, ConvForm::Correct).expect("3×3, pad 1");
    let r = a.mapv(|v| v.max(0.0));
    let p = pool(r.view(), 2, 2);
    let pooled = p.raw_dim();
    let (n, f, h, w) = p.dim();
    let flat = p.into_shape_with_order((n, f * h * w)).expect("N·F·h·w");
    let scores = flat.dot(&net.dense_w) + &net.dense_b;
    let mut dscores = Array2::zeros(scores.raw_dim());
    let mut loss = 0.0;
    for (i, &y) in labels.iter().enumerate() {
        let row = scores.row(i);
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let sum: f64 = row.iter().map(|v| (v - max).exp()).sum();
        loss += sum.ln() - (row[y] - max);
        for (j, &v) in row.iter().enumerate() {
            dscores[[i, j]] = ((v - max).exp() / sum - if j == y { 1.0 } else { 0.0 }) / n as f64;
        }
    }
    let dflat = dscores.dot(&net.dense_w.t());
    let dp = dflat.into_shape_with_order(pooled).expect("N·F·h·w");
    let mut da = pool_backward(dp.view(), r.view(), 2, 2, Route::FirstMax);
    if form == CnnForm::Correct {
        da.zip_mut_with(&a, |d, &a| {
            if a <= 0.0 {
                *d = 0.0;
            }
        });
    }
    let (_, dw, db) = conv_backward(da.view(), x, net.conv_w.view(), 1, 1, BackForm::Correct);
    let grads = sut::Cnn {
        conv_w: dw,
        conv_b: db,
        dense_w: flat.t().dot(&dscores),
        dense_b: dscores.sum_axis(ndarray::Axis(0)),
    };
    (loss / n as f64, grads)
}

/// Centred differences of `f` with respect to every element of `param`, step 1e-5.
pub fn numerical_gradient<D: Dimension>(
    param: &mut ndarray::Array<f64, D>,
    mut f: impl FnMut(&ndarray::Array<f64, D>) -> f64,
) -> ndarray::Array<f64, D> {
    let h = 1e-5;
    let mut grad = ndarray::Array::zeros(param.raw_dim());
    for (i, g) in grad.iter_mut().enumerate() {
        let old = param.as_slice().expect("standard layout")[i];
        param.as_slice_mut().expect("standard layout")[i] = old + h;
        let plus = f(param);
        param.as_slice_mut().expect("standard layout")[i] = old - h;
        let minus = f(param);
        param.as_slice_mut().expect("standard layout")[i] = old;
        *g = (plus - minus) / (2.0 * h);
    }
    grad
}

/// Whether `got` has `expected`'s shape and every element within `tol` (relative, floor 1e-12).
pub fn matches<D: Dimension>(
    got: &ndarray::Array<f64, D>,
    expected: &ndarray::Array<f64, D>,
    tol: f64,
) -> bool {
    got.shape() == expected.shape()
        && got
            .iter()
            .zip(expected)
            .all(|(&g, &e)| mlings_grader::assert::near(g, e, tol))
}

/// Whether the rows of `got` are those of `expected` in another order (each row of `got` equals
/// some row of `expected`, and the two are not equal).
pub fn rows_permuted(got: &Array2<f64>, expected: &Array2<f64>) -> bool {
    got.shape() == expected.shape()
        && got != expected
        && got.rows().into_iter().all(|g| {
            expected
                .rows()
                .into_iter()
                .any(|e| g.iter().zip(e).all(|(a, b)| (a - b).abs() < 1e-12))
        })
}
