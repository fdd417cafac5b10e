//! One core's peaks, measured once on this machine and kept under the target directory: the
//! denominators of `mlings bench`'s rates. A STREAM-style triad gives the memory bandwidth one
//! thread reaches, a 512 × 512 matrix product (ndarray's kernel, with its run-time SIMD
//! detection) the f64 GFLOP/s. Assumed figures from another machine rated kernels above 100 %.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Peaks measured on one machine.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Measured {
    /// f64 GFLOP/s of one core in a matrix product.
    pub gflops: f64,
    /// GB/s of one thread's triad `a = b + s·c` (24 bytes per element, as STREAM counts).
    pub gbs: f64,
    /// The processor they were measured on; another processor measures again.
    pub cpu: String,
}

/// The peaks kept in `file`, or measured now (and kept, in an optimised build) when there are
/// none for this processor. `say` reports a measurement, which takes a few seconds.
pub fn peaks(file: &Path, say: impl Fn(&str)) -> Result<Measured> {
    let cpu = cpu_model();
    if let Some(kept) = std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str::<Measured>(&text).ok())
        .filter(|kept| kept.cpu == cpu && kept.gflops > 0.0 && kept.gbs > 0.0)
    {
        return Ok(kept);
    }
    say("measuring this machine's peaks once (a triad and a matrix product, a few seconds)…");
    let measured = Measured {
        gflops: matmul_gflops(),
        gbs: triad_gbs(),
        cpu,
    };
    // An unoptimised build measures its own slowness, not the machine: use it, keep nothing.
    if !cfg!(debug_assertions) {
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::fsutil::write_atomic(file, serde_json::to_string_pretty(&measured)?.as_bytes())?;
    }
    Ok(measured)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned())
}

/// The best of several triads over arrays far larger than any cache.
fn triad_gbs() -> f64 {
    const N: usize = 1 << 23; // 64 MiB per array
    let b = vec![1.0f64; N];
    let c = vec![2.0f64; N];
    let mut a = vec![0.0f64; N];
    let s = std::hint::black_box(3.0);
    let mut best = f64::INFINITY;
    for _ in 0..6 {
        let start = Instant::now();
        for ((a, b), c) in a.iter_mut().zip(&b).zip(&c) {
            *a = b + s * c;
        }
        std::hint::black_box(&mut a);
        best = best.min(start.elapsed().as_secs_f64());
    }
    (24 * N) as f64 / best / 1e9
}

/// The best of several 512 × 512 × 512 products.
fn matmul_gflops() -> f64 {
    const N: usize = 512;
    let x = Array2::from_shape_fn((N, N), |(i, j)| ((i * 7 + j * 3) % 11) as f64 - 5.0);
    let y = Array2::from_shape_fn((N, N), |(i, j)| ((i * 5 + j) % 13) as f64 - 6.0);
    let mut best = f64::INFINITY;
    for _ in 0..8 {
        let start = Instant::now();
        std::hint::black_box(x.dot(&y));
        best = best.min(start.elapsed().as_secs_f64());
    }
    2.0 * (N * N * N) as f64 / best / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_peaks_are_reused_for_the_same_processor_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("peaks.json");
        let kept = Measured {
            gflops: 12.5,
            gbs: 7.5,
            cpu: cpu_model(),
        };
        std::fs::write(&file, serde_json::to_string(&kept).unwrap()).unwrap();
        assert_eq!(peaks(&file, |_| panic!("measured again")).unwrap(), kept);
    }
}
