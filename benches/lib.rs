//! Shared configuration of the mlings benches: one short measurement setup for every bench, and the
//! gate that benchmarks a learner's kernel only once it gives the reference's answer.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use criterion::Criterion;
use mlings_grader::panics;

/// The font criterion's reports are drawn with: the one the CLI bundles (DejaVu Sans, free
/// licence in `mlings/assets/fonts/`), so no system font library is needed.
const FONT: &[u8] = include_bytes!("../mlings/assets/fonts/DejaVuSans.ttf");

/// The measurement configuration every bench uses: short enough that the whole `cargo bench`
/// finishes in a few minutes on a 2-core machine, long enough for stable medians.
pub fn config() -> Criterion {
    // criterion asks plotters for "sans-serif"; without a registered font its plots fail.
    if plotters::style::register_font("sans-serif", plotters::style::FontStyle::Normal, FONT)
        .is_err()
    {
        panic!("the bundled font mlings/assets/fonts/DejaVuSans.ttf cannot be read");
    }
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10)
        .configure_from_args()
}

/// Whether the learner's version of `kernel` is ready to be benchmarked: `probe` runs it on a small
/// input and says whether it matches the reference. A `todo!()`, a panic or a wrong answer skips the
/// learner's rows with one line saying why.
pub fn learner_ready(kernel: &str, probe: impl FnOnce() -> bool) -> bool {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(probe));
    panic::set_hook(hook);
    let reason = match outcome {
        Ok(true) => return true,
        Ok(false) => "it does not match the reference yet".to_owned(),
        Err(payload) => {
            let text = panics::payload_text(payload.as_ref());
            match panics::not_implemented(&text) {
                Some(_) => panics::NOT_IMPLEMENTED.to_owned(),
                None => format!("it panicked: {text}"),
            }
        }
    };
    println!("skipping learner/{kernel}: {reason} (run `cargo test -p <exercise>` to see why)");
    false
}

#[cfg(test)]
mod tests {
    use plotters::style::IntoFont;

    #[test]
    fn criterion_finds_a_font_for_its_plots() {
        let _ = super::config();
        let size = ("sans-serif", 12.0).into_font().box_size("1.5 ms");
        assert!(size.is_ok_and(|(w, h)| w > 0 && h > 0));
    }
}
