//! Prints what the reference reaches on every certified fit of exercise 04 — the fewest correct
//! digits over the coefficients, the standard errors and the deviance (or log-likelihood) — and
//! trains softmax regression on the digits as the suite does (every fifth image held out, the
//! default settings), with the held-out accuracy and the training time:
//!
//! ```sh
//! cargo run --release -p logistic-regression-solution --example certified
//! ```
use std::io::{BufRead, BufReader};
use std::time::Instant;

use logistic_regression_solution::{
    Link, NewtonConfig, SgdConfig, fit_logistic, fit_softmax_sgd, inverse_diagonal, irls,
    multinomial_hessian, multinomial_newton, weighted_gram,
};
use ndarray::{Array1, Array2, ArrayView1, Axis};

/// Stata's certified fit of ANES 1996, as the hidden checks carry it.
#[path = "../../../tests/04-logistic-regression/hidden/anes.rs"]
mod anes;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn table(file: &str) -> Vec<Vec<f64>> {
    std::fs::read_to_string(format!("{DATA}/glm/{file}"))
        .expect("the kit's fixtures")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            l.split('\t')
                .map(|v| v.trim().parse().expect("a number"))
                .collect()
        })
        .collect()
}

/// The fewest correct digits of `got` against `certified`.
fn digits(got: ArrayView1<'_, f64>, certified: &[f64]) -> f64 {
    got.iter()
        .zip(certified)
        .map(|(&g, &c)| -(((g - c) / c).abs().max(1e-17)).log10())
        .fold(f64::INFINITY, f64::min)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = NewtonConfig::default();
    // Challenger, any distress and counts of 6 (R glm).
    let rows = table("challenger.tsv");
    let x = Array2::from_shape_fn((rows.len(), 1), |(i, _)| rows[i][0]);
    let any = Array1::from_shape_fn(rows.len(), |i| f64::from(u8::from(rows[i][1] > 0.0)));
    let fit = fit_logistic(
        x.view(),
        any.view(),
        Array1::ones(rows.len()).view(),
        &config,
    )?;
    println!(
        "Challenger (0/1), Newton, {} iterations: β {:.1} digits, SE {:.1}, deviance {:.1}, null deviance {:.1}",
        fit.deviances.len() - 1,
        digits(fit.beta.view(), &[15.042901647702445, -0.23216274421859653]),
        digits(fit.se.view(), &[7.378636384911237, 0.10823652164920708]),
        digits(ndarray::arr1(&[fit.deviance]).view(), &[20.315192687866826]),
        digits(
            ndarray::arr1(&[fit.null_deviance]).view(),
            &[28.267152734293493]
        ),
    );
    let damaged = Array1::from_shape_fn(rows.len(), |i| rows[i][1]);
    let fit = fit_logistic(
        x.view(),
        damaged.view(),
        Array1::from_elem(rows.len(), 6.0).view(),
        &config,
    )?;
    println!(
        "Challenger (of 6), Newton, {} iterations: β {:.1} digits, SE {:.1}, deviance {:.1}",
        fit.deviances.len() - 1,
        digits(fit.beta.view(), &[11.662989695265303, -0.21623366411366324]),
        digits(fit.se.view(), &[3.2962632893777966, 0.053177033248324054]),
        digits(ndarray::arr1(&[fit.deviance]).view(), &[16.912278528864846]),
    );
    // Beetles under three links (R glm, Fisher scoring).
    let rows = table("beetles.tsv");
    let design = Array2::from_shape_fn(
        (rows.len(), 2),
        |(i, j)| if j == 0 { 1.0 } else { rows[i][0] },
    );
    let killed = Array1::from_shape_fn(rows.len(), |i| rows[i][2]);
    let exposed = Array1::from_shape_fn(rows.len(), |i| rows[i][1]);
    let certified = [
        (
            Link::Logit,
            [-60.7174545616353, 34.27032573414692],
            [5.180711463340782, 2.9121400706357186],
            11.232231097419321,
        ),
        (
            Link::Probit,
            [-34.935258899178145, 19.727934211322413],
            [2.6479177986179137, 1.4872350409027864],
            10.119758113001488,
        ),
        (
            Link::CLogLog,
            [-39.57231060613759, 22.041169820757766],
            [3.2402726196706864, 1.7993551909800707],
            3.446438733024447,
        ),
    ];
    for (link, beta, se, deviance) in certified {
        let fit = irls(design.view(), killed.view(), exposed.view(), link, &config)?;
        let eta = design.dot(&fit.beta);
        let w = Array1::from_shape_fn(eta.len(), |i| {
            let (mu, d) = (link.mean(eta[i]), link.mean_derivative(eta[i]));
            exposed[i] * d * d / (mu * (1.0 - mu))
        });
        let got_se =
            inverse_diagonal(weighted_gram(design.view(), w.view())?.view())?.mapv(f64::sqrt);
        println!(
            "beetles {link:?}, IRLS, {} iterations: β {:.1} digits, SE {:.1}, deviance {:.1}",
            fit.iterations,
            digits(fit.beta.view(), &beta),
            digits(got_se.view(), &se),
            digits(ndarray::arr1(&[fit.deviance()]).view(), &[deviance]),
        );
    }
    // ANES 1996 (Stata 11).
    let rows = table("anes96.tsv");
    let x = Array2::from_shape_fn((rows.len(), 6), |(i, j)| match j {
        0 => (rows[i][0] + 0.1).ln(),
        1 => rows[i][2],
        2 => rows[i][6],
        3 => rows[i][7],
        4 => rows[i][8],
        _ => 1.0,
    });
    let labels: Vec<usize> = rows.iter().map(|r| r[5] as usize).collect();
    let start = Instant::now();
    let fit = multinomial_newton(x.view(), &labels, 7, &config)?;
    let elapsed = start.elapsed();
    let (params, se) = (anes::PARAMS, anes::SE);
    let got_se =
        inverse_diagonal(multinomial_hessian(x.view(), fit.beta.view())?.view())?.mapv(f64::sqrt);
    let beta_digits = (0..6)
        .map(|k| digits(fit.beta.column(k), &params[k]))
        .fold(f64::INFINITY, f64::min);
    let se_digits = (0..6)
        .map(|k| digits(got_se.slice(ndarray::s![k * 6..(k + 1) * 6]), &se[k]))
        .fold(f64::INFINITY, f64::min);
    let nll = fit.neg_log_likelihoods.last().copied().unwrap_or(f64::NAN);
    println!(
        "ANES 1996, multinomial Newton, {} iterations in {:.1} ms: β {beta_digits:.1} digits (Stata prints 7–8), SE {se_digits:.1}, log-likelihood {:.1} ({:.9})",
        fit.iterations,
        1e3 * elapsed.as_secs_f64(),
        digits(ndarray::arr1(&[-nll]).view(), &[anes::LOG_LIKELIHOOD]),
        -nll
    );
    // Digits, softmax regression by mini-batch descent, as the suite trains it.
    let gz = std::fs::File::open(format!("{DATA}/digits/digits.csv.gz"))?;
    let mut pixels = Vec::new();
    let mut all = Vec::new();
    for line in BufReader::new(flate2::read::GzDecoder::new(gz)).lines() {
        let values: Vec<f64> = line?
            .split(',')
            .map(|v| v.trim().parse())
            .collect::<Result<_, _>>()?;
        pixels.extend_from_slice(&values[..64]);
        all.push(values[64] as usize);
    }
    let x = Array2::from_shape_vec((all.len(), 64), pixels)?;
    let (test, train): (Vec<usize>, Vec<usize>) = (0..all.len()).partition(|i| i % 5 == 0);
    let pick = |idx: &[usize]| {
        (
            x.select(Axis(0), idx),
            idx.iter().map(|&i| all[i]).collect::<Vec<_>>(),
        )
    };
    let ((xtr, ytr), (xte, yte)) = (pick(&train), pick(&test));
    let sgd = SgdConfig::default();
    let start = Instant::now();
    let model = fit_softmax_sgd(xtr.view(), &ytr, 10, &sgd)?;
    let elapsed = start.elapsed();
    let predicted = model.predict(xte.view())?;
    let correct = predicted.iter().zip(&yte).filter(|(a, b)| a == b).count();
    println!(
        "digits, softmax SGD ({} epochs, batch {}, η {}): {} training images in {:.1} ms; held-out accuracy {:.2}% ({correct} of {})",
        sgd.epochs,
        sgd.batch_size,
        sgd.learning_rate,
        ytr.len(),
        1e3 * elapsed.as_secs_f64(),
        100.0 * correct as f64 / yte.len() as f64,
        yte.len()
    );
    Ok(())
}
