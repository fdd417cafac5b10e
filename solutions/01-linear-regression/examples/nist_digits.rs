//! Prints the correct digits (NIST's log relative error, the minimum over the parameters) that
//! the reference reaches on each NIST StRD dataset, by method:
//!
//! ```sh
//! cargo run -p linear-regression-solution --example nist_digits
//! ```

use linear_regression_solution::{
    FitError, GdConfig, LinearRegression, Solver, qr_solve, solve_normal_equations,
};
use mlings_grader::assert::correct_digits;
use ndarray::{Array1, s};

#[allow(dead_code)]
#[path = "../../../tests/01-linear-regression/hidden/nist.rs"]
mod nist;

fn fewest(got: &[f64], certified: &[f64]) -> f64 {
    got.iter()
        .zip(certified)
        .map(|(&g, &c)| correct_digits(g, c))
        .fold(15.0, f64::min)
}

fn show(result: Result<f64, FitError>) -> String {
    match result {
        Ok(digits) => format!("{digits:>6.1}"),
        Err(FitError::NotPositiveDefinite { .. }) => "not PD".to_owned(),
        Err(e) => format!("{e:?}").chars().take(6).collect(),
    }
}

fn main() {
    println!(
        "{:<9} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "dataset", "normal", "QR β", "QR SE", "QR s", "QR R²", "GD β"
    );
    for d in nist::all() {
        let design = d.design();
        let c = &d.certified;
        let normal = solve_normal_equations(design.view(), d.y.view())
            .map(|b| fewest(b.as_slice().unwrap(), &c.estimates));
        let qr = qr_solve(design.view(), d.y.view())
            .map(|b| fewest(b.as_slice().unwrap(), &c.estimates));
        let x = match d.model {
            nist::Model::ThroughOrigin => d.x.clone(),
            _ => design.slice(s![.., 1..]).to_owned(),
        };
        let model = LinearRegression::new()
            .fit_intercept(d.has_intercept())
            .fit(x.view(), d.y.view());
        let (se, sd, r2) = match &model {
            Ok(m) => (
                Ok(fewest(
                    m.standard_errors().as_slice().unwrap(),
                    &c.standard_deviations,
                )),
                Ok(correct_digits(m.residual_std(), c.residual_sd)),
                Ok(correct_digits(m.r_squared(), c.r_squared)),
            ),
            Err(e) => (Err(e.clone()), Err(e.clone()), Err(e.clone())),
        };
        let gd = if d.name == "Norris" {
            LinearRegression::new()
                .solver(Solver::GradientDescent(GdConfig {
                    learning_rate: 0.1,
                    iterations: 500,
                }))
                .fit(x.view(), d.y.view())
                .map(|m| {
                    let beta: Array1<f64> = std::iter::once(m.intercept())
                        .chain(m.coefficients().iter().cloned())
                        .collect();
                    fewest(beta.as_slice().unwrap(), &c.estimates)
                })
        } else {
            Err(FitError::InvalidSetting(String::new()))
        };
        println!(
            "{:<9} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            d.name,
            show(normal),
            show(qr),
            show(se),
            show(sd),
            show(r2),
            if d.name == "Norris" {
                show(gd)
            } else {
                "—".to_owned()
            }
        );
    }
}
