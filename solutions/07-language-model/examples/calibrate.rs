//! Prints what the reference reaches on the anchors of exercise 07 and calibrates its training
//! checks: the exact counts and losses, the neural bigram against the counts, and the MLP
//! trained with the default settings on the kit's split over three seeds, with the dev and
//! test loss per seed, the training time and a few sampled names:
//!
//! ```sh
//! cargo run --release -p language-model-solution --example calibrate            # everything
//! cargo run --release -p language-model-solution --example calibrate -- short    # the suite's short run only
//! ```
use std::time::Instant;

use language_model_solution::{
    Mlp, NeuralBigram, TrainConfig, bigram_counts, bigrams, contexts, nll, probabilities,
    read_order, sample_names, saturation, smoothed_probabilities, split, train,
};

const NAMES: &str = include_str!("../../../data/names/names.txt");
const SPLIT: &str = include_str!("../../../data/names/split.txt");

/// The suite's short training run (tests/07-language-model/hidden.rs).
const SHORT_STEPS: usize = 6_000;
const SHORT_BATCH: usize = 32;
const SHORT_HIDDEN: usize = 64;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let short_only = std::env::args().any(|a| a == "short");
    let names: Vec<&str> = NAMES.lines().filter(|l| !l.is_empty()).collect();
    let counts = bigram_counts(&names)?;
    println!("bigrams: {}", counts.sum());
    println!(
        "ML nll: {:.16}",
        nll(probabilities(counts.view())?.view(), &names)?
    );
    println!(
        "add-one nll: {:.16}",
        nll(smoothed_probabilities(counts.view(), 1.0)?.view(), &names)?
    );
    let parts = split(&read_order(SPLIT)?)?;
    let pick = |idx: &[usize]| -> Vec<&str> { idx.iter().map(|&i| names[i]).collect() };
    let (tr, dv, te) = (pick(&parts.train), pick(&parts.dev), pick(&parts.test));
    let train_counts = bigram_counts(&tr)?;
    for k in [0.01, 0.1, 1.0] {
        let p = smoothed_probabilities(train_counts.view(), k)?;
        println!("add-{k} bigram dev nll: {:.6}", nll(p.view(), &dv)?);
    }

    // The neural bigram as the suite trains it: the first 1,000 names, lr 50, 300 steps.
    let small = &names[..1000];
    let (xs, ys): (Vec<usize>, Vec<usize>) = bigrams(small)?.into_iter().unzip();
    let count_nll = nll(probabilities(bigram_counts(small)?.view())?.view(), small)?;
    for seed in 1..=3 {
        let mut net = NeuralBigram::new(seed);
        let losses = net.fit(&xs, &ys, 50.0, 300)?;
        let last = *losses.last().expect("300 steps");
        let gap = (net.probabilities() - probabilities(bigram_counts(small)?.view())?)
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        println!(
            "neural bigram seed {seed}: loss {last:.5} vs counts {count_nll:.5} (+{:.5}), max |ΔP| {gap:.4}",
            last - count_nll
        );
    }

    let (train_set, dev_set, test_set) = (contexts(&tr, 3)?, contexts(&dv, 3)?, contexts(&te, 3)?);
    for seed in 1..=3 {
        let mlp = Mlp::init(3, 10, SHORT_HIDDEN, seed)?;
        let config = TrainConfig {
            steps: SHORT_STEPS,
            batch_size: SHORT_BATCH,
            decay_at: SHORT_STEPS,
            eval_every: SHORT_STEPS,
            seed,
            ..TrainConfig::default()
        };
        let start = Instant::now();
        let trained = train(mlp, &train_set, &dev_set, &config)?;
        println!(
            "short run seed {seed}: dev loss {:.4} in {:.2} s",
            trained.dev_loss(),
            start.elapsed().as_secs_f64()
        );
    }
    if short_only {
        return Ok(());
    }
    for seed in 1..=3 {
        let mlp = Mlp::init(3, 10, 200, seed)?;
        let first = mlp.forward(train_set.x.slice(ndarray::s![..1000, ..]))?;
        let initial = mlp.loss(
            train_set.x.slice(ndarray::s![..1000, ..]),
            &train_set.y[..1000],
        )?;
        let config = TrainConfig {
            seed,
            ..TrainConfig::default()
        };
        let start = Instant::now();
        let trained = train(mlp, &train_set, &dev_set, &config)?;
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "full run seed {seed}: step-0 loss {initial:.4}, saturation {:.3}; dev loss {:.4}, test loss {:.4}, {seconds:.1} s",
            saturation(first.h.view(), 0.97),
            trained.dev_loss(),
            trained.mlp.loss(test_set.x.view(), &test_set.y)?
        );
        println!("  dev curve: {:?}", trained.dev_losses);
        println!("  T = 1: {:?}", sample_names(&trained.mlp, 10, 1.0, seed)?);
        println!("  T = 0.5: {:?}", sample_names(&trained.mlp, 5, 0.5, seed)?);
    }
    Ok(())
}
