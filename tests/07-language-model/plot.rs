//! The figures of exercise 07 for `mlings plot 7`, drawn from the crate under test
//! (`crate::sut`):
//!
//! - `bigram_counts`: the 27 × 27 table of your bigram counts of names.txt, each cell labelled
//!   with its two characters (row: the previous one, column: the next);
//! - `embeddings`: the 2-D embeddings of the 27 characters after a short training of your MLP
//!   with d = 2 (the vowels cluster apart from the consonants, '.' off on its own);
//! - `loss`: that training's mini-batch loss (averaged over 100 steps) and its dev loss.
//!
//! Pulled into both crates as their plot example (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure, Heatmap};

use crate::sut;

// The plot uses a few of the oracle's helpers and steps.
#[allow(dead_code)]
#[path = "oracle.rs"]
mod oracle;
#[allow(dead_code)]
#[path = "steps.rs"]
mod steps;

const NAMES_TXT: &str = include_str!("../../data/names/names.txt");
const SPLIT_TXT: &str = include_str!("../../data/names/split.txt");

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    let trained = std::cell::OnceCell::new();
    plot::emit(
        "07-language-model",
        vec![
            plot::figure("bigram_counts", counts_map),
            plot::figure("embeddings", || embeddings(&trained)),
            plot::figure("loss", || losses(&trained)),
        ],
    );
}

fn names() -> Vec<&'static str> {
    NAMES_TXT.lines().filter(|l| !l.is_empty()).collect()
}

fn counts_map() -> Result<Figure, String> {
    let counts = plot::try_step(steps::VOCABULARY, || sut::bigram_counts(&names()))?;
    let labels = (0..27)
        .flat_map(|a| (0..27).map(move |b| format!("{}{}", sut::decode(a), sut::decode(b))))
        .collect();
    let map = Heatmap::new(27, 27, counts.iter().map(|&c| c as f64).collect(), "count")
        .with_cell_labels(labels);
    Ok(Figure::heatmap(
        "bigram_counts",
        "Bigram counts of names.txt (228,146 in all)",
        "next character (. a … z)",
        "previous character (. a … z, top to bottom)",
        map,
    ))
}

/// A short training of the learner's MLP with 2-D embeddings: 4,000 steps, H = 64.
type Run = Result<(sut::Trained, Vec<String>), String>;

fn train_small(cell: &std::cell::OnceCell<Run>) -> &Run {
    cell.get_or_init(|| {
        let all = names();
        let order: Vec<usize> = sut::read_order(SPLIT_TXT).map_err(|e| e.to_string())?;
        let (n1, n2) = (8 * order.len() / 10, 9 * order.len() / 10);
        let pick = |idx: &[usize]| idx.iter().map(|&i| all[i]).collect::<Vec<_>>();
        let (tx, ty) = oracle::contexts(&pick(&order[..n1]), 3);
        let (dx, dy) = oracle::contexts(&pick(&order[n1..n2]), 3);
        let mut notes = Vec::new();
        let init = match plot::try_step(steps::INITIALISATION, || sut::Mlp::init(3, 2, 64, 1)) {
            Ok(mlp) => mlp,
            Err(waiting) => {
                notes.push(format!("your initialisation {waiting}; the kit's is used"));
                oracle::random_mlp(3, 2, 64, 0.01, 1)
            }
        };
        let config = sut::TrainConfig {
            steps: 4_000,
            decay_at: 3_000,
            eval_every: 500,
            ..sut::TrainConfig::default()
        };
        let trained = plot::try_step(steps::MLP, || {
            sut::train(
                init,
                &sut::Dataset { x: tx, y: ty },
                &sut::Dataset { x: dx, y: dy },
                &config,
            )
        })?;
        Ok((trained, notes))
    })
}

fn embeddings(cell: &std::cell::OnceCell<Run>) -> Result<Figure, String> {
    let (trained, notes) = train_small(cell).as_ref().map_err(Clone::clone)?;
    let c = &trained.mlp.c;
    let point = |t: usize| (c[[t, 0]], c[[t, 1]]);
    let vowels: Vec<usize> = "aeiouy".chars().map(oracle::token).collect();
    let mut figure = Figure::xy(
        "embeddings",
        "Character embeddings after 4,000 steps (d = 2)",
        "C[:, 0]",
        "C[:, 1]",
    )
    .points("vowels a e i o u y", vowels.iter().map(|&t| point(t)))
    .points(
        "consonants",
        (1..27).filter(|t| !vowels.contains(t)).map(point),
    )
    .points("'.' (start and end)", [point(0)]);
    for note in notes {
        figure = figure.note(note.clone());
    }
    Ok(figure)
}

fn losses(cell: &std::cell::OnceCell<Run>) -> Result<Figure, String> {
    let (trained, notes) = train_small(cell).as_ref().map_err(Clone::clone)?;
    let averaged: Vec<(f64, f64)> = trained
        .train_losses
        .chunks(100)
        .enumerate()
        .map(|(i, chunk)| {
            (
                (100 * i + chunk.len()) as f64,
                chunk.iter().sum::<f64>() / chunk.len() as f64,
            )
        })
        .collect();
    let mut figure = Figure::xy(
        "loss",
        "MLP training (d = 2, H = 64): loss per step",
        "step",
        "cross-entropy (nats)",
    )
    .line("training mini-batches (mean of 100)", averaged)
    .line(
        "dev split",
        trained.dev_losses.iter().map(|&(s, l)| (s as f64, l)),
    )
    .line(
        "ln 27 (uniform)",
        [(0.0, 27f64.ln()), (4_000.0, 27f64.ln())],
    );
    for note in notes {
        figure = figure.note(note.clone());
    }
    Ok(figure)
}
