//! Step 2: a model registry on a [`Store`]: immutable versions named by their content hash, and
//! aliases moved atomically.

use sha2::{Digest, Sha256};

use crate::error::RegistryError;
use crate::store::Store;

/// One registered model: its version (1, 2, …) and the SHA-256 of its bytes, in hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelVersion {
    /// 1 for the first model registered, then increasing by one.
    pub version: u32,
    /// Lowercase hex SHA-256 of the artefact's bytes (64 characters).
    pub hash: String,
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where version `version` with content hash `hash` lives: `models/v000042-<hash>.art`.
pub fn model_path(version: u32, hash: &str) -> String {
    format!("models/v{version:06}-{hash}.art")
}

/// Where alias `alias` lives: `aliases/<alias>`, holding the version number as text and a
/// newline, e.g. `"3\n"`.
pub fn alias_path(alias: &str) -> String {
    format!("aliases/{alias}")
}

/// A model registry: every model ever registered, immutable, and named aliases
/// (`champion`, `challenger`) pointing at versions.
///
/// The layout on the store:
///
/// ```text
/// models/v000001-<sha256>.art     version 1's artefact, never rewritten
/// models/v000002-<sha256>.art
/// aliases/champion                "2\n"
/// ```
///
/// Only files named exactly like [`model_path`] are versions, and only files named exactly like
/// [`alias_path`] are aliases: anything else (a temporary file a crash left behind) is ignored.
/// A crash at any moment of [`Registry::register`] or [`Registry::set_alias`] leaves every alias
/// pointing at a complete, registered version: the old one or the new one.
#[derive(Debug)]
pub struct Registry<S: Store> {
    store: S,
}

impl<S: Store> Registry<S> {
    /// A registry on `store` (empty or written by a registry before).
    pub fn new(store: S) -> Registry<S> {
        Registry { store }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The store, to restart it after a crash or hand it to another registry.
    pub fn into_store(self) -> S {
        self.store
    }

    /// Every registered version, in increasing order.
    ///
    /// # Errors
    ///
    /// [`RegistryError::Storage`] when the store cannot be listed.
    pub fn versions(&self) -> Result<Vec<ModelVersion>, RegistryError> {
        // TODO: List the store and keep the files named like model_path, parsed. models/v000001-<hash>.art -> 1
        todo!("versions in the registry's store")
    }

    /// Registers `artefact`: if the same bytes (same hash) are already registered, returns
    /// their version; otherwise writes them as the next version (the last plus one, 1 for the
    /// first) so that a crash never leaves a partial file under a version's name.
    ///
    /// # Errors
    ///
    /// [`RegistryError::Storage`] when the store fails.
    pub fn register(&mut self, artefact: &[u8]) -> Result<ModelVersion, RegistryError> {
        // TODO: Hash the bytes, reuse an equal version, else write the next one to a temporary file and rename it.
        todo!("register an artefact of {} bytes", artefact.len())
    }

    /// The bytes of `version`, checked against its content hash.
    ///
    /// # Errors
    ///
    /// [`RegistryError::UnknownVersion`], [`RegistryError::Corrupt`] when the bytes do not hash
    /// to the name's hash, [`RegistryError::Storage`] when the store fails.
    pub fn load(&self, version: u32) -> Result<Vec<u8>, RegistryError> {
        // TODO: Find the version's file, read it, and refuse bytes whose hash is not the name's.
        todo!("load version {version}")
    }

    /// Points `alias` at `version`, atomically: readers see the old version or the new one,
    /// never a partial alias, whatever moment a crash strikes.
    ///
    /// # Errors
    ///
    /// [`RegistryError::InvalidAlias`] unless `alias` is non-empty lowercase letters, digits,
    /// `-` or `_`; [`RegistryError::UnknownVersion`]; [`RegistryError::Storage`].
    pub fn set_alias(&mut self, alias: &str, version: u32) -> Result<(), RegistryError> {
        // TODO: Validate, then write "<version>\n" to a temporary file and rename it over the alias.
        todo!("point alias {alias:?} at version {version}")
    }

    /// The version `alias` points at.
    ///
    /// # Errors
    ///
    /// [`RegistryError::InvalidAlias`]; [`RegistryError::UnknownAlias`] when it was never set;
    /// [`RegistryError::Corrupt`] when its file is not a version number and a newline;
    /// [`RegistryError::Storage`].
    pub fn resolve(&self, alias: &str) -> Result<u32, RegistryError> {
        // TODO: Read the alias's file and parse "<version>\n"; a file that is anything else is corrupt.
        todo!("resolve alias {alias:?}")
    }
}
