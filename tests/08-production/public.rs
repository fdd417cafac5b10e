//! Public checks of exercise 08: the curriculum's anchors, the documented byte layout, a
//! registry crashed at every unit of work, deterministic batching and the digits model.
//! Shipped to learners in the student release.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use mlings_grader::assert::{Tol, close, close_slice, ensure, near};
use mlings_grader::guard::catch_panic;
use mlings_grader::{Check, Failure, Outcome, OutcomeExt, expect_err, fail, ok};
use ndarray::{Array1, Array2};

use super::steps::{ARTEFACT, CALIBRATION, DRIFT, MONITOR, PERCENTILES, REGISTRY, SERVING};
use super::{EXACT, digits, digits_model, oracle};
use crate::sut;

/// An artefact with every awkward value: −0.0, a NaN with a payload, ±∞, a subnormal, a
/// scalar and an empty array, and non-ASCII names.
pub fn awkward_artefact() -> sut::Artefact {
    sut::Artefact {
        metadata: sut::Metadata {
            features: vec!["pixel λ₀".into(), "pixel 1".into()],
            data_hash: "9f86d081884c7d659a2feaa0c55ad015".into(),
            metrics: vec![("accuracy".into(), 0.96875), ("nll".into(), -0.0)],
        },
        arrays: vec![
            sut::NamedArray {
                name: "w".into(),
                shape: vec![2, 3],
                data: vec![
                    -0.0,
                    f64::from_bits(0x7ff8_0000_dead_beef),
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    5e-324,
                    0.1,
                ],
            },
            sut::NamedArray {
                name: "scale".into(),
                shape: vec![],
                data: vec![std::f64::consts::PI],
            },
            sut::NamedArray {
                name: "empty".into(),
                shape: vec![0, 4],
                data: vec![],
            },
        ],
    }
}

/// An artefact of 2.4 MB: 300,007 floats of arbitrary bits (NaN payloads, subnormals and all),
/// then a small array, so that an encoder or decoder that works in blocks needs several.
pub fn long_artefact() -> sut::Artefact {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let bits = std::iter::repeat_with(move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        f64::from_bits(state ^ state >> 29)
    });
    sut::Artefact {
        metadata: sut::Metadata {
            features: vec!["x".into()],
            data_hash: "d".into(),
            metrics: vec![],
        },
        arrays: vec![
            sut::NamedArray {
                name: "w".into(),
                shape: vec![300_007],
                data: bits.take(300_007).collect(),
            },
            sut::NamedArray {
                name: "b".into(),
                shape: vec![3],
                data: vec![1.0, -0.0, 2.5],
            },
        ],
    }
}

/// Whether two artefacts are equal bit for bit.
pub fn same_bits(a: &sut::Artefact, b: &sut::Artefact) -> Result<(), String> {
    if a.metadata.features != b.metadata.features || a.metadata.data_hash != b.metadata.data_hash {
        return Err("the feature schema or the data hash changed".into());
    }
    if a.metadata.metrics.len() != b.metadata.metrics.len() {
        return Err("the number of metrics changed".into());
    }
    for ((na, va), (nb, vb)) in a.metadata.metrics.iter().zip(&b.metadata.metrics) {
        if na != nb || va.to_bits() != vb.to_bits() {
            return Err(format!(
                "metric {na:?} = {va:e} came back as {nb:?} = {vb:e}"
            ));
        }
    }
    if a.arrays.len() != b.arrays.len() {
        return Err(format!(
            "{} arrays came back as {}",
            a.arrays.len(),
            b.arrays.len()
        ));
    }
    for (x, y) in a.arrays.iter().zip(&b.arrays) {
        if x.name != y.name || x.shape != y.shape || x.data.len() != y.data.len() {
            return Err(format!(
                "array {:?} {:?} came back as {:?} {:?}",
                x.name, x.shape, y.name, y.shape
            ));
        }
        for (i, (u, v)) in x.data.iter().zip(&y.data).enumerate() {
            if u.to_bits() != v.to_bits() {
                return Err(format!(
                    "{}[{i}] = {u:e} (bits {:#018x}) came back as {v:e} (bits {:#018x})",
                    x.name,
                    u.to_bits(),
                    v.to_bits()
                ));
            }
        }
    }
    Ok(())
}

/// The small artefact of [`layout_bytes`].
fn small_artefact() -> sut::Artefact {
    sut::Artefact {
        metadata: sut::Metadata {
            features: vec!["x".into()],
            data_hash: "ab".into(),
            metrics: vec![("acc".into(), 0.5)],
        },
        arrays: vec![sut::NamedArray {
            name: "b".into(),
            shape: vec![2],
            data: vec![1.0, -2.0],
        }],
    }
}

/// [`small_artefact`]'s bytes, written by the suite from the documented layout.
pub fn layout_bytes() -> Vec<u8> {
    oracle::Layout::header(1)
        .u32(1)
        .text("x")
        .text("ab")
        .u32(1)
        .text("acc")
        .f64(0.5)
        .u32(1)
        .text("b")
        .u32(1)
        .u64(2)
        .f64(1.0)
        .f64(-2.0)
        .finish()
}

/// The byte where the shape of [`layout_bytes`]'s array starts.
pub const LAYOUT_DIM_AT: usize = 57;

/// Checks that `decode` refuses [`layout_bytes`] (`good`) with its array's shape made [3] where
/// 2 floats are left: no overflow, 24 bytes where 16 are left, an absurd shape rather than a
/// truncation.
pub fn refuses_a_shape_past_the_bytes_left(good: &[u8]) -> Outcome {
    let mut b = good.to_vec();
    b[LAYOUT_DIM_AT..LAYOUT_DIM_AT + 8].copy_from_slice(&3u64.to_le_bytes());
    reseal(&mut b);
    let refused = sut::decode(&b);
    let truncated = matches!(refused, Err(sut::ArtefactError::Truncated { .. }));
    expect_err("an array of shape [3] with 2 floats left", refused, |e| {
        matches!(e, sut::ArtefactError::AbsurdShape { .. })
    })
    .hint_if(
        truncated,
        "compare count × 8 with the bytes left after the shape (length − position) and refuse with AbsurdShape before reading",
    )
}

/// Replaces the CRC-32 trailer so that edited bytes pass the checksum.
pub fn reseal(bytes: &mut [u8]) {
    let n = bytes.len() - 4;
    let crc = oracle::crc32_bitwise(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
}

/// A store whose every read fails as a disk would (permission denied), not as a missing file.
struct Unreadable;

impl sut::Store for Unreadable {
    fn write(&mut self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn rename(&mut self, _: &str, _: &str) -> std::io::Result<()> {
        Ok(())
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{path}: permission denied"),
        ))
    }

    fn list(&self) -> std::io::Result<Vec<String>> {
        Ok(Vec::new())
    }
}

/// A registry on a fresh in-memory store with two versions, `champion` on version 1.
fn registry_with_champion() -> Result<sut::Registry<sut::MemStore>, Failure> {
    let mut r = sut::Registry::new(sut::MemStore::new());
    ok(r.register(b"model one"))?;
    ok(r.set_alias("champion", 1))?;
    Ok(r)
}

/// A seeded random network of the digits' shape, for serving checks that need no training.
fn random_model() -> sut::Mlp {
    sut::Mlp::random(64, 16, 10, 7)
}

/// Seeded inputs `(n, 64)` in [0, 1).
fn inputs(n: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, 64), |(i, j)| ((i * 131 + j * 71) % 97) as f64 / 97.0)
}

/// A request whose answer comes back on the returned receiver.
fn request(row: Array1<f64>, enqueued: Instant) -> (sut::Request, mpsc::Receiver<sut::Response>) {
    let (reply, answer) = mpsc::channel();
    (
        sut::Request {
            row,
            enqueued,
            reply,
        },
        answer,
    )
}

/// Every public check.
pub fn checks() -> Vec<Check> {
    let mut checks = artefact();
    checks.extend(registry());
    checks.extend(serving());
    checks.extend(percentiles());
    checks.extend(calibration());
    checks.extend(drift());
    checks.extend(monitor());
    checks
}

fn artefact() -> Vec<Check> {
    vec![
        Check::public(ARTEFACT, "crc32_of_123456789_is_cbf43926", 3, || {
            // The CRC-32/ISO-HDLC check value (zlib, PNG): 0xCBF43926; the empty input gives 0,
            // and the pangram 0x414FA339 (zlib.crc32).
            for (input, expected) in [
                (&b"123456789"[..], 0xCBF4_3926u32),
                (b"", 0),
                (b"The quick brown fox jumps over the lazy dog", 0x414F_A339),
            ] {
                let got = sut::crc32(input);
                ensure(got == expected, || {
                    format!(
                        "crc32({:?}) = {got:#010x}, expected {expected:#010x}",
                        String::from_utf8_lossy(input)
                    )
                })
                .hint_if(
                    got == !expected,
                    "every bit is inverted: the register starts at 0xFFFFFFFF and the result is its complement (!crc)",
                )
                .hint_if(
                    got.reverse_bits() == expected || got.swap_bytes() == expected,
                    "the right bits in the wrong order: CRC-32 is reflected (polynomial 0xEDB88320, shifting right)",
                )?;
            }
            Ok(())
        }),
        Check::public(
            ARTEFACT,
            "crc32_matches_the_bitwise_definition_at_every_length",
            2,
            || {
                // Lengths 0 … 100 cover every remainder of an 8- or 16-byte slicing loop; the
                // long ones, a loop that splits long inputs into interleaved streams, and the
                // longest (past 256 KiB) one that moves most of the input forward by shifts
                // and XORs before a table finishes it.
                let data: Vec<u8> = (0..600_011u32)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                    .collect();
                let lengths = (0..=100).chain([4095, 4096, 4097, 24_581, 70_001, 300_007, 600_011]);
                for n in lengths {
                    let (got, expected) =
                        (sut::crc32(&data[..n]), oracle::crc32_bitwise(&data[..n]));
                    ensure(got == expected, || {
                    format!("crc32 of {n} bytes = {got:#010x}, expected {expected:#010x}")
                })
                .hint_if(n % 8 != 0, "right on whole blocks, wrong on the bytes left over: fold the remainder one byte at a time")?;
                }
                Ok(())
            },
        ),
        Check::public(
            ARTEFACT,
            "encoding_follows_the_documented_layout",
            3,
            || {
                let got = sut::encode(&small_artefact());
                let expected = layout_bytes();
                if got == expected {
                    return Ok(());
                }
                let at = got
                    .iter()
                    .zip(&expected)
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len().min(expected.len()));
                fail::<()>(format!(
                "encode gave {} bytes, the layout {}; first difference at byte {at}: got {:02x?}, expected {:02x?}",
                got.len(),
                expected.len(),
                &got[at..(at + 8).min(got.len())],
                &expected[at..(at + 8).min(expected.len())],
            ))
            .hint_if(!got.starts_with(b"MLNGART\0"), "the file must start with the 8 magic bytes MLNGART\\0")
            .hint_if(got.len() == expected.len() - 4, "the CRC-32 trailer of the bytes before it is missing")
            .hint_if(got.len() == expected.len() && at >= 10, "same length, different bytes: every integer and float is little-endian (to_le_bytes)")
            },
        ),
        Check::public(ARTEFACT, "artefacts_round_trip_bit_exactly", 4, || {
            let a = awkward_artefact();
            let back = ok(sut::decode(&sut::encode(&a)))?;
            if let Err(e) = same_bits(&a, &back) {
                let w = back
                    .arrays
                    .first()
                    .map(|x| x.data.clone())
                    .unwrap_or_default();
                let through_f32 = w.len() == 6 && w[5] == (0.1f32 as f64);
                // Exclusive of `through_f32`, which also loses the payload.
                let nan_canonical = w.len() == 6
                    && !through_f32
                    && w[1].is_nan()
                    && w[1].to_bits() != 0x7ff8_0000_dead_beef;
                let zero_sign = w.len() == 6 && w[0].to_bits() == 0;
                return fail(format!("decode(encode(a)) differs from a: {e}"))
                        .hint_if(through_f32, "0.1 came back as 0.10000000149…: the floats went through f32; write f64::to_le_bytes")
                        .hint_if(nan_canonical, "the NaN lost its payload: write and read the float's bits, never replace a NaN by f64::NAN")
                        .hint_if(zero_sign, "−0.0 came back as +0.0: write the float's bits, not a value that compares equal");
            }
            let long = long_artefact();
            let bytes = sut::encode(&long);
            let n = bytes.len().saturating_sub(4);
            let trailer = bytes[n..].try_into().map(u32::from_le_bytes).unwrap_or(0);
            let crc = sut::crc32(&bytes[..n]);
            ensure(trailer == crc, || {
                format!(
                    "encode of an artefact of 300,010 floats: trailer {trailer:#010x}, CRC-32 of the {n} bytes before it {crc:#010x}"
                )
            })
            .hint("the trailer is the CRC-32 of every byte before it, however long the file")?;
            let back = ok(sut::decode(&bytes))?;
            same_bits(&long, &back).map_err(|e| {
                Failure::new(format!(
                    "decode(encode(a)) differs from a, for an artefact of 300,010 floats: {e}"
                ))
            })
        }),
        Check::public(
            ARTEFACT,
            "decode_refuses_a_wrong_magic_version_or_checksum",
            3,
            || {
                let good = layout_bytes();
                let mut magic = good.clone();
                magic[..8].copy_from_slice(b"PK\x03\x04zip!");
                reseal(&mut magic);
                expect_err(
                    "a file starting with a zip's magic",
                    sut::decode(&magic),
                    |e| matches!(e, sut::ArtefactError::BadMagic { .. }),
                )
                .hint("check the first eight bytes against MAGIC before anything else")?;
                // The shortest file with a magic to check: magic, version and trailer, 14 bytes.
                let mut shortest = b"PK\x03\x04zip!\x01\x00".to_vec();
                shortest.extend_from_slice(&[0; 4]);
                reseal(&mut shortest);
                let refused = sut::decode(&shortest);
                let truncated = matches!(refused, Err(sut::ArtefactError::Truncated { .. }));
                expect_err("a 14-byte file starting with a zip's magic", refused, |e| {
                    matches!(e, sut::ArtefactError::BadMagic { .. })
                })
                .hint_if(
                    truncated,
                    "14 bytes hold magic, version and trailer: refuse as truncated only below 14, then check the magic",
                )?;
                let mut version = good.clone();
                version[8] = 2;
                reseal(&mut version);
                expect_err("a file of format version 2", sut::decode(&version), |e| {
                    matches!(e, sut::ArtefactError::UnsupportedVersion { found: 2 })
                })
                .hint("read the u16 after the magic and refuse any version but FORMAT_VERSION")?;
                let mut flipped = good.clone();
                flipped[20] ^= 0x10;
                expect_err("a file with one bit flipped", sut::decode(&flipped), |e| {
                matches!(e, sut::ArtefactError::ChecksumMismatch { .. })
            })
            .hint("compare the CRC-32 of all but the last 4 bytes with the trailer before parsing the body")
            },
        ),
        Check::public(
            ARTEFACT,
            "decode_reports_short_files_trailing_bytes_and_oversized_shapes",
            1,
            || {
                let good = layout_bytes();
                let body = good.len() - 4;
                // Three bytes between the last array and the trailer, sealed again.
                let mut trailing = good[..body].to_vec();
                trailing.extend_from_slice(&[7, 7, 7]);
                trailing.extend_from_slice(&[0; 4]);
                reseal(&mut trailing);
                let got = sut::decode(&trailing);
                let miscounted = matches!(got, Err(sut::ArtefactError::TrailingBytes(n)) if n != 3);
                expect_err("a file with 3 bytes after its last array", got, |e| {
                    matches!(e, sut::ArtefactError::TrailingBytes(3))
                })
                .hint_if(
                    miscounted,
                    "TrailingBytes counts the bytes between the end of the last array and the trailer",
                )?;
                // 9 bytes, where magic, version and trailer need 14.
                let got = sut::decode(&good[..9]);
                let short = matches!(got, Err(sut::ArtefactError::Truncated { needed, .. }) if needed != 14);
                expect_err("a file of 9 bytes", got, |e| {
                    matches!(
                        e,
                        sut::ArtefactError::Truncated {
                            needed: 14,
                            available: 9,
                            ..
                        }
                    )
                })
                .hint_if(
                    short,
                    "a file shorter than magic + version + trailer needs 14 bytes: say so, with its length as available",
                )?;
                // The first feature name declared 2³² − 1 bytes long, when 63 bytes are left
                // before the trailer (its length field ends at byte 18 of the 81-byte body).
                let mut long = good.clone();
                long[14..18].copy_from_slice(&u32::MAX.to_le_bytes());
                reseal(&mut long);
                let got = sut::decode(&long);
                let with_trailer = matches!(
                    got,
                    Err(sut::ArtefactError::Truncated { available: 67, .. })
                );
                expect_err("a feature name of 2³² − 1 bytes", got, |e| {
                    matches!(
                        e,
                        sut::ArtefactError::Truncated {
                            needed: 4_294_967_295,
                            available: 63,
                            ..
                        }
                    )
                })
                .hint_if(
                    with_trailer,
                    "the body ends where the trailer starts: count the bytes left before it",
                )?;
                refuses_a_shape_past_the_bytes_left(&good)
            },
        ),
        Check::public(
            ARTEFACT,
            "decode_refuses_every_truncation_without_panicking",
            2,
            || {
                let good = layout_bytes();
                for n in 0..good.len() {
                    let r = sut::decode(&good[..n]);
                    ensure(r.is_err(), || {
                        format!("the first {n} of {} bytes decoded", good.len())
                    })?;
                    if n < 14 {
                        expect_err(&format!("a file of {n} bytes"), r, |e| {
                            matches!(e, sut::ArtefactError::Truncated { .. })
                        })?;
                    }
                }
                Ok(())
            },
        ),
    ]
}

fn registry() -> Vec<Check> {
    vec![
        Check::public(
            REGISTRY,
            "registry_versions_increase_and_equal_bytes_reuse_theirs",
            3,
            || {
                let mut r = sut::Registry::new(sut::MemStore::new());
                let v1 = ok(r.register(b"model one"))?;
                let v2 = ok(r.register(b"model two"))?;
                ensure(v1.version == 1 && v2.version == 2, || {
                    format!(
                        "versions {} and {}, expected 1 and 2",
                        v1.version, v2.version
                    )
                })?;
                ensure(v1.hash == sut::content_hash(b"model one"), || {
                    format!(
                        "version 1's hash {}, expected the SHA-256 of its bytes",
                        v1.hash
                    )
                })?;
                let again = ok(r.register(b"model one"))?;
                ensure(again == v1, || {
                    format!(
                        "registering version 1's bytes again gave {again:?}, expected version 1"
                    )
                })
                .hint_if(
                    again.version == 3,
                    "the same bytes became a new version: look for a version with an equal content hash first",
                )?;
                let listed = ok(r.versions())?;
                ensure(listed == vec![v1.clone(), v2.clone()], || {
                    format!("versions() = {listed:?}, expected versions 1 and 2")
                })?;
                let bytes = ok(r.load(1))?;
                ensure(bytes == b"model one", || {
                    "load(1) is not version 1's bytes".to_string()
                })?;
                expect_err("load(3) of two versions", r.load(3), |e| {
                    matches!(e, sut::RegistryError::UnknownVersion(3))
                })?;
                // Files in models/ not named exactly like model_path (a crash's or a stranger's)
                // are not versions.
                let hash = sut::content_hash(b"model three");
                let mut store = r.into_store();
                for junk in [
                    format!("models/v000003-{}.art", &hash[..63]),
                    format!("models/v3-{hash}.art"),
                    format!("models/v000003-{}.art", hash.to_uppercase()),
                    format!("models/v000000-{hash}.art"),
                ] {
                    use sut::Store as _;
                    store
                        .write(&junk, b"model three")
                        .map_err(|e| Failure::new(e.to_string()))?;
                }
                let listed = ok(sut::Registry::new(store).versions())?;
                ensure(listed == vec![v1, v2], || {
                    format!("with files v000003-<63 hex>, v3-<64 hex> and v000003-<64 HEX> and v000000-<64 hex> beside them, versions() = {listed:?}, expected versions 1 and 2")
                })
                .hint_if(
                    listed.len() > 2,
                    "a file not named exactly like model_path was taken for a version: six digits from 000001, a dash, 64 lowercase hex digits",
                )
            },
        ),
        Check::public(
            REGISTRY,
            "aliases_resolve_move_and_refuse_bad_names",
            2,
            || {
                let mut r = registry_with_champion()?;
                ok(r.register(b"model two"))?;
                ensure(ok(r.resolve("champion"))? == 1, || {
                    "champion should be 1".into()
                })?;
                ok(r.set_alias("challenger", 2))?;
                ok(r.set_alias("champion", 2))?;
                ensure(ok(r.resolve("champion"))? == 2, || {
                    "champion moved to 2, resolves elsewhere".into()
                })?;
                expect_err("resolve(\"shadow\"), never set", r.resolve("shadow"), |e| {
                    matches!(e, sut::RegistryError::UnknownAlias(_))
                })?;
                // A read that fails for another reason than a missing file is the store's error.
                let denied = sut::Registry::new(Unreadable).resolve("champion");
                let unset = matches!(denied, Err(sut::RegistryError::UnknownAlias(_)));
                expect_err("resolve on a store whose reads are denied", denied, |e| {
                    matches!(e, sut::RegistryError::Storage { .. })
                })
                .hint_if(
                    unset,
                    "only NotFound means the alias was never set: any other read error is a Storage error",
                )?;
                expect_err(
                    "set_alias to version 9 of 2",
                    r.set_alias("champion", 9),
                    |e| matches!(e, sut::RegistryError::UnknownVersion(9)),
                )?;
                expect_err(
                    "the alias \"../champion\"",
                    r.set_alias("../champion", 1),
                    |e| matches!(e, sut::RegistryError::InvalidAlias(_)),
                )?;
                for bad in ["", "Champion", "champion.tmp"] {
                    expect_err(&format!("the alias {bad:?}"), r.set_alias(bad, 1), |e| {
                        matches!(e, sut::RegistryError::InvalidAlias(_))
                    })?;
                }
                let set = r.set_alias("canary-2_b", 1);
                let refused = matches!(set, Err(sut::RegistryError::InvalidAlias(_)));
                ok(set).hint_if(
                    refused,
                    "aliases may hold lowercase letters, digits, '-' and '_'",
                )?;
                ensure(ok(r.resolve("canary-2_b"))? == 1, || {
                    "canary-2_b was set to 1, resolves elsewhere".into()
                })
            },
        ),
        Check::public(
            REGISTRY,
            "a_crash_at_any_moment_never_leaves_the_registry_without_a_champion",
            5,
            || {
                // Register version 2 and promote it, crashing after every possible number of
                // units of work (bytes written, renames): after a restart, champion must be
                // version 1 or 2, and every listed version must load.
                let mut dry = registry_with_champion()?;
                let start = dry.store().units();
                ok(dry.register(b"model two, a little longer"))?;
                ok(dry.set_alias("champion", 2))?;
                let total = dry.store().units() - start;
                for k in 0..=total {
                    let base = registry_with_champion()?;
                    let mut store = base.into_store();
                    store.crash_after(k);
                    let mut r = sut::Registry::new(store);
                    let registered = r.register(b"model two, a little longer").is_ok();
                    if registered {
                        let _ = r.set_alias("champion", 2);
                    }
                    let mut store = r.into_store();
                    store.restart();
                    let r = sut::Registry::new(store);
                    let alias_file = r.store().read_alias();
                    let champion = r.resolve("champion");
                    let Ok(v) = champion else {
                        let in_place = alias_file.is_some_and(|b| !b.ends_with(b"\n"));
                        return fail::<()>(format!(
                            "after a crash {k} units into registering and promoting version 2, \
                             resolve(\"champion\") failed: {}",
                            champion.err().map(|e| e.to_string()).unwrap_or_default()
                        ))
                        .hint_if(in_place, "the alias file was cut short: it was updated in place; write it to a temporary file, then rename it over the alias");
                    };
                    ensure(v == 1 || v == 2, || {
                        format!("after a crash {k} units in, champion = {v}")
                    })?;
                    let versions = ok(r.versions())?;
                    for mv in versions {
                        r.load(mv.version).map_err(|e| {
                            Failure::new(format!(
                                "after a crash {k} units in, version {} is listed but does not load: {e}",
                                mv.version
                            ))
                        })
                        .hint("a partial model file was visible under its version's name: write it to a temporary name, then rename")?;
                    }
                }
                Ok(())
            },
        ),
    ]
}

/// Reads `aliases/champion` from a store, for hints.
trait ReadAlias {
    fn read_alias(&self) -> Option<Vec<u8>>;
}

impl ReadAlias for sut::MemStore {
    fn read_alias(&self) -> Option<Vec<u8>> {
        use sut::Store;
        self.read("aliases/champion").ok()
    }
}

fn serving() -> Vec<Check> {
    vec![
        Check::public(
            SERVING,
            "batched_predictions_equal_single_row_predictions",
            4,
            || {
                // Matrix products of different batch sizes may round differently: outputs agree to
                // 1e-12 (probabilities in [0, 1]).
                let model = random_model();
                let served = model.clone();
                let server = ok(sut::Server::start(
                    Box::new(move |x| served.predict_proba(x)),
                    64,
                    sut::BatchConfig {
                        max_batch: 8,
                        max_wait: Duration::from_millis(20),
                        queue_capacity: 64,
                    },
                ))?;
                let x = inputs(37);
                let mut tickets = Vec::new();
                for row in x.rows() {
                    tickets.push(ok(server.submit(row.to_vec()))?);
                }
                let singles: Vec<Array1<f64>> = x
                    .rows()
                    .into_iter()
                    .map(|r| {
                        model
                            .predict_proba(r.insert_axis(ndarray::Axis(0)))
                            .row(0)
                            .to_owned()
                    })
                    .collect();
                for (i, t) in tickets.into_iter().enumerate() {
                    let resp = ok(t.wait())?;
                    let other = singles.iter().position(|s| {
                        s.len() == resp.output.len()
                            && s.iter().zip(&resp.output).all(|(a, b)| near(*a, *b, 1e-12))
                    });
                    close_slice(
                    &format!("request {i}'s output"),
                    resp.output.as_slice().unwrap_or(&[]),
                    singles[i].as_slice().unwrap_or(&[]),
                    Tol::abs(1e-12),
                )
                .hint_if(other.is_some_and(|j| j != i), "that is another request's prediction: send output row i to request i of the batch")?;
                    ensure(resp.batch_size <= 8, || {
                        format!("a batch of {} with max_batch 8", resp.batch_size)
                    })?;
                }
                let sizes = server.shutdown();
                ensure(sizes.iter().sum::<usize>() == 37, || {
                    format!("batch sizes {sizes:?} do not add up to 37 requests")
                })
            },
        ),
        Check::public(
            SERVING,
            "next_batch_takes_at_most_max_batch_and_waits_at_most_max_wait",
            3,
            || {
                // 20 requests already queued, max_batch 8, max_wait 10 ms: 8, 8, then the 4 left
                // after the wait; None once the senders are gone.
                let (tx, rx) = mpsc::channel();
                let mut answers = Vec::new();
                for i in 0..20 {
                    let (r, a) = request(Array1::from_elem(2, i as f64), Instant::now());
                    tx.send(r)
                        .map_err(|_| Failure::new("the suite's channel closed"))?;
                    answers.push(a);
                }
                drop(tx);
                let config = sut::BatchConfig {
                    max_batch: 8,
                    max_wait: Duration::from_millis(10),
                    queue_capacity: 64,
                };
                let mut sizes = Vec::new();
                while let Some(b) = sut::next_batch(&rx, &config) {
                    ensure(
                        b.iter()
                            .enumerate()
                            .all(|(k, r)| r.row[0] == (sizes.iter().sum::<usize>() + k) as f64),
                        || "requests came out of the queue out of order".to_string(),
                    )?;
                    sizes.push(b.len());
                    ensure(sizes.len() <= 20, || {
                        "next_batch keeps returning batches of an empty, closed queue".into()
                    })?;
                }
                ensure(sizes == [8, 8, 4], || {
                    format!("batch sizes {sizes:?}, expected [8, 8, 4]")
                })
                .hint_if(
                    sizes.first().is_some_and(|&s| s > 8),
                    "a batch larger than max_batch: stop taking requests at max_batch",
                )?;
                // A second request 50 ms after the first, well within max_wait (5 s): it joins
                // the first's batch, which then holds max_batch = 2 and goes at once.
                let (tx, rx) = mpsc::channel();
                let (first, _a1) = request(Array1::zeros(2), Instant::now());
                let (second, _a2) = request(Array1::ones(2), Instant::now());
                tx.send(first)
                    .map_err(|_| Failure::new("the suite's channel closed"))?;
                let sender = std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(50));
                    let _ = tx.send(second);
                    tx
                });
                let config = sut::BatchConfig {
                    max_batch: 2,
                    max_wait: Duration::from_secs(5),
                    queue_capacity: 64,
                };
                let batch = sut::next_batch(&rx, &config);
                let _tx = sender.join();
                let size = batch.map_or(0, |b| b.len());
                ensure(size == 2, || {
                    format!("a request 50 ms after the first, max_wait 5 s: a batch of {size}, expected 2")
                })
                .hint_if(
                    size == 1,
                    "the batch left without waiting: take requests until max_wait after the first one's arrival",
                )
            },
        ),
        Check::public(SERVING, "a_full_queue_refuses_requests", 3, || {
            // The model blocks until released, so the worker holds one request and the queue
            // fills: capacity 4 more are accepted, the next is refused at once.
            let (entered_tx, entered) = mpsc::channel::<()>();
            let (release, released) = mpsc::channel::<()>();
            let released = std::sync::Mutex::new(released);
            let server = ok(sut::Server::start(
                Box::new(move |x| {
                    let _ = entered_tx.send(());
                    if let Ok(r) = released.lock() {
                        let _ = r.recv();
                    }
                    Array2::zeros((x.nrows(), 1))
                }),
                3,
                sut::BatchConfig {
                    max_batch: 1,
                    max_wait: Duration::ZERO,
                    queue_capacity: 4,
                },
            ))?;
            let first = ok(server.submit(vec![0.0; 3]))?;
            entered
                .recv_timeout(Duration::from_secs(10))
                .map_err(|_| Failure::new("the first request never reached the model"))?;
            let mut held = Vec::new();
            for i in 0..4 {
                held.push(ok(server.submit(vec![i as f64; 3])).map_err(|f| {
                    Failure::new(format!(
                        "request {} of a queue of capacity 4: {}",
                        i + 1,
                        f.message
                    ))
                })?);
            }
            let refused = server.submit(vec![9.0; 3]);
            let outcome = expect_err("a fifth request while 4 wait", refused, |e| {
                matches!(e, sut::ServeError::QueueFull { capacity: 4 })
            })
            .hint("use a bounded queue (mpsc::sync_channel(capacity)) and try_send: a full queue is an error, never a wait");
            for _ in 0..6 {
                let _ = release.send(());
            }
            outcome?;
            ok(first.wait())?;
            for t in held {
                ok(t.wait())?;
            }
            server.shutdown();
            Ok(())
        }),
        Check::public(SERVING, "latency_counts_from_enqueueing", 2, || {
            // Requests enqueued 5 s ago (by their stamp) are served now: each latency is at
            // least 5 s, and less than 5 s plus this check's time limit.
            let now = Instant::now();
            let past = now.checked_sub(Duration::from_secs(5)).unwrap_or(now);
            let waited = now - past;
            let predict: sut::Predict = Box::new(|x| x.to_owned());
            let mut answers = Vec::new();
            let mut batch = Vec::new();
            for i in 0..3 {
                let (r, a) = request(Array1::from_elem(2, i as f64), past);
                batch.push(r);
                answers.push(a);
            }
            let b = sut::serve_batch(&predict, batch);
            ensure(b == 3, || {
                format!("serve_batch returned {b} for 3 requests")
            })?;
            for (i, a) in answers.into_iter().enumerate() {
                let resp = a
                    .recv_timeout(Duration::from_secs(1))
                    .map_err(|_| Failure::new(format!("request {i} got no answer")))?;
                close_slice(
                    &format!("request {i}'s output"),
                    resp.output.as_slice().unwrap_or(&[]),
                    &[i as f64, i as f64],
                    Tol::abs(0.0),
                )?;
                ensure(resp.latency >= waited && resp.latency < waited + Duration::from_secs(30), || {
                    format!("request {i}'s latency {:?}, expected the time since it was enqueued (≥ {waited:?})", resp.latency)
                })
                .hint_if(resp.latency < waited / 5, "the latency starts when the request is enqueued (request.enqueued), not when its batch starts")?;
                ensure(resp.batch_size == 3, || {
                    format!("batch_size {}, expected 3", resp.batch_size)
                })?;
            }
            Ok(())
        }),
    ]
}

fn percentiles() -> Vec<Check> {
    vec![
        Check::public(PERCENTILES, "percentiles_of_1_to_9_and_1000", 3, || {
            // Curriculum anchors: [1 … 9, 1000] at 90 %: 9 by nearest rank, 108.1 linear;
            // 1 … 100 at 99 %: 99 and 99.01.
            let a: Vec<f64> = (1..=9).map(f64::from).chain([1000.0]).collect();
            let b: Vec<f64> = (1..=100).map(f64::from).rev().collect();
            let nr = ok(sut::percentile_nearest_rank(&a, 90.0))?;
            close("nearest-rank p90 of [1 … 9, 1000]", nr, 9.0, EXACT)
                .hint_if(
                    near(nr, 108.1, 1e-9),
                    "108.1 is the interpolated p90: nearest rank returns a sample, x₍⌈q·n/100⌉₎",
                )
                .hint_if(
                    nr == 1000.0,
                    "1000 is the sample after the nearest rank: ranks count from 1, so rank \
                     ⌈q·n/100⌉ = 9 is sorted[8]",
                )?;
            let linear = ok(sut::percentile_linear(&a, 90.0))?;
            close("linear p90 of [1 … 9, 1000]", linear, 108.1, EXACT).hint_if(
                linear == 1000.0,
                "1000 is sorted[9], the position n·q/100: positions run from 0 to n − 1, so \
                 h = (n − 1)·q/100 = 8.1",
            )?;
            close(
                "nearest-rank p99 of 100 … 1",
                ok(sut::percentile_nearest_rank(&b, 99.0))?,
                99.0,
                EXACT,
            )
            .hint("sort the samples first")?;
            close(
                "linear p99 of 100 … 1",
                ok(sut::percentile_linear(&b, 99.0))?,
                99.01,
                EXACT,
            )?;
            close(
                "nearest-rank p0 of [1 … 9, 1000]",
                ok(sut::percentile_nearest_rank(&a, 0.0))?,
                1.0,
                EXACT,
            )?;
            close(
                "linear p100",
                ok(sut::percentile_linear(&a, 100.0))?,
                1000.0,
                EXACT,
            )
        }),
        Check::public(
            PERCENTILES,
            "fleet_p99_pools_the_shards_instead_of_averaging",
            3,
            || {
                // A busy server (900 requests, 1 … 900 ms) and a slow one (100 requests, 2,000 …
                // 2,099 ms): the fleet's p99 ranks 990 of 1,000 pooled requests: 2,089 ms.
                let fast: Vec<f64> = (1..=900).map(|i| i as f64).collect();
                let slow: Vec<f64> = (0..100).map(|i| 2000.0 + i as f64).collect();
                let expected = oracle::nearest_rank(&[fast.clone(), slow.clone()].concat(), 99.0);
                let averaged =
                    (oracle::nearest_rank(&fast, 99.0) + oracle::nearest_rank(&slow, 99.0)) / 2.0;
                let got = ok(sut::merged_percentile(&[fast, slow], 99.0))?;
                close("fleet p99", got, expected, EXACT)
                .hint_if(near(got, averaged, 1e-9), "that is the mean of the shards' p99s: pool the samples (or merge histograms) and rank the pool")
            },
        ),
        Check::public(
            PERCENTILES,
            "histograms_record_merge_and_bound_the_percentile",
            3,
            || {
                let edges = vec![1.0, 2.0, 4.0];
                let mut h = sut::Histogram::new(edges.clone());
                for x in [0.5, 1.0, 1.5, 4.0, 9.0] {
                    h.record(x);
                }
                ensure(h.counts() == [2, 1, 1, 1], || {
                format!("counts {:?} after 0.5, 1, 1.5, 4, 9 with edges [1, 2, 4], expected [2, 1, 1, 1]", h.counts())
            })
            .hint_if(h.counts() == [1, 2, 0, 2], "a value equal to an edge belongs to the bucket that edge closes: eᵢ₋₁ < x ≤ eᵢ")?;
                let mut other = sut::Histogram::new(edges);
                for x in [3.0, 3.5, 3.9] {
                    other.record(x);
                }
                ok(h.merge(&other))?;
                ensure(h.counts() == [2, 1, 4, 1], || {
                    format!("merged counts {:?}, expected [2, 1, 4, 1]", h.counts())
                })?;
                // 8 values: p50 ranks 4th (bucket (2, 4]), p90 ranks 8th (above 4: +∞).
                close(
                    "p50 of the merged histogram",
                    ok(h.quantile(50.0))?,
                    4.0,
                    EXACT,
                )?;
                let p90 = ok(h.quantile(90.0))?;
                ensure(p90 == f64::INFINITY, || {
                    format!("p90 = {p90}, expected +∞ (the 8th value is above the last edge)")
                })?;
                expect_err(
                    "merging histograms with other edges",
                    h.merge(&sut::Histogram::new(vec![1.0, 3.0])),
                    |e| matches!(e, sut::StatsError::LengthMismatch { .. }),
                )
            },
        ),
    ]
}

fn calibration() -> Vec<Check> {
    vec![
        Check::public(
            CALIBRATION,
            "calibration_curve_of_the_scikit_learn_example",
            3,
            || {
                // scikit-learn's calibration_curve example: fraction of positives [0, 0.5, 1], mean
                // predicted [0.2, 0.525, 0.85] in 3 equal bins.
                let (y, p) = sklearn_example();
                let bins = ok(sut::reliability_bins(&y, &p, 3))?;
                ensure(bins.len() == 3, || {
                    format!("{} bins, expected 3", bins.len())
                })?;
                let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
                ensure(counts == [3, 2, 4], || {
                    format!("counts {counts:?}, expected [3, 2, 4]")
                })
                .hint_if(
                    counts.iter().sum::<usize>() == 8,
                    "p = 1.0 fell out: ⌊1.0·M⌋ = M is past the last bin, which must hold p = 1 too",
                )?;
                let mean: Vec<f64> = bins.iter().map(|b| b.mean_predicted).collect();
                let frac: Vec<f64> = bins.iter().map(|b| b.fraction_positive).collect();
                close_slice("mean predicted", &mean, &[0.2, 0.525, 0.85], EXACT)?;
                close_slice("fraction of positives", &frac, &[0.0, 0.5, 1.0], EXACT)
            },
        ),
        Check::public(
            CALIBRATION,
            "ece_of_the_example_is_count_weighted",
            2,
            || {
                // (3·0.2 + 2·0.025 + 4·0.15)/9 = 0.1388889; the unweighted mean of the bins' gaps is
                // 0.125.
                let (y, p) = sklearn_example();
                let got = ok(sut::ece(&y, &p, 3))?;
                close("ECE", got, 1.25 / 9.0, EXACT)
                .hint_if(near(got, 0.125, 1e-9), "0.125 is the plain mean of the bins' gaps: weigh each bin by its share of the predictions, |Bₘ|/N")
            },
        ),
        Check::public(CALIBRATION, "brier_and_log_loss_by_hand", 2, || {
            // Brier of y = [0, 1, 1, 0], p = [.1, .9, .8, .3] is 0.0375 (0.075 summed over both
            // classes). Log loss of rows (0.7, 0.2, 0.1), (0.1, 0.1, 0.8) for labels 0, 2:
            // −(ln 0.7 + ln 0.8)/2.
            let got = ok(sut::brier(
                &[false, true, true, false],
                &[0.1, 0.9, 0.8, 0.3],
            ))?;
            close("Brier", got, 0.0375, EXACT)
                .hint_if(near(got, 0.075, 1e-9), "0.075 sums the squared error over both classes: the binary Brier score is the positive class's alone")?;
            let probs = ndarray::array![[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]];
            let got = ok(sut::log_loss(probs.view(), &[0, 2]))?;
            close("log loss", got, -(0.7f64.ln() + 0.8f64.ln()) / 2.0, EXACT)?;
            let zero = ndarray::array![[1.0, 0.0]];
            let got = ok(sut::log_loss(zero.view(), &[1]))?;
            close(
                "log loss of p = 0 for the label",
                got,
                -(1e-15f64.ln()),
                EXACT,
            )
            .hint_if(
                got.is_infinite(),
                "ln 0 = ∞: floor the probability at LOG_LOSS_FLOOR",
            )
        }),
        Check::public(
            CALIBRATION,
            "temperature_fit_stays_finite_for_logits_in_the_thousands",
            1,
            || {
                // The digits model's logits times 100: e^z overflows at T = 1 and e^(z/T − max z)
                // underflows at the fitted T, far above 1. Only a shift by each row's max of
                // z/T keeps the NLL finite along the way. Overflow shows as an error, a
                // non-finite T, or T = 1, the start, never left; so does a Newton step that
                // gives up where the saturated softmax leaves the NLL no curvature.
                let d = digits();
                let z = digits_model().logits(d.validation.0.view()) * 100.0;
                let got = sut::fit_temperature(z.view(), &d.validation.1);
                let overflow = "with logits in the thousands e^z overflows at T = 1: shift each row by its max of z/T before exp (log-sum-exp)";
                let t = ok(got)?;
                close(
                    "T for the logits times 100",
                    t,
                    oracle::temperature(z.view(), &d.validation.1),
                    Tol::rel(1e-6),
                )
                .hint_if(!t.is_finite(), overflow)
                .hint_if(
                    t == 1.0,
                    "T = 1 is where the search starts, and these logits saturate the softmax there: either e^z overflowed (shift each row by its max of z/T before exp, log-sum-exp), or the search stopped because the NLL's curvature is 0 there (step downhill anyway)",
                )
            },
        ),
        Check::public(
            CALIBRATION,
            "temperature_scaling_lowers_the_digits_models_held_out_nll_and_ece",
            4,
            || {
                // The kit's digits network (seed 0), overconfident after training; T fitted on
                // the validation split must match the suite's golden-section search to 1e-6,
                // and lower both NLL and ECE (15 bins) on the test split.
                let d = digits();
                let model = digits_model();
                let zv = model.logits(d.validation.0.view());
                let t = ok(sut::fit_temperature(zv.view(), &d.validation.1))?;
                let expected = oracle::temperature(zv.view(), &d.validation.1);
                close("T", t, expected, Tol::rel(1e-6)).hint_if(
                    near(t * expected, 1.0, 1e-4),
                    "that is 1/T: the logits are divided by T, so β = 1/T multiplies them",
                )?;
                let zt = model.logits(d.test.0.view());
                let before = sut::softmax(zt.view(), 1.0);
                let after = sut::softmax(zt.view(), t);
                let nll = (
                    ok(sut::log_loss(before.view(), &d.test.1))?,
                    ok(sut::log_loss(after.view(), &d.test.1))?,
                );
                close(
                    "test NLL before scaling",
                    nll.0,
                    oracle::nll_at(zt.view(), &d.test.1, 1.0),
                    Tol::rel(1e-9),
                )?;
                let (yb, pb) = sut::top_label(before.view(), &d.test.1);
                let (ya, pa) = sut::top_label(after.view(), &d.test.1);
                let ece = (ok(sut::ece(&yb, &pb, 15))?, ok(sut::ece(&ya, &pa, 15))?);
                close(
                    "test ECE before scaling",
                    ece.0,
                    oracle::top_label_ece(before.view(), &d.test.1, 15),
                    Tol::rel(1e-9),
                )?;
                ensure(nll.1 < nll.0 && ece.1 < ece.0, || {
                    format!(
                        "with T = {t:.4}, test NLL {:.4} → {:.4} and ECE {:.4} → {:.4}: both should fall",
                        nll.0, nll.1, ece.0, ece.1
                    )
                })
            },
        ),
    ]
}

/// scikit-learn's `calibration_curve` example.
fn sklearn_example() -> (Vec<bool>, Vec<f64>) {
    (
        [0, 0, 0, 0, 1, 1, 1, 1, 1]
            .iter()
            .map(|&v| v == 1)
            .collect(),
        vec![0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0],
    )
}

/// Seeded standard normals by Box–Muller, shifted by `mean`.
pub fn normals(n: usize, mean: f64, seed: u64) -> Vec<f64> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let u: f64 = rng.random_range(f64::EPSILON..1.0);
            let v: f64 = rng.random_range(0.0..1.0);
            mean + (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        })
        .collect()
}

fn drift() -> Vec<Check> {
    vec![
        Check::public(DRIFT, "psi_of_the_worked_example", 2, || {
            // Curriculum anchor: (0.1, 0.6, 0.3) against (0.2, 0.5, 0.3) = 0.08754687373538998.
            let got = ok(sut::psi(&[0.2, 0.5, 0.3], &[0.1, 0.6, 0.3]))?;
            close("PSI", got, 0.087_546_873_735_389_98, EXACT)
        }),
        Check::public(DRIFT, "psi_of_an_empty_bin_is_finite", 2, || {
            // (0.5, 0.5, 0) against (0.4, 0.4, 0.2), with 0 floored at ε = 10⁻⁴.
            let got = ok(sut::psi(&[0.5, 0.5, 0.0], &[0.4, 0.4, 0.2]))?;
            let e = 1e-4f64;
            let expected = 2.0 * (0.4 - 0.5) * (0.4f64 / 0.5).ln() + (0.2 - e) * (0.2 / e).ln();
            close("PSI with an empty bin", got, expected, EXACT).hint_if(
                !got.is_finite(),
                "ln(0.2/0) is infinite: floor every proportion at PSI_EPSILON before the ln",
            )
        }),
        Check::public(DRIFT, "psi_bins_come_from_the_baseline", 3, || {
            let edges = ok(sut::quantile_edges(
                &(1..=10).map(f64::from).collect::<Vec<_>>(),
                4,
            ))?;
            close_slice(
                "quantile cuts of 1 … 10 in 4 bins",
                &edges,
                &[3.0, 5.0, 8.0],
                EXACT,
            )?;
            // 2,000 baseline N(0, 1) against 2,000 current N(0.5, 1), seeded, 10 bins.
            let (base, cur) = (normals(2000, 0.0, 11), normals(2000, 0.5, 12));
            let got = ok(sut::psi_samples(&base, &cur, 10))?;
            let expected = oracle::psi_with_cuts_from(&base, &base, &cur, 10);
            let wrong = oracle::psi_with_cuts_from(&cur, &base, &cur, 10);
            close("PSI of N(0.5, 1) against N(0, 1)", got, expected, Tol::rel(1e-9))
                .hint_if(near(got, wrong, 1e-9), "the bins were cut at the current data's quantiles: cut them at the baseline's, fixed when the model shipped")
        }),
        Check::public(DRIFT, "ks_of_1_to_10_against_6_to_15", 3, || {
            // Curriculum anchor: D = 0.5, exact p = 0.16782134274394334; the asymptotic 0.112 is
            // the small-sample trap.
            let a: Vec<f64> = (1..=10).map(f64::from).collect();
            let b: Vec<f64> = (6..=15).map(f64::from).collect();
            // 6 … 10 are in both samples: stepping one sample at a time through those ties
            // compares the CDFs half-way through each, 0.6 after the first 6.
            let d = ok(sut::ks_statistic(&a, &b))?;
            close("D", d, 0.5, EXACT).hint_if(
                near(d, 0.6, 1e-12),
                "0.6 is a gap half-way through a tie: advance past every sample equal to x in \
                 both samples before comparing the CDFs",
            )?;
            // D is symmetric; here the second sample runs out first.
            let swapped = catch_panic("ks_statistic", || sut::ks_statistic(&b, &a));
            let ran_past = swapped
                .as_ref()
                .is_err_and(|f| f.message.contains("index out of bounds"));
            let swapped = ok(swapped.hint_if(
                ran_past,
                "the walk read past the end of a sample that ran out first: test each index against its own sample's length before reading it",
            )?)?;
            close("D with the samples swapped", swapped, 0.5, EXACT)?;
            close(
                "exact p",
                sut::ks_exact_pvalue(10, 10, 0.5),
                0.167_821_342_743_943_34,
                Tol::rel(1e-13),
            )?;
            let t = ok(sut::ks_test(&a, &b))?;
            close(
                "ks_test p for n = m = 10",
                t.p_value,
                0.167_821_342_743_943_34,
                Tol::rel(1e-13),
            )
            .hint_if(
                near(t.p_value, 0.112, 1e-6),
                "0.112 is the asymptotic p-value: for n·m ≤ 10,000 use the exact one",
            )?;
            ensure(t.exact, || {
                "ks_test says its p-value is not exact for n = m = 10".into()
            })
        }),
    ]
}

fn monitor() -> Vec<Check> {
    vec![
        Check::public(
            MONITOR,
            "monitor_alerts_first_at_the_feature_shift",
            2,
            || {
                // Seeded stream: feature 1's mean moves by one standard deviation from window 5 on
                // (PSI ≈ 1, far above 0.25); windows of 500 rows without a shift stay near 0.02.
                let (base, stream) = sut::synthetic_stream(&sut::StreamConfig {
                    seed: 7,
                    baseline_size: 2000,
                    window_size: 500,
                    windows: 10,
                    feature_shift_at: Some(5),
                    label_shift_at: None,
                });
                let alert = ok(sut::first_alert(
                    &base,
                    &stream,
                    &sut::MonitorConfig::default(),
                ))?;
                match alert {
                    Some(sut::Alert::Feature {
                        window: 5,
                        feature: 1,
                        psi,
                    }) if psi > 0.25 => Ok(()),
                    other => fail(format!(
                        "first alert {other:?}, expected feature 1 in window 5"
                    )),
                }
            },
        ),
        Check::public(
            MONITOR,
            "monitor_alerts_only_above_the_threshold",
            1,
            || {
                // The threshold set to the largest PSI of the whole stream, as the learner's own
                // window_drift computes it: no PSI is above it, so nothing alerts; a hair
                // below it, the window that holds it does. Once where a feature's PSI is the
                // largest, once where the labels' is.
                for (feature_shift_at, label_shift_at) in [(Some(5), None), (None, Some(4))] {
                    let (base, stream) = sut::synthetic_stream(&sut::StreamConfig {
                        seed: 7,
                        baseline_size: 2000,
                        window_size: 500,
                        windows: 8,
                        feature_shift_at,
                        label_shift_at,
                    });
                    let config = sut::MonitorConfig::default();
                    let mut top = (f64::NEG_INFINITY, 0);
                    for (window, w) in stream.iter().enumerate() {
                        let drift = ok(sut::window_drift(&base, w, &config))?;
                        for &psi in drift.features.iter().chain([&drift.labels]) {
                            if psi > top.0 {
                                top = (psi, window);
                            }
                        }
                    }
                    let (max, window) = top;
                    let at = sut::MonitorConfig {
                        threshold: max,
                        ..config
                    };
                    let alert = ok(sut::first_alert(&base, &stream, &at))?;
                    ensure(alert.is_none(), || {
                        format!("with the threshold at the stream's largest PSI, {max}, first alert {alert:?}, expected none")
                    })
                    .hint_if(
                        alert.is_some(),
                        "a PSI equal to the threshold alerted: alert only above it (>, not >=)",
                    )?;
                    let below = sut::MonitorConfig {
                        threshold: max * (1.0 - 1e-12),
                        ..config
                    };
                    match ok(sut::first_alert(&base, &stream, &below))? {
                        Some(
                            sut::Alert::Feature { window: w, .. }
                            | sut::Alert::Labels { window: w, .. },
                        ) if w == window => {}
                        other => {
                            return fail(format!(
                                "with the threshold just below the stream's largest PSI ({max}, window {window}), first alert {other:?}, expected window {window}"
                            ));
                        }
                    }
                }
                Ok(())
            },
        ),
        Check::public(MONITOR, "monitor_alerts_at_the_label_shift", 2, || {
            // The class mix moves from (0.5, 0.3, 0.2) to (0.2, 0.3, 0.5) at window 4 (PSI
            // ≈ 0.55); the features never move.
            let (base, stream) = sut::synthetic_stream(&sut::StreamConfig {
                seed: 8,
                baseline_size: 2000,
                window_size: 500,
                windows: 8,
                feature_shift_at: None,
                label_shift_at: Some(4),
            });
            let alert = ok(sut::first_alert(
                &base,
                &stream,
                &sut::MonitorConfig::default(),
            ))?;
            match alert {
                Some(sut::Alert::Labels { window: 4, psi }) if psi > 0.25 => Ok(()),
                other => fail(format!(
                    "first alert {other:?}, expected the labels in window 4"
                )),
            }
        }),
    ]
}
