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
    // BEGIN SOLUTION
    !crc_update(!0, bytes)
    // STUB
    // // TODO: Fold each byte into the register, reflected polynomial 0xEDB88320. b"123456789" -> 0xCBF43926
    // todo!("CRC-32 of {} bytes", bytes.len())
    // END SOLUTION
}

// BEGIN SOLUTION
/// The register after folding `bytes` into `crc` (no initial or final complement): by the fold
/// when they are long enough, by the tables otherwise.
fn crc_update(crc: u32, bytes: &[u8]) -> u32 {
    if bytes.len() >= FOLD_MIN_BYTES {
        let mut folder = Folder::new(crc);
        folder.update(bytes);
        folder.finish()
    } else {
        crc_streams(crc, bytes)
    }
}

/// The bytes of floats that `encode` and `decode` copy before they checksum them: source and
/// copy fit in L2 together, so the CRC reads them from the cache rather than from memory.
const CRC_BLOCK: usize = 1 << 19;

/// The register after folding `bytes` into `crc` (no initial or final complement), for inputs
/// of any length: STREAMS slicing-by-8 chains over long inputs, one chain over short ones.
fn crc_streams(crc: u32, bytes: &[u8]) -> u32 {
    // Long inputs run as STREAMS independent slicing-by-8 chains, interleaved so the CPU
    // overlaps their table lookups, then joined by CRC linearity:
    // R(c, A‖B) = R(c, A)·x^(8|B|) mod P ⊕ R(0, B).
    const STREAMS: usize = 3;
    if bytes.len() < 4096 {
        return crc_register(crc, bytes);
    }
    let block = bytes.len() / STREAMS / 8 * 8;
    let mut regs = [0u32; STREAMS];
    regs[0] = crc;
    // One iterator of 8-byte words per stream: no index arithmetic, no bounds check per load.
    let mut lanes: [_; STREAMS] =
        std::array::from_fn(|k| bytes[k * block..(k + 1) * block].chunks_exact(8));
    for _ in 0..block / 8 {
        for (reg, lane) in regs.iter_mut().zip(&mut lanes) {
            if let Some(word) = lane.next() {
                *reg = slice8(*reg, le_u64(word));
            }
        }
    }
    let shift = x_pow_8n(block);
    let mut joined = regs[0];
    for &reg in &regs[1..] {
        joined = mul_mod_p(shift, joined) ^ reg;
    }
    crc_register(joined, &bytes[STREAMS * block..])
}

/// The register after folding `bytes` into `crc` (no initial or final complement).
fn crc_register(mut crc: u32, bytes: &[u8]) -> u32 {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        crc = slice8(crc, le_u64(chunk));
    }
    for &b in chunks.remainder() {
        crc = CRC_TABLES[0][((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

/// Eight bytes, read as one little-endian word, folded into the register with eight table
/// lookups (the first byte is the low byte, so it meets the register's low byte).
fn slice8(crc: u32, word: u64) -> u32 {
    let x = word ^ crc as u64;
    let byte = |k: u32| ((x >> (8 * k)) & 0xff) as usize;
    CRC_TABLES[7][byte(0)]
        ^ CRC_TABLES[6][byte(1)]
        ^ CRC_TABLES[5][byte(2)]
        ^ CRC_TABLES[4][byte(3)]
        ^ CRC_TABLES[3][byte(4)]
        ^ CRC_TABLES[2][byte(5)]
        ^ CRC_TABLES[1][byte(6)]
        ^ CRC_TABLES[0][byte(7)]
}

/// Eight bytes as a little-endian word (`chunk` comes from `chunks_exact(8)`).
fn le_u64(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]))
}

/// a·b mod P in the reflected representation (bit 31 is x⁰).
fn mul_mod_p(a: u32, mut b: u32) -> u32 {
    let mut m = 1u32 << 31;
    let mut p = 0;
    while m != 0 {
        if a & m != 0 {
            p ^= b;
        }
        m >>= 1;
        b = if b & 1 == 1 {
            (b >> 1) ^ 0xEDB8_8320
        } else {
            b >> 1
        };
    }
    p
}

/// x^(8n) mod P, by squaring: the operator that appends n zero bytes to a register.
fn x_pow_8n(n: usize) -> u32 {
    let (mut result, mut square, mut e) = (1u32 << 31, 1u32 << 23, n);
    while e > 0 {
        if e & 1 == 1 {
            result = mul_mod_p(square, result);
        }
        square = mul_mod_p(square, square);
        e >>= 1;
    }
    result
}

// Folding long inputs without tables.
//
// The CRC register of a message M is M(x)·x³² mod P, so adding any multiple of P to the
// message leaves it unchanged. With y = x⁶⁴, one 64-bit word, P divides
//
//     y³⁰⁰⁶ + y²⁸⁶⁶ + y²²¹⁵ + 1
//
// (the four-term multiple of smallest degree in y below 6,000, found by meeting in the middle
// over the residues x^(64j) mod P). Adding it, shifted to start at word m, clears word m and
// XORs it unchanged into the words 140, 791 and 3006 later in the byte stream (3006 − 2866,
// 3006 − 2215 and 3006): every term falls on a word boundary, so moving a word forward takes
// three XORs, no shifts and no lookups. Moving every word forward, from the first to the
// 3006-th from the end, leaves all of the message but its last 3006 words zero; a zero prefix
// does not change a register that starts at 0, so the tables then run over 24 KB however long
// the input. (This is the idea of the Chorba CRC, published in 2024.) The compiler runs the
// fold two words at a time in SSE2 registers. Folding a word needs only the values of the words
// before it, so the message can come in pieces: `Folder` folds each word as if more will follow,
// and at the end takes back what the last window's words moved into one another.

/// How far forward a word moves, in words: the multiple's exponents below its top.
const FOLD_LAGS: [usize; 3] = [140, 791, 3006];
/// The words left at the end of the message, which receive moves but make none.
const FOLD_WINDOW: usize = 3006;
/// The words computed at once: the shortest lag, so each depends only on earlier chunks.
const FOLD_CHUNK: usize = 140;
/// The words a `Folder` computes before sliding its window back to the start of its buffer.
const FOLD_SPAN: usize = 64 * FOLD_CHUNK;
/// Below this length (two windows of words) the tables alone are as quick.
const FOLD_MIN_BYTES: usize = 8 * 2 * FOLD_WINDOW;

/// A CRC register over bytes given in pieces of any length (no initial or final complement):
/// whole words are folded forward as they come, and the last window of them goes through the
/// tables at the end.
struct Folder {
    /// e[m] = word m ^ what earlier words moved into it, for every word so far (each is folded
    /// as if later words will follow). `e[..len]` ends with the last window of them, all zero
    /// before the message starts.
    e: Vec<u64>,
    len: usize,
    /// The whole words folded so far.
    words: usize,
    /// The bytes of the word not yet whole.
    partial: [u8; 8],
    partial_len: usize,
    /// The initial register, XORed into the message's first four bytes.
    initial: u32,
}

impl Folder {
    fn new(initial: u32) -> Folder {
        Folder {
            e: vec![0; FOLD_WINDOW + FOLD_SPAN],
            len: FOLD_WINDOW,
            words: 0,
            partial: [0; 8],
            partial_len: 0,
            initial,
        }
    }

    /// Adds `bytes` to the message.
    fn update(&mut self, mut bytes: &[u8]) {
        if self.partial_len > 0 {
            let n = (8 - self.partial_len).min(bytes.len());
            self.partial[self.partial_len..self.partial_len + n].copy_from_slice(&bytes[..n]);
            self.partial_len += n;
            bytes = &bytes[n..];
            if self.partial_len < 8 {
                return;
            }
            let word = self.partial;
            self.partial_len = 0;
            self.fold(&word);
        }
        let whole = bytes.len() / 8 * 8;
        self.fold(&bytes[..whole]);
        self.partial_len = bytes.len() - whole;
        self.partial[..self.partial_len].copy_from_slice(&bytes[whole..]);
    }

    /// Folds whole words forward (`bytes.len()` is a multiple of 8).
    fn fold(&mut self, bytes: &[u8]) {
        let [near, mid, far] = FOLD_LAGS;
        for chunk in bytes.chunks(8 * FOLD_CHUNK) {
            if self.len + FOLD_CHUNK > self.e.len() {
                self.e.copy_within(self.len - FOLD_WINDOW..self.len, 0);
                self.len = FOLD_WINDOW;
            }
            let len = self.len;
            let (before, after) = self.e.split_at_mut(len);
            let moved = before[len - near..]
                .iter()
                .zip(&before[len - mid..])
                .zip(&before[len - far..]);
            for ((value, word), ((&a, &b), &c)) in
                after.iter_mut().zip(chunk.chunks_exact(8)).zip(moved)
            {
                *value = le_u64(word) ^ a ^ b ^ c;
            }
            if self.words == 0 {
                after[0] ^= self.initial as u64;
            }
            self.words += chunk.len() / 8;
            self.len += chunk.len() / 8;
        }
    }

    /// The register after every byte added.
    fn finish(&self) -> u32 {
        if self.words == 0 {
            return crc_register(self.initial, &self.partial[..self.partial_len]);
        }
        // The last window's words are not folded: word k of it must not have taken the moves
        // of the words `lag <= k` before it, which lie in the window too. Undone, they and the
        // bytes of a last partial word go through the tables.
        let last = &self.e[self.len - self.words.min(FOLD_WINDOW)..self.len];
        let mut tail = Vec::with_capacity(8 * last.len() + 8);
        for (k, &value) in last.iter().enumerate() {
            let kept = FOLD_LAGS
                .iter()
                .filter(|&&lag| lag <= k)
                .fold(value, |v, &lag| v ^ last[k - lag]);
            tail.extend_from_slice(&kept.to_le_bytes());
        }
        tail.extend_from_slice(&self.partial[..self.partial_len]);
        crc_streams(0, &tail)
    }
}

/// Slicing-by-8 tables: `CRC_TABLES[0]` is the classic byte table, and `CRC_TABLES[k][b]` the
/// register after byte `b` followed by `k` zero bytes, so eight bytes fold in one step.
static CRC_TABLES: [[u32; 256]; 8] = crc_tables();

const fn crc_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut c = b as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
            k += 1;
        }
        t[0][b] = c;
        b += 1;
    }
    let mut s = 1;
    while s < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = t[s - 1][b];
            t[s][b] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            b += 1;
        }
        s += 1;
    }
    t
}
// END SOLUTION

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
    // BEGIN SOLUTION
    fn text(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    let m = &artefact.metadata;
    let floats: usize = artefact.arrays.iter().map(|a| a.data.len()).sum();
    let mut out = Vec::with_capacity(1024 + 8 * floats);
    // The CRC register over out[..checked].
    let (mut crc, mut checked) = (Folder::new(!0), 0);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(m.features.len() as u32).to_le_bytes());
    for f in &m.features {
        text(&mut out, f);
    }
    text(&mut out, &m.data_hash);
    out.extend_from_slice(&(m.metrics.len() as u32).to_le_bytes());
    for (name, value) in &m.metrics {
        text(&mut out, name);
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&(artefact.arrays.len() as u32).to_le_bytes());
    for a in &artefact.arrays {
        let count: usize = a.shape.iter().product();
        assert_eq!(
            a.data.len(),
            count,
            "array {:?} of shape {:?} has {} elements",
            a.name,
            a.shape,
            a.data.len()
        );
        text(&mut out, &a.name);
        out.extend_from_slice(&(a.shape.len() as u32).to_le_bytes());
        for &d in &a.shape {
            out.extend_from_slice(&(d as u64).to_le_bytes());
        }
        // The floats go in a block at a time, each checksummed while it is still in cache. A
        // float's bytes in the file are its memory on a little-endian machine: one copy, as
        // `np.save` makes.
        for block in a.data.chunks(CRC_BLOCK / 8) {
            #[cfg(target_endian = "little")]
            out.extend_from_slice(bytemuck::cast_slice(block));
            #[cfg(target_endian = "big")]
            for v in block {
                out.extend_from_slice(&v.to_le_bytes());
            }
            crc.update(&out[checked..]);
            checked = out.len();
        }
    }
    crc.update(&out[checked..]);
    let crc = !crc.finish();
    out.extend_from_slice(&crc.to_le_bytes());
    out
    // STUB
    // // TODO: Write magic, version, metadata and arrays little-endian, then the CRC-32 of it all.
    // todo!(
    //     "encode {} features, {} metrics and {} arrays",
    //     artefact.metadata.features.len(),
    //     artefact.metadata.metrics.len(),
    //     artefact.arrays.len()
    // )
    // END SOLUTION
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
    // BEGIN SOLUTION
    const HEADER: usize = MAGIC.len() + 2;
    if bytes.len() < HEADER + 4 {
        return Err(ArtefactError::Truncated {
            what: "header and trailer",
            offset: 0,
            needed: HEADER + 4,
            available: bytes.len(),
        });
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(ArtefactError::BadMagic {
            found: bytes[..MAGIC.len()].to_vec(),
        });
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != FORMAT_VERSION {
        return Err(ArtefactError::UnsupportedVersion { found: version });
    }
    let (content, trailer) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    // The body is read first, checksummed a block at a time behind the reader (so that each
    // array is copied and checksummed while it is in cache), but a checksum that fails wins
    // over whatever went wrong in the body.
    let mut r = Reader {
        bytes: content,
        at: HEADER,
        crc: Folder::new(!0),
        checked: 0,
    };
    let body = read_body(&mut r);
    r.crc.update(&content[r.checked..]);
    let computed = !r.crc.finish();
    if stored != computed {
        return Err(ArtefactError::ChecksumMismatch { stored, computed });
    }
    body
    // STUB
    // // TODO: Check length, magic, version and CRC-32, then read the body, bounds-checking every field.
    // todo!("decode an artefact of {} bytes", bytes.len())
    // END SOLUTION
}

// BEGIN SOLUTION
/// The body after the version: metadata, arrays, and nothing after them.
fn read_body(r: &mut Reader<'_>) -> Result<Artefact, ArtefactError> {
    let mut features = Vec::new();
    for _ in 0..r.u32("feature count")? {
        features.push(r.text("feature name")?);
    }
    let data_hash = r.text("data hash")?;
    let mut metrics = Vec::new();
    for _ in 0..r.u32("metric count")? {
        let name = r.text("metric name")?;
        metrics.push((name, r.f64("metric value")?));
    }
    let mut arrays = Vec::new();
    for _ in 0..r.u32("array count")? {
        let name = r.text("array name")?;
        let ndim = r.u32("array rank")? as usize;
        let dims_bytes = ndim.saturating_mul(8);
        r.need("array shape", dims_bytes)?;
        let mut dims = Vec::with_capacity(ndim);
        for _ in 0..ndim {
            dims.push(u64::from_le_bytes(
                r.take("array dimension", 8)?.try_into().unwrap_or([0; 8]),
            ));
        }
        let available = r.bytes.len() - r.at;
        let count = dims
            .iter()
            .try_fold(1u64, |n, &d| n.checked_mul(d))
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n.checked_mul(8).is_some_and(|b| b <= available));
        let Some(count) = count else {
            return Err(ArtefactError::AbsurdShape {
                name,
                shape: dims,
                available,
            });
        };
        let data = r.floats(count)?;
        arrays.push(NamedArray {
            name,
            shape: dims.iter().map(|&d| d as usize).collect(),
            data,
        });
    }
    if r.at != r.bytes.len() {
        return Err(ArtefactError::TrailingBytes(r.bytes.len() - r.at));
    }
    Ok(Artefact {
        metadata: Metadata {
            features,
            data_hash,
            metrics,
        },
        arrays,
    })
}

/// A bounds-checked cursor over the body, with the CRC register of `bytes[..checked]`.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    crc: Folder,
    checked: usize,
}

impl<'a> Reader<'a> {
    fn need(&self, what: &'static str, needed: usize) -> Result<(), ArtefactError> {
        let available = self.bytes.len() - self.at;
        if needed > available {
            return Err(ArtefactError::Truncated {
                what,
                offset: self.at,
                needed,
                available,
            });
        }
        Ok(())
    }

    fn take(&mut self, what: &'static str, n: usize) -> Result<&'a [u8], ArtefactError> {
        self.need(what, n)?;
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    /// `count` floats, copied a block at a time, each block checksummed (with everything
    /// before it) while it is in cache.
    fn floats(&mut self, count: usize) -> Result<Vec<f64>, ArtefactError> {
        let start = self.at;
        let raw = self.take("array data", count * 8)?;
        let mut data: Vec<f64> = Vec::with_capacity(count);
        for (k, block) in raw.chunks(CRC_BLOCK).enumerate() {
            // Read as `[u8; 8]`s (any alignment), so the conversion loop is a plain copy.
            let words: &[[u8; 8]] = bytemuck::cast_slice(block);
            data.extend(words.iter().map(|&b| f64::from_le_bytes(b)));
            let end = start + k * CRC_BLOCK + block.len();
            self.crc.update(&self.bytes[self.checked..end]);
            self.checked = end;
        }
        Ok(data)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ArtefactError> {
        let b = self.take(what, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self, what: &'static str) -> Result<f64, ArtefactError> {
        let b = self.take(what, 8)?;
        Ok(f64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }

    fn text(&mut self, what: &'static str) -> Result<String, ArtefactError> {
        let n = self.u32(what)? as usize;
        let b = self.take(what, n)?;
        String::from_utf8(b.to_vec()).map_err(|_| ArtefactError::InvalidText { what })
    }
}
// END SOLUTION
