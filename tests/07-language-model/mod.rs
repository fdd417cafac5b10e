//! Grading suite of exercise 07: the exact counts and losses of `names.txt` (curriculum
//! anchors: makemore's figures, recomputed), the kit's oracle for everything else, and training
//! runs calibrated on the reference (`cargo run --release -p language-model-solution --example
//! calibrate`).

use mlings_grader::Suite;

mod hidden;
pub mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("07-language-model", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// The 32,033 names of `data/names/names.txt`, compiled into the suite.
const NAMES_TXT: &str = include_str!("../../data/names/names.txt");
/// The kit's split order of the names (`data/names/split.txt`).
const SPLIT_TXT: &str = include_str!("../../data/names/split.txt");

/// The number of bigrams of names.txt, start and end tokens included (curriculum anchors).
pub const BIGRAMS: u64 = 228_146;
/// The number of names in names.txt.
pub const NAMES: usize = 32_033;

/// The names of `names.txt`, in file order.
pub fn names() -> Vec<&'static str> {
    NAMES_TXT.lines().filter(|l| !l.is_empty()).collect()
}

/// The kit's split, read by the suite itself: (train, dev, test) name lists.
pub fn kit_split() -> (Vec<&'static str>, Vec<&'static str>, Vec<&'static str>) {
    let all = names();
    let order = kit_order();
    let (n1, n2) = (8 * order.len() / 10, 9 * order.len() / 10);
    let pick = |idx: &[usize]| idx.iter().map(|&i| all[i]).collect::<Vec<_>>();
    (pick(&order[..n1]), pick(&order[n1..n2]), pick(&order[n2..]))
}

/// The split order of `data/names/split.txt`, as the suite reads it.
pub fn kit_order() -> Vec<usize> {
    SPLIT_TXT
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            l.trim()
                .parse()
                .expect("the kit's split file holds indices")
        })
        .collect()
}
