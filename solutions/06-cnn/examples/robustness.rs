//! Trains the reference CNN (16 filters) and the kit's 64-64-10 MLP on the 8×8 digits with the same
//! budget (80/20 split, 40 epochs of Adam at 3e-3, batches of 32) over five seeds, and prints each
//! one's held-out accuracy, clean and shifted by one pixel, with the training times:
//!
//! ```sh
//! cargo run --release -p cnn-solution --example robustness [SEEDS] [EPOCHS]
//! ```
use std::time::Instant;

use cnn_solution::{Cnn, Mlp, Robustness, TrainConfig, read_digits, robustness, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seeds: u64 = args.next().map_or(Ok(5), |s| s.parse())?;
    let epochs: usize = args.next().map_or(Ok(40), |s| s.parse())?;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/digits/digits.csv.gz"
    );
    let data = read_digits(std::fs::File::open(path)?)?;
    println!(
        "seed  split  CNN clean  CNN shifted (up, down, left, right)  MLP clean  MLP shifted  margin  CNN s  MLP s"
    );
    for seed in 0..seeds {
        let (train_set, test_set) = data.split(0.2, 2024 + seed);
        let config = TrainConfig {
            epochs,
            ..TrainConfig::digits(seed)
        };
        let start = Instant::now();
        let mut cnn = Cnn::new((1, 8, 8), 16, 10, seed)?;
        train(&mut cnn, &train_set, &config)?;
        let cnn_time = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let mut mlp = Mlp::new(64, 64, 10, seed)?;
        train(&mut mlp, &train_set, &config)?;
        let mlp_time = start.elapsed().as_secs_f64();
        let c: Robustness = robustness(&cnn, test_set.view(), &test_set.labels)?;
        let m: Robustness = robustness(&mlp, test_set.view(), &test_set.labels)?;
        println!(
            "{seed:>4}  {:>5}  {:>9.4}  {:.4} ({:.3}, {:.3}, {:.3}, {:.3})  {:>9.4}  {:>11.4}  {:>6.4}  {cnn_time:>5.2}  {mlp_time:>5.2}",
            2024 + seed,
            c.clean,
            c.mean_shifted(),
            c.shifted[0],
            c.shifted[1],
            c.shifted[2],
            c.shifted[3],
            m.clean,
            m.mean_shifted(),
            c.mean_shifted() - m.mean_shifted(),
        );
    }
    Ok(())
}
