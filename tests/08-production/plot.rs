//! The figures of exercise 08 for `mlings plot 8`, drawn from the crate under test
//! (`crate::sut`):
//!
//! - `reliability`: the digits model's reliability diagram on the test split (top-label
//!   confidence against accuracy, 10 bins) before and after temperature scaling, with the
//!   diagonal of perfect calibration;
//! - `latency`: the histogram of 2,000 request latencies through the learner's batching server
//!   (max_batch 32, max_wait 2 ms), with p50 and p99 marked;
//! - `psi`: PSI per window of a seeded stream (feature 1 shifts at window 6, the label mix at
//!   window 12) for each feature and the labels, with the alert threshold 0.25.
//!
//! Pulled into both crates as their plot example (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use std::time::Duration;

use mlings_grader::plot::{self, Figure, learner};

use crate::sut;

#[path = "data.rs"]
#[allow(dead_code)]
mod data;
#[path = "steps.rs"]
#[allow(dead_code)]
mod steps;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    plot::emit(
        "08-production",
        vec![
            plot::figure("reliability", reliability),
            plot::figure("latency", latency),
            plot::figure("psi", psi_per_window),
        ],
    );
}

fn reliability() -> Result<Figure, String> {
    let d = data::digits();
    let model = data::digits_model();
    let zv = model.logits(d.validation.0.view());
    let zt = model.logits(d.test.0.view());
    let t = plot::try_step(steps::CALIBRATION, || {
        sut::fit_temperature(zv.view(), &d.validation.1)
    })?;
    let curve = |temperature: f64| -> Result<Vec<(f64, f64)>, String> {
        let p = sut::softmax(zt.view(), temperature);
        let (y, conf) = sut::top_label(p.view(), &d.test.1);
        let bins = learner(sut::reliability_bins(&y, &conf, 10))?;
        Ok(bins
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| (b.mean_predicted, b.fraction_positive))
            .collect())
    };
    Ok(Figure::xy(
        "reliability",
        &format!("Digits model on the test split: reliability before and after temperature scaling (T = {t:.3})"),
        "confidence (mean top-class probability in the bin)",
        "accuracy in the bin",
    )
    .line("perfect calibration", [(0.0, 0.0), (1.0, 1.0)])
    .line("before (T = 1)", curve(1.0)?)
    .line(&format!("after (T = {t:.3})"), curve(t)?))
}

fn latency() -> Result<Figure, String> {
    let d = data::digits();
    let model = data::digits_model().clone();
    let server = plot::try_step(steps::SERVING, || {
        sut::Server::start(
            Box::new(move |x| model.predict_proba(x)),
            64,
            sut::BatchConfig {
                max_batch: 32,
                max_wait: Duration::from_millis(2),
                queue_capacity: 256,
            },
        )
    })?;
    let mut latencies = Vec::new();
    let mut waiting = std::collections::VecDeque::new();
    for i in 0..2000 {
        let row = d.test.0.row(i % d.test.0.nrows()).to_vec();
        loop {
            match plot::step(steps::SERVING, || server.submit(row.clone()))? {
                Ok(t) => {
                    waiting.push_back(t);
                    break;
                }
                Err(sut::ServeError::QueueFull { .. }) => {
                    if let Some(t) = waiting.pop_front() {
                        latencies.push(learner(t.wait())?.latency.as_secs_f64() * 1e3);
                    }
                }
                Err(e) => return Err(format!("your code returned an error: {e}")),
            }
        }
    }
    for t in waiting {
        latencies.push(learner(t.wait())?.latency.as_secs_f64() * 1e3);
    }
    server.shutdown();
    // 20 log-spaced bins per decade, as Histogram::latency.
    let lo = latencies
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(1e-4);
    let hi = latencies.iter().copied().fold(0.0, f64::max).max(lo * 1.01);
    let bins = ((hi / lo).log10() * 20.0).ceil().max(1.0) as usize;
    let mut counts = vec![0.0; bins];
    for &l in &latencies {
        let b = (((l / lo).log10() * 20.0) as usize).min(bins - 1);
        counts[b] += 1.0;
    }
    let edge = |b: usize| lo * 10f64.powf(b as f64 / 20.0);
    let steps_line: Vec<(f64, f64)> = counts
        .iter()
        .enumerate()
        .flat_map(|(b, &c)| [(edge(b), c), (edge(b + 1), c)])
        .collect();
    let top = counts.iter().copied().fold(0.0, f64::max);
    let mut figure = Figure::xy(
        "latency",
        "Latency of 2,000 digits requests through your batching server (max_batch 32, max_wait 2 ms)",
        "latency (ms)",
        "requests per bin (20 bins per decade)",
    )
    .line("latency histogram", steps_line);
    match plot::try_step(steps::PERCENTILES, || {
        Ok::<_, sut::StatsError>((
            sut::percentile_nearest_rank(&latencies, 50.0)?,
            sut::percentile_nearest_rank(&latencies, 99.0)?,
        ))
    }) {
        Ok((p50, p99)) => {
            figure = figure
                .line(&format!("p50 = {p50:.3} ms"), [(p50, 0.0), (p50, top)])
                .line(&format!("p99 = {p99:.3} ms"), [(p99, 0.0), (p99, top)]);
        }
        Err(waiting) => figure = figure.note(format!("p50 and p99 {waiting}")),
    }
    Ok(figure)
}

fn psi_per_window() -> Result<Figure, String> {
    let (base, stream) = sut::synthetic_stream(&sut::StreamConfig {
        seed: 3,
        baseline_size: 2000,
        window_size: 500,
        windows: 18,
        feature_shift_at: Some(6),
        label_shift_at: Some(12),
    });
    let config = sut::MonitorConfig::default();
    let drifts = stream
        .iter()
        .map(|w| plot::try_step(steps::MONITOR, || sut::window_drift(&base, w, &config)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut figure = Figure::xy(
        "psi",
        "PSI per window of a seeded stream: feature 1 shifts at window 6, the label mix at 12",
        "window",
        "PSI against the baseline",
    )
    .line(
        "alert threshold 0.25",
        [(0.0, 0.25), ((stream.len() - 1) as f64, 0.25)],
    );
    for f in 0..3 {
        figure = figure.line(
            &format!("feature {f}"),
            drifts
                .iter()
                .enumerate()
                .map(|(t, d)| (t as f64, d.features[f])),
        );
    }
    figure = figure.line(
        "labels",
        drifts.iter().enumerate().map(|(t, d)| (t as f64, d.labels)),
    );
    if let Ok(Some(alert)) = sut::first_alert(&base, &stream, &config) {
        let window = match alert {
            sut::Alert::Feature { window, .. } | sut::Alert::Labels { window, .. } => window,
        };
        figure = figure.points("first alert", [(window as f64, 0.25)]);
    }
    Ok(figure)
}
