//! # ML in production: artefacts, a registry, batched serving, calibration and drift
//!
//! Exercise 08 of mlings. The model is given: [`Mlp`], a two-layer perceptron for the 8×8
//! digits, trained by the kit in a second ([`Mlp::train`]). You write what an ML platform does
//! around it: save it as a versioned, checksummed artefact; keep versions and aliases in a
//! registry that survives a crash; serve it with dynamic batching and back-pressure; report
//! latency percentiles that merge across servers; check and fix its calibration; watch its
//! inputs and labels for drift. Everything runs in one process: threads from `std`, an
//! in-memory store that can be made to crash at any byte.
//!
//! ## Symbols and shapes
//!
//! N samples, D features (64 pixels), H hidden units, K classes (10 digits), B requests in a
//! batch, M calibration bins. `x: (N, D)`, logits `z: (N, K)`, probabilities `p: (N, K)`,
//! labels `y: (N,)` in `0..K`; binary outcomes `y: &[bool]` with probabilities `p: &[f64]`.
//!
//! ## The contract
//!
//! ```text
//! artefact   MAGIC "MLNGART\0" · version u16 · metadata · arrays · CRC-32 (little-endian)
//! registry   models/v000001-<sha256>.art (immutable) · aliases/champion = "1\n" (atomic)
//! serving    queue of capacity Q → batches of ≤ max_batch, waiting ≤ max_wait → one predict
//! percentile nearest rank x₍⌈qn/100⌉₎ · linear x₍⌊h⌋₎ + (h − ⌊h⌋)Δ, h = (n − 1)q/100
//! ECE        Σₘ (|Bₘ|/N)·|acc(Bₘ) − conf(Bₘ)| · Brier (1/N)Σ(p − y)² · T = argmin NLL(z/T)
//! PSI        Σ (a − e)·ln(a/e), proportions floored at ε = 10⁻⁴, bins from the baseline
//! KS         D = max |Fₐ − F_b|; exact p by lattice paths when n·m ≤ 10,000
//! ```
//!
//! ## Worked example
//!
//! ```text
//! crc32(b"123456789")                                  = 0xCBF43926
//! latencies [1, 2, …, 9, 1000] ms at 90 %              = 9 (nearest rank), 108.1 (linear)
//! y = [0,0,0,0,1,1,1,1,1], p = [.1,.2,.3,.4,.65,.7,.8,.9,1], 3 bins
//!     counts [3, 2, 4], confidence [0.2, 0.525, 0.85], accuracy [0, 0.5, 1]
//!     ECE = (3·0.2 + 2·0.025 + 4·0.15)/9 = 0.1388889
//! Brier of y = [0, 1, 1, 0], p = [.1, .9, .8, .3]      = 0.0375
//! PSI of (0.1, 0.6, 0.3) against (0.2, 0.5, 0.3)       = 0.08754687373538998
//! KS of 1..10 against 6..15: D = 0.5, exact p = 0.16782134274394334 (asymptotic 0.112)
//! ```
//!
//! ## Steps (100 points)
//!
//! | step | what you write | where | points |
//! |---|---|---|---|
//! | 1 artefact | [`crc32`], [`encode`], [`decode`] | `artefact.rs` | 23 |
//! | 2 registry | [`Registry::versions`], [`Registry::register`], [`Registry::load`], [`Registry::set_alias`], [`Registry::resolve`] | `registry.rs` | 14 |
//! | 3 serving | [`Server::submit`], [`next_batch`], [`serve_batch`] | `serving.rs` | 15 |
//! | 4 percentiles | [`percentile_nearest_rank`], [`percentile_linear`], [`merged_percentile`], [`Histogram::record`], [`Histogram::merge`], [`Histogram::quantile`] | `percentiles.rs` | 13 |
//! | 5 calibration | [`reliability_bins`], [`ece`], [`brier`], [`log_loss`], [`fit_temperature`] | `calibration.rs` | 14 |
//! | 6 drift | [`psi`], [`quantile_edges`], [`psi_samples`], [`ks_statistic`], [`ks_exact_pvalue`], [`ks_test`] | `drift.rs` | 14 |
//! | 7 monitor | [`window_drift`], [`first_alert`] | `monitor.rs` | 7 |
//!
//! Run `cargo test -p production` to grade your work. Written for you: the model
//! ([`Mlp`], [`softmax`]), the store ([`MemStore`]), [`Server::start`] and
//! [`Server::shutdown`], [`bin_proportions`], [`ks_asymptotic_pvalue`], [`top_label`] and the
//! synthetic stream ([`synthetic_stream`]).
//!
//! Do not use a crate for CRC-32, percentiles or statistical tests: they are the exercise.
//!
//! ## Why each step exists (skip if you are in a hurry)
//!
//! **A checksum and a version are what make a file an artefact.** A model file read by a
//! server months later, by code a version newer, may have been cut short by a full disk or
//! flipped by a bad copy. The magic bytes say "this is ours", the version says "this layout",
//! the CRC-32 says "these bytes are the ones written". CRC-32 is polynomial division over GF(2):
//! the register holds the remainder; processing one byte is a table lookup of the 8 bits that
//! fall off, and slicing-by-8 folds eight bytes with eight lookups. CRC is linear, so a long
//! input can run as a few independent chains whose lookups the CPU overlaps, joined at the end
//! by multiplying the earlier register by x^(8n) mod P. Adding a multiple of P to the input
//! changes nothing either, and with y = x^64, one 64-bit word, P divides y^3006 + y^2866 +
//! y^2215 + 1: each word can be cleared and XORed, unchanged, into the words 140, 791 and 3006
//! later, with no lookups or shifts at all, until only the last 24 KB are left for the tables.
//! Floats go as their bits: any decimal or f32 detour changes some of them, and −0.0 or a NaN
//! payload is a value like any other. (On a little-endian machine a float's memory is its bytes in
//! the file: the crate's `bytemuck` dependency views a `&[f64]` as `&[u8]`, one copy where
//! `to_le_bytes` makes one per float.) A length read from a file is untrusted: multiply it out with
//! overflow checks and compare with the bytes left *before* allocating.
//!
//! **Atomic rename is the only atomic write.** A write can stop after any byte. If the alias
//! `champion` is rewritten in place, a crash leaves it empty, and the fleet has no model to
//! serve. Write the new contents to a temporary name and rename it over the old one: the rename
//! either happened or did not. Versions never change after they are written, and their names
//! carry their content hash, so a partial or tampered file is detected on load.
//!
//! **Batching trades latency for throughput.** One matrix product of B rows costs far less than
//! B products of one row; but the first request of a batch waits for the others. Bounding both
//! the batch size and the wait caps what batching adds to latency. A bounded queue turns
//! overload into an immediate, explicit refusal instead of unbounded memory and latency.
//!
//! **Percentiles do not average.** The p99 of a fleet is the p99 of all its requests; the mean
//! of each server's p99 can be far from it when servers see different loads. Keep raw samples,
//! or histograms with shared edges (whose counts add), and take the percentile of the merge.
//!
//! **Calibration** asks whether 80 % confidence means right 80 % of the time. The reliability
//! diagram bins predictions by confidence; ECE weighs each bin's gap by its share of the
//! predictions. A network trained to near-zero loss is overconfident; dividing its logits by one
//! temperature T > 1, fitted on held-out data, fixes much of that without changing a single
//! prediction (Guo et al., 2017). In β = 1/T the NLL is convex, with derivative
//! mean(E_p[z] − z_y) and second derivative mean(Var_p[z]): Newton's method converges in a few
//! steps.
//!
//! **Drift** is measured against the world the model was trained on. PSI compares proportions
//! in fixed bins, which must be the baseline's: recomputing them on the current data hides the
//! shift. An empty bin makes ln(a/e) infinite; a stated floor ε keeps it finite and comparable.
//! The KS statistic's null distribution for small samples is a count of lattice paths; the
//! asymptotic formula is off by a third at n = 10.

mod artefact;
mod calibration;
mod drift;
mod error;
mod model;
mod monitor;
mod percentiles;
mod registry;
mod serving;
mod store;

pub use artefact::{Artefact, FORMAT_VERSION, MAGIC, Metadata, NamedArray, crc32, decode, encode};
pub use calibration::{
    Bin, LOG_LOSS_FLOOR, brier, ece, fit_temperature, log_loss, reliability_bins, top_label,
};
pub use drift::{
    KS_EXACT_MAX_PRODUCT, KsTest, PSI_EPSILON, bin_proportions, ks_asymptotic_pvalue,
    ks_exact_pvalue, ks_statistic, ks_test, psi, psi_samples, quantile_edges,
};
pub use error::{ArtefactError, RegistryError, ServeError, StatsError};
pub use model::{Mlp, TrainConfig, softmax};
pub use monitor::{
    Alert, MonitorConfig, StreamConfig, Window, WindowDrift, first_alert, synthetic_stream,
    window_drift,
};
pub use percentiles::{Histogram, merged_percentile, percentile_linear, percentile_nearest_rank};
pub use registry::{ModelVersion, Registry, alias_path, content_hash, model_path};
pub use serving::{
    BatchConfig, Predict, Request, Response, Server, Ticket, next_batch, serve_batch,
};
pub use store::{MemStore, Store};
