//! Step 6: robustness to a one-pixel shift, the CNN against the MLP.

use ndarray::{Array4, ArrayView4};

use crate::error::CnnError;
use crate::train::Model;
// BEGIN SOLUTION
use crate::train::accuracy;
use ndarray::s;
// END SOLUTION

/// A one-pixel move of the whole image, with a row or column of zeros entering on the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// Content moves up: `out[y, x] = in[y + 1, x]`, the bottom row is 0.
    Up,
    /// Content moves down: `out[y, x] = in[y − 1, x]`, the top row is 0.
    Down,
    /// Content moves left: `out[y, x] = in[y, x + 1]`, the right column is 0.
    Left,
    /// Content moves right: `out[y, x] = in[y, x − 1]`, the left column is 0.
    Right,
}

impl Shift {
    /// The four directions, in the order of [`Robustness::shifted`].
    pub const ALL: [Shift; 4] = [Shift::Up, Shift::Down, Shift::Left, Shift::Right];
}

/// A model's accuracy on clean and on shifted test images.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Robustness {
    /// Accuracy on the test images as they are.
    pub clean: f64,
    /// Accuracy on the test images shifted by one pixel, per direction of [`Shift::ALL`].
    pub shifted: [f64; 4],
}

impl Robustness {
    /// The mean accuracy over the four shifts.
    pub fn mean_shifted(&self) -> f64 {
        self.shifted.iter().sum::<f64>() / 4.0
    }
}

/// Step 6: every image of `x: (N, C, H, W)` moved by one pixel in `direction`, zeros entering
/// (nothing wraps around).
///
/// ```text
/// Right, one 1×3 row:  [1, 2, 3]   →   [0, 1, 2]
/// ```
///
/// # Examples
/// ```
/// # use cnn_solution::{shift, Shift};
/// use ndarray::Array4;
/// let x = Array4::from_shape_vec((1, 1, 1, 3), vec![1.0, 2.0, 3.0]).unwrap();
/// assert_eq!(shift(x.view(), Shift::Right).into_raw_vec_and_offset().0, vec![0.0, 1.0, 2.0]);
/// ```
pub fn shift(x: ArrayView4<'_, f64>, direction: Shift) -> Array4<f64> {
    // BEGIN SOLUTION
    let (_, _, h, w) = x.dim();
    let mut out = Array4::zeros(x.raw_dim());
    if h < 2 && matches!(direction, Shift::Up | Shift::Down)
        || w < 2 && matches!(direction, Shift::Left | Shift::Right)
    {
        return out;
    }
    match direction {
        Shift::Up => out
            .slice_mut(s![.., .., ..h - 1, ..])
            .assign(&x.slice(s![.., .., 1.., ..])),
        Shift::Down => out
            .slice_mut(s![.., .., 1.., ..])
            .assign(&x.slice(s![.., .., ..h - 1, ..])),
        Shift::Left => out
            .slice_mut(s![.., .., .., ..w - 1])
            .assign(&x.slice(s![.., .., .., 1..])),
        Shift::Right => {
            out.slice_mut(s![.., .., .., 1..])
                .assign(&x.slice(s![.., .., .., ..w - 1]))
        }
    }
    out
    // STUB
    // // TODO: Copy x moved one pixel in `direction` into zeros; nothing wraps around.
    // // Right: [1, 2, 3] -> [0, 1, 2]
    // todo!("x {:?} shifted {direction:?}", x.shape())
    // END SOLUTION
}

/// Step 6: `model`'s accuracy on the test images `x` with `labels`, as they are and shifted by one
/// pixel in each direction of [`Shift::ALL`] (use [`shift`] and [`accuracy`](crate::accuracy)).
///
/// # Errors
/// The errors of [`accuracy`](crate::accuracy).
pub fn robustness(
    model: &impl Model,
    x: ArrayView4<'_, f64>,
    labels: &[usize],
) -> Result<Robustness, CnnError> {
    // BEGIN SOLUTION
    let clean = accuracy(model, x, labels)?;
    let mut shifted = [0.0; 4];
    for (acc, direction) in shifted.iter_mut().zip(Shift::ALL) {
        *acc = accuracy(model, shift(x, direction).view(), labels)?;
    }
    Ok(Robustness { clean, shifted })
    // STUB
    // // TODO: The accuracy on x, then on shift(x, d) for every d in Shift::ALL.
    // let _ = model;
    // todo!("robustness on x {:?} with {} labels", x.shape(), labels.len())
    // END SOLUTION
}
