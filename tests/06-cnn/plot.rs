//! The figures of exercise 06 for `mlings plot 6`, drawn from the crate under test
//! (`crate::sut`):
//!
//! - `filters`: the 16 learned 3×3 filters of the learner's CNN after 10 epochs on the digits
//!   (its initial random filters until step 5 trains);
//! - `feature-maps`: one held-out digit and its 16 feature maps after the convolution and ReLU
//!   (step 1, with the filters above);
//! - `shift-robustness`: held-out accuracy of the CNN and of the kit's MLP, clean and shifted by
//!   one pixel in each direction (steps 5 and 6).
//!
//! Pulled into both crates as their plot example (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure, Heatmap};
use ndarray::{Array2, ArrayView2, s};

use crate::sut;

#[path = "data.rs"]
mod data;
#[allow(dead_code)]
#[path = "steps.rs"]
mod steps;

use steps::{CNN, CONV_FORWARD, ROBUSTNESS};

/// The plots' training budget: 10 epochs keep `mlings plot` within seconds in the test profile.
const EPOCHS: usize = 10;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    let Ok((train, test)) = data::digits().map(|d| d.split(0.2, 2024)) else {
        eprintln!("cannot read the kit's digits (data/digits/digits.csv.gz)");
        std::process::exit(1);
    };
    let config = sut::TrainConfig {
        epochs: EPOCHS,
        ..sut::TrainConfig::digits(0)
    };
    let initial = sut::Cnn::new((1, 8, 8), 16, 10, 0).expect("valid sizes");
    let trained = plot::try_step(CNN, || {
        let mut cnn = initial.clone();
        sut::train(&mut cnn, &train, &config).map(|_| cnn)
    });
    let (cnn, waiting) = match &trained {
        Ok(cnn) => (cnn.clone(), None),
        Err(waiting) => (initial, Some(waiting.to_string())),
    };
    plot::emit(
        "06-cnn",
        vec![
            plot::figure("filters", || filters(&cnn, waiting.as_deref())),
            plot::figure("feature-maps", || {
                feature_maps(&cnn, &test, waiting.as_deref())
            }),
            plot::figure("shift-robustness", || {
                shift_robustness(
                    trained.as_ref().ok(),
                    waiting.as_deref(),
                    &train,
                    &test,
                    &config,
                )
            }),
        ],
    );
}

/// `maps` (each `rows × cols`) tiled in a grid `per_row` wide, one blank row and column between
/// them.
fn tile(maps: &[Array2<f64>], per_row: usize, color_label: &str) -> Heatmap {
    let (h, w) = maps[0].dim();
    let grid_rows = maps.len().div_ceil(per_row);
    let rows = grid_rows * (h + 1) - 1;
    let cols = per_row * (w + 1) - 1;
    let mut values = vec![0.0; rows * cols];
    let mut blank = vec![true; rows * cols];
    for (k, map) in maps.iter().enumerate() {
        let (r0, c0) = ((k / per_row) * (h + 1), (k % per_row) * (w + 1));
        for ((i, j), &v) in map.indexed_iter() {
            values[(r0 + i) * cols + c0 + j] = v;
            blank[(r0 + i) * cols + c0 + j] = false;
        }
    }
    Heatmap::new(rows, cols, values, color_label).with_blanks(blank)
}

fn filters(cnn: &sut::Cnn, waiting: Option<&str>) -> Result<Figure, String> {
    let maps: Vec<Array2<f64>> = (0..cnn.filters())
        .map(|f| cnn.conv_w.slice(s![f, 0, .., ..]).to_owned())
        .collect();
    let title = match waiting {
        None => format!("The 16 learned 3×3 filters after {EPOCHS} epochs"),
        Some(_) => "The 16 initial (random) 3×3 filters".to_owned(),
    };
    let figure = Figure::heatmap(
        "filters",
        &title,
        "filter column (4 filters a row)",
        "filter row",
        tile(&maps, 4, "weight"),
    );
    Ok(match waiting {
        None => figure,
        Some(waiting) => figure.note(format!("the learned filters {waiting}")),
    })
}

fn feature_maps(
    cnn: &sut::Cnn,
    test: &sut::Images,
    waiting: Option<&str>,
) -> Result<Figure, String> {
    let digit = test.x.slice(s![0..1, .., .., ..]);
    let a = plot::try_step(CONV_FORWARD, || {
        sut::conv_forward(digit, cnn.conv_w.view(), cnn.conv_b.view(), sut::Cnn::CONV)
    })?;
    let mut maps = vec![digit.slice(s![0, 0, .., ..]).to_owned()];
    maps.extend((0..cnn.filters()).map(|f| a.slice(s![0, f, .., ..]).mapv(|v| v.max(0.0))));
    let normalised: Vec<Array2<f64>> = maps.iter().map(|m| scaled(m.view())).collect();
    let figure = Figure::heatmap(
        "feature-maps",
        &format!(
            "A held-out {} (top left) and its 16 feature maps after conv and ReLU",
            test.labels[0]
        ),
        "map column",
        "map row",
        tile(&normalised, 6, "activation / map's max"),
    );
    Ok(match waiting {
        None => figure,
        Some(waiting) => figure.note(format!("maps of the learned filters {waiting}")),
    })
}

/// `map` divided by its largest value (unchanged when that is 0), so every map uses the scale.
fn scaled(map: ArrayView2<'_, f64>) -> Array2<f64> {
    let max = map.fold(0.0_f64, |m, &v| m.max(v.abs()));
    if max > 0.0 {
        map.mapv(|v| v / max)
    } else {
        map.to_owned()
    }
}

fn shift_robustness(
    cnn: Option<&sut::Cnn>,
    waiting: Option<&str>,
    train: &sut::Images,
    test: &sut::Images,
    config: &sut::TrainConfig,
) -> Result<Figure, String> {
    let mut mlp = sut::Mlp::new(64, 64, 10, 0).map_err(|e| e.to_string())?;
    sut::train(&mut mlp, train, config).map_err(|e| e.to_string())?;
    let points = |r: &sut::Robustness| {
        std::iter::once(r.clean)
            .chain(r.shifted)
            .enumerate()
            .map(|(i, a)| (i as f64, a))
            .collect::<Vec<_>>()
    };
    let mlp = plot::try_step(ROBUSTNESS, || {
        sut::robustness(&mlp, test.view(), &test.labels)
    })?;
    let figure = Figure::xy(
        "shift-robustness",
        &format!(
            "Held-out accuracy, clean and shifted one pixel ({EPOCHS} epochs each); mean shifted: MLP {:.3}",
            mlp.mean_shifted()
        ),
        "0 clean, 1 up, 2 down, 3 left, 4 right",
        "accuracy",
    )
    .points("MLP 64-64-10", points(&mlp));
    Ok(match cnn {
        Some(cnn) => {
            let cnn = plot::try_step(ROBUSTNESS, || {
                sut::robustness(cnn, test.view(), &test.labels)
            })?;
            figure.points(
                &format!("CNN (mean shifted {:.3})", cnn.mean_shifted()),
                points(&cnn),
            )
        }
        None => figure.note(format!(
            "the CNN's accuracies {}",
            waiting.unwrap_or("need step 5 (cnn)")
        )),
    })
}
