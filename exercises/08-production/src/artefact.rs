//! Step 1: the model artefact, a versioned binary file with a CRC-32 trailer.

use crate::error::ArtefactError;
use crate::model::Mlp;
use ndarray::{Array1, Array2};

/// The first eight bytes of every artefact.
pub const MAGIC: [u8; 8] = *b"MLNGART\0";

/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u16 = 1;

/// A named array of f64, row-major, with its shape (`data.len()` is the product of `shape`).
#[derive(Clone, Debug)]
pub struct NamedArray {
    /// The array's name, e.g. `"w1"`.
    pub name: String,
    /// Its dimensions; `[]` is a scalar.
    pub shape: Vec<usize>,
    /// Its elements in row-major order.
    pub data: Vec<f64>,
}

/// What a model carries besides its weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    /// The feature schema: one name per input column, in order.
    pub features: Vec<String>,
    /// A hash of the training data, as text (e.g. hex SHA-256).
    pub data_hash: String,
    /// Named metrics measured on held-out data, e.g. `("accuracy", 0.97)`.
    pub metrics: Vec<(String, f64)>,
}

/// A model artefact: metadata and named arrays.
#[derive(Clone, Debug)]
pub struct Artefact {
    /// Schema, data hash and metrics.
    pub metadata: Metadata,
    /// The weights.
    pub arrays: Vec<NamedArray>,
}

impl Artefact {
    /// The artefact of a network: arrays `w1`, `b1`, `w2`, `b2`.
    pub fn from_mlp(net: &Mlp, metadata: Metadata) -> Artefact {
        let named = |name: &str, shape: &[usize], data: Vec<f64>| NamedArray {
            name: name.to_string(),
            shape: shape.to_vec(),
            data,
        };
        Artefact {
            metadata,
            arrays: vec![
                named("w1", net.w1.shape(), net.w1.iter().copied().collect()),
                named("b1", net.b1.shape(), net.b1.to_vec()),
                named("w2", net.w2.shape(), net.w2.iter().copied().collect()),
                named("b2", net.b2.shape(), net.b2.to_vec()),
            ],
        }
    }

    /// The network of an artefact written by [`Artefact::from_mlp`]; `None` when an array is
    /// missing or its shape does not fit.
    pub fn to_mlp(&self) -> Option<Mlp> {
        let find = |name: &str| self.arrays.iter().find(|a| a.name == name);
        let matrix = |name: &str| {
            let a = find(name)?;
            match a.shape[..] {
                [r, c] => Array2::from_shape_vec((r, c), a.data.clone()).ok(),
                _ => None,
            }
        };
        let vector = |name: &str| {
            let a = find(name)?;
            (a.shape.len() == 1).then(|| Array1::from(a.data.clone()))
        };
        let net = Mlp {
            w1: matrix("w1")?,
            b1: vector("b1")?,
            w2: matrix("w2")?,
            b2: vector("b2")?,
        };
        let fits = net.b1.len() == net.w1.ncols()
            && net.w2.nrows() == net.w1.ncols()
            && net.b2.len() == net.w2.ncols();
        fits.then_some(net)
    }
}

/// The CRC-32 of `bytes` (ISO-HDLC, as zlib and PNG compute it): reflected polynomial
/// `0xEDB88320`, initial value and final XOR `0xFFFFFFFF`.
///
/// ```text
/// crc32(b"123456789") = 0xCBF43926        crc32(b"") = 0
/// ```
pub fn crc32(bytes: &[u8]) -> u32 {
    // TODO: Fold each byte into the register, reflected polynomial 0xEDB88320. b"123456789" -> 0xCBF43926
    todo!("CRC-32 of {} bytes", bytes.len())
}

/// The bytes of an artefact, in this layout (every integer and float little-endian, every text
/// a `u32` byte length then UTF-8):
///
/// ```text
/// magic          8 bytes, MAGIC = "MLNGART\0"
/// version        u16, FORMAT_VERSION = 1
/// features       u32 count, then each name as text
/// data hash      text
/// metrics        u32 count, then each: name as text, value f64
/// arrays         u32 count, then each: name as text, u32 ndim, ndim × u64 dims, ∏dims × f64
/// trailer        u32, the CRC-32 of every byte before it
/// ```
///
/// Floats are written as their IEEE-754 bits (`f64::to_le_bytes`), so every value, −0.0 and
/// NaN payloads included, reads back bit for bit.
///
/// # Panics
///
/// When an array's `data.len()` is not the product of its `shape`.
#[track_caller]
pub fn encode(artefact: &Artefact) -> Vec<u8> {
    // TODO: Write magic, version, metadata and arrays little-endian, then the CRC-32 of it all.
    todo!(
        "encode {} features, {} metrics and {} arrays",
        artefact.metadata.features.len(),
        artefact.metadata.metrics.len(),
        artefact.arrays.len()
    )
}

/// The artefact in `bytes`, checked in this order: length, magic, version, checksum, then the
/// body field by field.
///
/// Never panics and never allocates more than the file could hold: an array's element count is
/// checked against the bytes left before any memory is reserved for it.
///
/// # Errors
///
/// - [`ArtefactError::Truncated`] when `bytes` is shorter than magic + version + trailer
///   (14 bytes), or a field of the body runs past its end;
/// - [`ArtefactError::BadMagic`], [`ArtefactError::UnsupportedVersion`],
///   [`ArtefactError::ChecksumMismatch`] as named;
/// - [`ArtefactError::AbsurdShape`] when an array's element count overflows or needs more bytes
///   than are left;
/// - [`ArtefactError::InvalidText`] for a name that is not UTF-8,
///   [`ArtefactError::TrailingBytes`] for bytes after the last array.
pub fn decode(bytes: &[u8]) -> Result<Artefact, ArtefactError> {
    // TODO: Check length, magic, version and CRC-32, then read the body, bounds-checking every field.
    todo!("decode an artefact of {} bytes", bytes.len())
}
