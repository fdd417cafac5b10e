//! The figures of exercise 02 for `mlings plot 2`, drawn from the crate under test (`crate::sut`):
//!
//! - `loss` and `accuracy`: an MLP trained on the 8×8 digits, epoch by epoch, on the training
//!   set and on held-out digits;
//! - `decision-regions`: the class an MLP trained on three interleaved spirals gives to every
//!   point of the plane, with the data on top.
//!
//! The curves need training (step 8); until it works, the regions are those of the untrained
//! network, and each figure names the step it waits for.
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use std::rc::Rc;

use mlings_grader::plot::{self, Figure, Regions};

use crate::sut;

// The steps the figures wait for, as the suite declares them; the plot names only a few.
#[allow(dead_code)]
#[path = "steps.rs"]
mod steps;

use steps::{INIT, MLP, TRAINING};

#[path = "data.rs"]
mod data;

/// Epochs on the digits: enough to see the curves flatten, a few seconds in the dev profile.
const DIGIT_EPOCHS: usize = 12;
/// The plotted square of the plane for the spirals, which lie in the unit disc.
const SPIRAL_RANGE: (f64, f64) = (-1.15, 1.15);
/// Cells per side of the decision-region grid.
const GRID: usize = 160;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    let digits = Rc::new(std::cell::OnceCell::new());
    let run = {
        let digits = Rc::clone(&digits);
        move || -> Result<Curves, String> { digits.get_or_init(train_on_digits).clone() }
    };
    let run_again = run.clone();
    plot::emit(
        "02-neural-network",
        vec![
            plot::figure("loss", move || {
                let curves = run()?;
                Ok(Figure::xy(
                    "loss",
                    "Loss per epoch: 64-64-10 ReLU network on the 8×8 digits (Adam)",
                    "epoch",
                    "softmax cross-entropy + L2 (log scale)",
                )
                .line(
                    "training (mean over the epoch's batches)",
                    curves.train_loss,
                )
                .line("held-out (after the epoch)", curves.test_loss)
                .y_log())
            }),
            plot::figure("accuracy", move || {
                let curves = run_again()?;
                let last = curves.test_accuracy.last().map_or(0.0, |p| p.1);
                Ok(Figure::xy(
                    "accuracy",
                    &format!(
                        "Accuracy per epoch on the 8×8 digits: {:.1}% held out at the end",
                        100.0 * last
                    ),
                    "epoch",
                    "fraction classified right",
                )
                .line("training", curves.train_accuracy)
                .line("held-out", curves.test_accuracy))
            }),
            plot::figure("decision-regions", spiral_regions),
        ],
    );
}

/// Per-epoch curves of the digits run, as `(epoch, value)` points.
#[derive(Debug, Clone)]
struct Curves {
    train_loss: Vec<(f64, f64)>,
    test_loss: Vec<(f64, f64)>,
    train_accuracy: Vec<(f64, f64)>,
    test_accuracy: Vec<(f64, f64)>,
}

/// Trains one epoch per call of the learner's `train` (a fresh seed each epoch), so that the
/// held-out loss and accuracy can be measured after every epoch.
fn train_on_digits() -> Result<Curves, String> {
    let (train, test) = data::digits()?.split(0.25, 11);
    let mut net = plot::try_step(INIT, || {
        sut::Mlp::new(&[64, 64, 10], sut::Activation::Relu, sut::Init::He, 5)
    })?;
    let reg = 1e-4;
    let mut curves = Curves {
        train_loss: Vec::new(),
        test_loss: Vec::new(),
        train_accuracy: Vec::new(),
        test_accuracy: Vec::new(),
    };
    for epoch in 1..=DIGIT_EPOCHS {
        let config = sut::TrainConfig {
            epochs: 1,
            batch_size: 32,
            reg,
            optimiser: sut::Optimiser::adam(2e-3),
            seed: 100 + epoch as u64,
        };
        let history = plot::try_step(TRAINING, || {
            sut::train(&mut net, train.x.view(), &train.labels, &config)
        })?;
        let x = epoch as f64;
        let (loss, accuracy) = match (history.loss.last(), history.accuracy.last()) {
            (Some(&loss), Some(&accuracy)) => (loss, accuracy),
            _ => return Err("train returned no loss or accuracy for an epoch of training".into()),
        };
        let (test_loss, _) = plot::try_step(MLP, || {
            net.loss_and_gradients(test.x.view(), &test.labels, reg)
        })?;
        let test_accuracy = plot::try_step(MLP, || net.accuracy(test.x.view(), &test.labels))?;
        curves.train_loss.push((x, loss));
        curves.test_loss.push((x, test_loss));
        curves.train_accuracy.push((x, accuracy));
        curves.test_accuracy.push((x, test_accuracy));
    }
    Ok(curves)
}

/// An MLP trained on three spirals, and the class it predicts over the plane; until training
/// (step 8) works, the regions of the untrained network, which need only its forward pass.
fn spiral_regions() -> Result<Figure, String> {
    let data = sut::spiral(100, 3, 7);
    let untrained = plot::try_step(INIT, || {
        sut::Mlp::new(&[2, 64, 3], sut::Activation::Relu, sut::Init::He, 3)
    })?;
    let config = sut::TrainConfig {
        epochs: 300,
        batch_size: 30,
        reg: 1e-4,
        optimiser: sut::Optimiser::adam(1e-2),
        seed: 9,
    };
    let mut net = untrained.clone();
    let trained = plot::try_step(TRAINING, || {
        sut::train(&mut net, data.x.view(), &data.labels, &config)
    });
    let (net, state, waiting) = match trained {
        Ok(_) => (net, "a", None),
        Err(waiting) => (untrained, "an untrained", Some(waiting)),
    };
    let accuracy = plot::try_step(MLP, || net.accuracy(data.x.view(), &data.labels))?;

    let cells = Regions::grid(SPIRAL_RANGE, SPIRAL_RANGE, GRID, GRID);
    let grid = ndarray::Array2::from_shape_fn((cells.len(), 2), |(i, j)| {
        if j == 0 { cells[i].0 } else { cells[i].1 }
    });
    let classes = plot::try_step(MLP, || net.predict(grid.view()))?;
    let points = data
        .x
        .rows()
        .into_iter()
        .zip(&data.labels)
        .map(|(row, &class)| (row[0], row[1], class))
        .collect();
    let regions = Regions::new(SPIRAL_RANGE, SPIRAL_RANGE, GRID, GRID, classes, points);
    let figure = Figure::regions(
        "decision-regions",
        &format!(
            "Decision regions of {state} 2-64-3 ReLU network on three spirals ({:.0}% of the points right)",
            100.0 * accuracy
        ),
        "x₁",
        "x₂",
        regions,
    );
    Ok(match waiting {
        Some(waiting) => figure.note(format!("the trained network {waiting}")),
        None => figure,
    })
}
