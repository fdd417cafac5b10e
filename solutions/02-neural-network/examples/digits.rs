//! Trains the reference's 64-128-10 ReLU network on the 8×8 digits as the suite's held-out check
//! does (80/20 split with seed 2024, 20 epochs of Adam at batch 32) and prints the held-out
//! accuracy and the training time:
//!
//! ```sh
//! cargo run --release -p neural-network-solution --example digits
//! ```
use std::time::Instant;

use neural_network_solution::{Activation, Init, Mlp, Optimiser, TrainConfig, read_digits, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/digits/digits.csv.gz"
    );
    let data = read_digits(std::fs::File::open(path)?)?;
    let (train_set, test_set) = data.split(0.2, 2024);
    let config = TrainConfig {
        epochs: 20,
        batch_size: 32,
        reg: 1e-4,
        optimiser: Optimiser::adam(1e-3),
        seed: 2,
    };
    let start = Instant::now();
    let mut net = Mlp::new(&[64, 128, 10], Activation::Relu, Init::He, 1)?;
    let history = train(&mut net, train_set.x.view(), &train_set.labels, &config)?;
    let elapsed = start.elapsed();
    let accuracy = net.accuracy(test_set.x.view(), &test_set.labels)?;
    println!(
        "{} training and {} held-out images; {} epochs in {:.3} s ({:.2} ms per epoch)",
        train_set.len(),
        test_set.len(),
        config.epochs,
        elapsed.as_secs_f64(),
        1e3 * elapsed.as_secs_f64() / config.epochs as f64
    );
    println!(
        "training accuracy {:.2}%, held-out accuracy {:.2}%",
        100.0 * history.accuracy.last().copied().unwrap_or(0.0),
        100.0 * accuracy
    );
    Ok(())
}
