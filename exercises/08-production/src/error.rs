//! The typed errors of the exercise, one per part of the platform.

/// Why bytes could not be read as an artefact ([`crate::decode`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArtefactError {
    /// The file is shorter than the smallest artefact, or a field runs past the end of the body.
    #[error("truncated artefact: {what} needs {needed} bytes at offset {offset}, {available} left")]
    Truncated {
        /// The field being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// How many bytes it needs.
        needed: usize,
        /// How many bytes were left: before the trailer for a field of the body, in the whole
        /// file for one shorter than 14 bytes.
        available: usize,
    },
    /// The first eight bytes are not [`crate::MAGIC`].
    #[error("not an mlings artefact: it starts with {found:02x?}")]
    BadMagic {
        /// The first eight bytes found.
        found: Vec<u8>,
    },
    /// A format version this reader does not know.
    #[error(
        "artefact format version {found}, this reader reads version {}",
        crate::FORMAT_VERSION
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u16,
    },
    /// The CRC-32 trailer does not match the bytes before it.
    #[error(
        "checksum mismatch: the trailer says {stored:#010x}, the contents give {computed:#010x}"
    )]
    ChecksumMismatch {
        /// The trailer's CRC-32.
        stored: u32,
        /// The CRC-32 of the bytes before the trailer.
        computed: u32,
    },
    /// An array whose element count overflows or exceeds what the file holds.
    #[error("array {name:?} declares shape {shape:?}, more than the {available} bytes left")]
    AbsurdShape {
        /// The array's name.
        name: String,
        /// The declared dimensions.
        shape: Vec<u64>,
        /// The bytes left in the body.
        available: usize,
    },
    /// A name that is not UTF-8.
    #[error("{what} is not valid UTF-8")]
    InvalidText {
        /// The field.
        what: &'static str,
    },
    /// Bytes left over between the last array and the trailer.
    #[error("{0} bytes left over after the last array")]
    TrailingBytes(usize),
}

/// Why a registry operation failed ([`crate::Registry`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegistryError {
    /// The store failed (or crashed) while reading or writing `path`.
    #[error("storage error on {path}: {message}")]
    Storage {
        /// The file.
        path: String,
        /// The store's message.
        message: String,
    },
    /// No such version.
    #[error("version {0} is not registered")]
    UnknownVersion(u32),
    /// No such alias.
    #[error("alias {0:?} is not set")]
    UnknownAlias(String),
    /// An alias name that is empty or not `[a-z0-9_-]`.
    #[error("alias {0:?} is not a name of lowercase letters, digits, '-' or '_'")]
    InvalidAlias(String),
    /// A stored file whose contents are not what its name or format promises.
    #[error("{path} is corrupt: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Why a request or a server was refused ([`crate::Server`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServeError {
    /// Back-pressure: the queue already holds `capacity` requests.
    #[error("the request queue is full ({capacity} requests waiting): retry later")]
    QueueFull {
        /// The queue's capacity.
        capacity: usize,
    },
    /// A row whose width is not the model's.
    #[error("a request of {got} features, the model takes {expected}")]
    WrongWidth {
        /// The model's input width.
        expected: usize,
        /// The request's.
        got: usize,
    },
    /// A batching configuration that cannot serve (a zero batch size or capacity).
    #[error("invalid serving configuration: {0}")]
    InvalidConfig(String),
    /// The server stopped before answering.
    #[error("the server stopped before answering")]
    Stopped,
}

/// Why a statistic could not be computed (percentiles, calibration, drift).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// No samples.
    #[error("{what} is empty")]
    Empty {
        /// The argument.
        what: &'static str,
    },
    /// Two arguments that must have the same length do not.
    #[error("{what}: {got} values, expected {expected}")]
    LengthMismatch {
        /// The arguments.
        what: &'static str,
        /// The second one's length.
        got: usize,
        /// The first one's.
        expected: usize,
    },
    /// A value outside its domain (a percentile above 100, a probability above 1, NaN).
    #[error("{what} = {value} is outside {range}")]
    OutOfRange {
        /// The argument.
        what: &'static str,
        /// Its value.
        value: f64,
        /// The allowed range.
        range: &'static str,
    },
}
