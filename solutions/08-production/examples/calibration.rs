//! The digits model's calibration before and after temperature scaling, for seeds 0 … 9: the
//! margins behind the suite's check (which trains at seed 0), and the training time.
//!
//! ```sh
//! cargo run --release -p production-solution --example calibration
//! ```

use std::io::{BufRead, BufReader};
use std::time::Instant;

use ndarray::{Array2, Axis};
use production_solution as reference;

const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../../data/digits/digits.csv.gz");

type Labelled = (Array2<f64>, Vec<usize>);

/// The suite's split: `i % 5 == 0` test, `== 1` validation, the rest training.
fn split() -> [Labelled; 3] {
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for line in BufReader::new(flate2::read::GzDecoder::new(DIGITS_CSV_GZ)).lines() {
        let line = line.expect("the kit's digits file is gzip");
        let v: Vec<f64> = line
            .split(',')
            .map(|s| s.trim().parse().expect("a number"))
            .collect();
        pixels.extend(v[..64].iter().map(|p| p / 16.0));
        labels.push(v[64] as usize);
    }
    let x = Array2::from_shape_vec((labels.len(), 64), pixels).expect("64 pixels per image");
    let pick = |keep: &dyn Fn(usize) -> bool| {
        let idx: Vec<usize> = (0..labels.len()).filter(|&i| keep(i)).collect();
        (
            x.select(Axis(0), &idx),
            idx.iter().map(|&i| labels[i]).collect(),
        )
    };
    [
        pick(&|i| i % 5 >= 2),
        pick(&|i| i % 5 == 1),
        pick(&|i| i % 5 == 0),
    ]
}

fn main() {
    let [train, validation, test] = split();
    println!("seed  train (ms)  test acc      T    NLL before → after    ECE before → after");
    for seed in 0..10 {
        let config = reference::TrainConfig {
            seed,
            ..Default::default()
        };
        let started = Instant::now();
        let net = reference::Mlp::train(train.0.view(), &train.1, 10, &config);
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let zv = net.logits(validation.0.view());
        let t = reference::fit_temperature(zv.view(), &validation.1).expect("valid logits");
        let zt = net.logits(test.0.view());
        let (before, after) = (
            reference::softmax(zt.view(), 1.0),
            reference::softmax(zt.view(), t),
        );
        let nll = |p: &Array2<f64>| reference::log_loss(p.view(), &test.1).expect("valid");
        let ece = |p: &Array2<f64>| {
            let (y, c) = reference::top_label(p.view(), &test.1);
            reference::ece(&y, &c, 15).expect("valid")
        };
        let (y, _) = reference::top_label(before.view(), &test.1);
        let acc = y.iter().filter(|&&c| c).count() as f64 / y.len() as f64;
        println!(
            "{seed:>4} {ms:>11.0} {acc:>9.4} {t:>6.3}   {:.4} → {:.4}      {:.4} → {:.4}",
            nll(&before),
            nll(&after),
            ece(&before),
            ece(&after)
        );
    }
}
