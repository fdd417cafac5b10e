//! The eleven NIST StRD linear-regression datasets and their certified values, read from the
//! kit's fixtures (`data/nist-strd/`, "NIST/ITL StRD", public domain).
//!
//! Self-contained (no `sut`), so the solution's `nist_digits` example reads it too.

use ndarray::{Array1, Array2, s};

/// How a dataset's design is built from its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// `y = B0 + B1 x + … + Bd xᵈ`.
    Polynomial {
        /// The degree d.
        degree: usize,
    },
    /// `y = B1 x`, through the origin.
    ThroughOrigin,
    /// `y = B0 + B1 x1 + … + Bd xd` (Longley).
    Multiple,
}

/// What NIST certifies for one dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Certified {
    /// B0, B1, … in the order of the design.
    pub estimates: Vec<f64>,
    /// The standard deviations (standard errors) of the estimates.
    pub standard_deviations: Vec<f64>,
    /// The residual standard deviation.
    pub residual_sd: f64,
    /// R², uncentred for the models through the origin.
    pub r_squared: f64,
}

/// One dataset: the targets, the raw predictors and the model.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// NIST's name, such as `"Filip"`.
    pub name: &'static str,
    /// The targets, `(n)`.
    pub y: Array1<f64>,
    /// The predictors, `(n, k)`: one column, or six for Longley.
    pub x: Array2<f64>,
    /// How the design is built.
    pub model: Model,
    /// The certified values.
    pub certified: Certified,
}

impl Dataset {
    /// The design matrix, built by plain loops (the suite's own trusted version): powers by
    /// successive products, the intercept column first.
    pub fn design(&self) -> Array2<f64> {
        let n = self.y.len();
        match self.model {
            Model::Polynomial { degree } => Array2::from_shape_fn((n, degree + 1), |(i, j)| {
                (0..j).fold(1.0, |acc, _| acc * self.x[[i, 0]])
            }),
            Model::ThroughOrigin => self.x.clone(),
            Model::Multiple => {
                let mut d = Array2::ones((n, self.x.ncols() + 1));
                d.slice_mut(s![.., 1..]).assign(&self.x);
                d
            }
        }
    }

    /// The number of parameters p.
    pub fn parameters(&self) -> usize {
        self.certified.estimates.len()
    }

    /// Whether the model has an intercept.
    pub fn has_intercept(&self) -> bool {
        self.model != Model::ThroughOrigin
    }
}

const FILES: [(&str, &str, Model); 11] = [
    (
        "Norris",
        include_str!("../../../data/nist-strd/norris.dat"),
        Model::Polynomial { degree: 1 },
    ),
    (
        "Pontius",
        include_str!("../../../data/nist-strd/pontius.dat"),
        Model::Polynomial { degree: 2 },
    ),
    (
        "NoInt1",
        include_str!("../../../data/nist-strd/noint1.dat"),
        Model::ThroughOrigin,
    ),
    (
        "NoInt2",
        include_str!("../../../data/nist-strd/noint2.dat"),
        Model::ThroughOrigin,
    ),
    (
        "Filip",
        include_str!("../../../data/nist-strd/filip.dat"),
        Model::Polynomial { degree: 10 },
    ),
    (
        "Longley",
        include_str!("../../../data/nist-strd/longley.dat"),
        Model::Multiple,
    ),
    (
        "Wampler1",
        include_str!("../../../data/nist-strd/wampler1.dat"),
        Model::Polynomial { degree: 5 },
    ),
    (
        "Wampler2",
        include_str!("../../../data/nist-strd/wampler2.dat"),
        Model::Polynomial { degree: 5 },
    ),
    (
        "Wampler3",
        include_str!("../../../data/nist-strd/wampler3.dat"),
        Model::Polynomial { degree: 5 },
    ),
    (
        "Wampler4",
        include_str!("../../../data/nist-strd/wampler4.dat"),
        Model::Polynomial { degree: 5 },
    ),
    (
        "Wampler5",
        include_str!("../../../data/nist-strd/wampler5.dat"),
        Model::Polynomial { degree: 5 },
    ),
];

const CERTIFIED: &str = include_str!("../../../data/nist-strd/nist-certified.txt");

/// Every dataset, in NIST's order.
pub fn all() -> Vec<Dataset> {
    FILES
        .iter()
        .map(|&(name, text, model)| parse(name, text, model))
        .collect()
}

/// The dataset called `name`.
pub fn get(name: &str) -> Dataset {
    let (name, text, model) = *FILES
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("no NIST dataset {name}"));
    parse(name, text, model)
}

fn numbers(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|e| panic!("bad number {v:?}: {e}"))
        })
        .collect()
}

fn parse(name: &'static str, text: &str, model: Model) -> Dataset {
    let rows: Vec<Vec<f64>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(numbers)
        .collect();
    let k = rows[0].len() - 1;
    let y = Array1::from_iter(rows.iter().map(|r| r[0]));
    let x = Array2::from_shape_fn((rows.len(), k), |(i, j)| rows[i][j + 1]);
    Dataset {
        name,
        y,
        x,
        model,
        certified: certified(name),
    }
}

fn certified(name: &str) -> Certified {
    let header = format!("[{name}]");
    let mut lines = CERTIFIED.lines().skip_while(|l| *l != header).skip(1);
    let mut field = |key: &str| -> Vec<f64> {
        let line = lines.next().unwrap_or_else(|| panic!("{name}: no {key}"));
        let (k, v) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("{name}: bad line {line:?}"));
        assert_eq!(k, key, "{name}: expected {key}");
        numbers(v)
    };
    Certified {
        estimates: field("estimates"),
        standard_deviations: field("standard_deviations"),
        residual_sd: field("residual_standard_deviation")[0],
        r_squared: field("r_squared")[0],
    }
}
