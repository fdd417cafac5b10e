//! Hidden checks of exercise 08: never shipped; instructors grade with them. Absurd shapes,
//! the digits model through an artefact, tampered and leftover registry files, oracles on
//! seeded data, and bad input.

use std::time::Duration;

use mlings_grader::assert::{Tol, close, ensure};
use mlings_grader::{Check, Failure, OutcomeExt, expect_err, ok};

use super::public::{
    LAYOUT_DIM_AT, layout_bytes, normals, refuses_a_shape_past_the_bytes_left, reseal,
};
use super::steps::{ARTEFACT, CALIBRATION, DRIFT, MONITOR, PERCENTILES, REGISTRY, SERVING};
use super::{EXACT, digits, digits_model, oracle};
use crate::sut;

/// Every hidden check.
pub fn checks() -> Vec<Check> {
    vec![
        Check::hidden(
            ARTEFACT,
            "decode_refuses_absurd_shapes_without_allocating",
            3,
            || {
                // The small layout's array declares [2⁴⁰, 2⁴⁰] (overflows), then [2⁶⁰] (8·2⁶⁰ bytes),
                // then a name of 4 GiB: each must be refused before any allocation.
                let good = layout_bytes();
                // Offsets: header 10, features 4 + 5, hash 6, metrics 4 + 7 + 8, array count 4,
                // name 5, rank 4: the first dimension starts at 57.
                let dim_at = LAYOUT_DIM_AT;
                for dims in [[1u64 << 40, 1 << 40], [1 << 60, 1]] {
                    let mut b = good[..dim_at - 4].to_vec();
                    b.extend_from_slice(&2u32.to_le_bytes());
                    for d in dims {
                        b.extend_from_slice(&d.to_le_bytes());
                    }
                    b.extend_from_slice(&good[dim_at + 8..]);
                    reseal(&mut b);
                    expect_err(
                        &format!("an array of shape {dims:?}"),
                        sut::decode(&b),
                        |e| matches!(e, sut::ArtefactError::AbsurdShape { .. }),
                    )?;
                }
                refuses_a_shape_past_the_bytes_left(&good)?;
                let mut b = good.clone();
                b[10..14].copy_from_slice(&u32::MAX.to_le_bytes());
                reseal(&mut b);
                ensure(sut::decode(&b).is_err(), || {
                    "a feature count of 2³² − 1 decoded".into()
                })?;
                let mut b = good.clone();
                b[14..18].copy_from_slice(&u32::MAX.to_le_bytes());
                reseal(&mut b);
                expect_err("a name of 4 GiB", sut::decode(&b), |e| {
                    matches!(e, sut::ArtefactError::Truncated { .. })
                })
            },
        ),
        Check::hidden(
            ARTEFACT,
            "the_digits_model_round_trips_through_an_artefact",
            2,
            || {
                let model = digits_model();
                let meta = sut::Metadata {
                    features: (0..64)
                        .map(|i| format!("pixel_{}_{}", i / 8, i % 8))
                        .collect(),
                    data_hash: sut::content_hash(b"digits train split"),
                    metrics: vec![("validation_nll".into(), 0.1)],
                };
                let art = sut::Artefact::from_mlp(model, meta);
                let back = ok(sut::decode(&sut::encode(&art)))?;
                let net = back
                    .to_mlp()
                    .ok_or_else(|| Failure::new("the decoded artefact is not the network's"))?;
                ensure(&net == model, || {
                    "the decoded network's weights differ".into()
                })
            },
        ),
        Check::hidden(
            REGISTRY,
            "load_refuses_bytes_that_do_not_match_their_hash",
            2,
            || {
                use sut::Store;
                let mut r = sut::Registry::new(sut::MemStore::new());
                let v = ok(r.register(b"model one"))?;
                let mut store = r.into_store();
                store
                    .write(&sut::model_path(1, &v.hash), b"model 0ne")
                    .map_err(|e| Failure::new(e.to_string()))?;
                let r = sut::Registry::new(store);
                expect_err("version 1 with a byte changed on disk", r.load(1), |e| {
                    matches!(e, sut::RegistryError::Corrupt { .. })
                })
                .hint(
                    "recompute the SHA-256 of the bytes read and compare with the hash in the name",
                )
            },
        ),
        Check::hidden(
            REGISTRY,
            "files_a_crash_leaves_behind_are_neither_versions_nor_aliases",
            2,
            || {
                use sut::Store;
                let mut r = sut::Registry::new(sut::MemStore::new());
                let v = ok(r.register(b"model one"))?;
                ok(r.set_alias("champion", 1))?;
                let mut store = r.into_store();
                let h = sut::content_hash(b"model two");
                for (path, bytes) in [
                    (format!("{}.tmp", sut::model_path(2, &h)), &b"model"[..]),
                    ("aliases/champion.tmp".to_string(), b"2"),
                    ("models/notes.txt".to_string(), b"hello"),
                ] {
                    store
                        .write(&path, bytes)
                        .map_err(|e| Failure::new(e.to_string()))?;
                }
                let mut r = sut::Registry::new(store);
                let versions = ok(r.versions())?;
                ensure(versions == vec![v], || {
                    format!("versions() = {versions:?}, expected version 1 alone")
                })?;
                ensure(ok(r.resolve("champion"))? == 1, || "champion moved".into())?;
                let v2 = ok(r.register(b"model two"))?;
                ensure(v2.version == 2, || {
                    format!("the next version is {}, expected 2", v2.version)
                })
            },
        ),
        Check::hidden(
            SERVING,
            "submit_refuses_a_row_of_the_wrong_width",
            1,
            || {
                let server = ok(sut::Server::start(
                    Box::new(|x| x.to_owned()),
                    4,
                    sut::BatchConfig {
                        max_batch: 4,
                        max_wait: Duration::from_millis(1),
                        queue_capacity: 4,
                    },
                ))?;
                let r = expect_err(
                    "a row of 3 for a model of 4",
                    server.submit(vec![1.0; 3]),
                    |e| {
                        matches!(
                            e,
                            sut::ServeError::WrongWidth {
                                expected: 4,
                                got: 3
                            }
                        )
                    },
                );
                server.shutdown();
                r
            },
        ),
        Check::hidden(
            SERVING,
            "a_lone_request_is_served_after_max_wait",
            2,
            || {
                // max_batch 64 never fills: the request must be served once 20 ms have passed.
                let server = ok(sut::Server::start(
                    Box::new(|x| x.to_owned() * 2.0),
                    2,
                    sut::BatchConfig {
                        max_batch: 64,
                        max_wait: Duration::from_millis(20),
                        queue_capacity: 8,
                    },
                ))?;
                let t = ok(server.submit(vec![1.0, 2.0]))?;
                let resp = ok(t.wait())?;
                ensure(
                    resp.batch_size == 1 && resp.output.to_vec() == [2.0, 4.0],
                    || format!("got {:?} in a batch of {}", resp.output, resp.batch_size),
                )?;
                let sizes = server.shutdown();
                ensure(sizes == [1], || {
                    format!("batch sizes {sizes:?}, expected [1]")
                })
            },
        ),
        Check::hidden(
            PERCENTILES,
            "percentiles_refuse_empty_input_nan_and_q_outside_0_100",
            2,
            || {
                expect_err("no samples", sut::percentile_nearest_rank(&[], 50.0), |e| {
                    matches!(e, sut::StatsError::Empty { .. })
                })?;
                expect_err("q = 101", sut::percentile_linear(&[1.0], 101.0), |e| {
                    matches!(e, sut::StatsError::OutOfRange { .. })
                })?;
                expect_err(
                    "a NaN sample",
                    sut::percentile_nearest_rank(&[1.0, f64::NAN], 50.0),
                    |e| matches!(e, sut::StatsError::OutOfRange { .. }),
                )?;
                expect_err(
                    "an empty histogram",
                    sut::Histogram::latency().quantile(50.0),
                    |e| matches!(e, sut::StatsError::Empty { .. }),
                )
            },
        ),
        Check::hidden(
            PERCENTILES,
            "histogram_p99_is_within_one_bucket_of_the_exact_p99",
            2,
            || {
                // 10,000 seeded log-normal latencies around 10 ms, in four shards merged: the
                // histogram's p99 is ≥ the exact one and less than one bucket (×10^(1/20)) above.
                let x: Vec<f64> = normals(10_000, 0.0, 5)
                    .iter()
                    .map(|z| 0.01 * (0.5 * z).exp())
                    .collect();
                let mut total = sut::Histogram::latency();
                for shard in x.chunks(2500) {
                    let mut h = sut::Histogram::latency();
                    for &v in shard {
                        h.record(v);
                    }
                    ok(total.merge(&h))?;
                }
                let exact = oracle::nearest_rank(&x, 99.0);
                let got = ok(total.quantile(99.0))?;
                ensure(got >= exact && got < exact * 10f64.powf(1.0 / 20.0), || {
                    format!(
                        "histogram p99 {got:.6}, exact {exact:.6}: expected within one bucket above"
                    )
                })
            },
        ),
        Check::hidden(
            CALIBRATION,
            "temperature_matches_the_golden_section_minimum_on_a_sharp_model",
            1,
            || {
                // Logits of the digits model on the test split, doubled: an even more overconfident
                // model, whose fitted T is about twice the original's.
                let d = digits();
                let z = digits_model().logits(d.test.0.view()) * 2.0;
                let t = ok(sut::fit_temperature(z.view(), &d.test.1))?;
                close(
                    "T",
                    t,
                    oracle::temperature(z.view(), &d.test.1),
                    Tol::rel(1e-6),
                )
            },
        ),
        Check::hidden(CALIBRATION, "calibration_refuses_bad_input", 1, || {
            expect_err("a probability of 1.5", sut::ece(&[true], &[1.5], 10), |e| {
                matches!(e, sut::StatsError::OutOfRange { .. })
            })?;
            expect_err(
                "2 outcomes and 3 probabilities",
                sut::brier(&[true, false], &[0.1, 0.2, 0.3]),
                |e| matches!(e, sut::StatsError::LengthMismatch { .. }),
            )?;
            let p = ndarray::array![[0.5, 0.5]];
            expect_err("label 2 of 2 classes", sut::log_loss(p.view(), &[2]), |e| {
                matches!(e, sut::StatsError::OutOfRange { .. })
            })
        }),
        Check::hidden(DRIFT, "ks_statistic_steps_past_ties", 2, || {
            // [1, 2, 2, 3] against [2, 2, 2, 4]: after x = 2 both CDFs are 0.75; D = 0.25 at
            // x = 1 and x = 3. Stepping one sample at a time through the tie gives 0.5.
            let got = ok(sut::ks_statistic(
                &[1.0, 2.0, 2.0, 3.0],
                &[2.0, 2.0, 2.0, 4.0],
            ))?;
            close("D with ties", got, 0.25, EXACT)
                .hint_if((got - 0.5).abs() < 1e-12, "a tie was split: advance past every sample equal to x in both samples before comparing")
        }),
        Check::hidden(
            DRIFT,
            "ks_exact_matches_the_oracle_and_large_samples_go_asymptotic",
            2,
            || {
                for (n, m, d) in [
                    (7, 13, 5.0 / 13.0),
                    (20, 30, 0.3),
                    (1, 1, 1.0),
                    (50, 60, 0.2),
                ] {
                    close(
                        &format!("exact p for n = {n}, m = {m}, D = {d:.4}"),
                        sut::ks_exact_pvalue(n, m, d),
                        oracle::ks_exact(n, m, d),
                        Tol::rel_floor(1e-10, 1e-15),
                    )?;
                }
                let a = normals(200, 0.0, 1);
                let b = normals(200, 0.3, 2);
                let t = ok(sut::ks_test(&a, &b))?;
                ensure(!t.exact, || {
                    "n·m = 40,000 > 10,000: ks_test should use the asymptotic p-value".into()
                })?;
                close(
                    "asymptotic p",
                    t.p_value,
                    sut::ks_asymptotic_pvalue(200, 200, t.statistic),
                    EXACT,
                )
            },
        ),
        Check::hidden(MONITOR, "monitor_is_silent_without_a_shift", 2, || {
            let (base, stream) = sut::synthetic_stream(&sut::StreamConfig {
                seed: 9,
                baseline_size: 2000,
                window_size: 500,
                windows: 12,
                feature_shift_at: None,
                label_shift_at: None,
            });
            let alert = ok(sut::first_alert(
                &base,
                &stream,
                &sut::MonitorConfig::default(),
            ))?;
            ensure(alert.is_none(), || {
                format!("an alert {alert:?} on a stream that never shifts")
            })
        }),
    ]
}
