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
        // BEGIN SOLUTION
        let files = self.store.list().map_err(|e| storage("models/", e))?;
        let mut versions: Vec<ModelVersion> =
            files.iter().filter_map(|f| parse_model_path(f)).collect();
        versions.sort_by_key(|v| v.version);
        Ok(versions)
        // STUB
        // // TODO: List the store and keep the files named like model_path, parsed. models/v000001-<hash>.art -> 1
        // todo!("versions in the registry's store")
        // END SOLUTION
    }

    /// Registers `artefact`: if the same bytes (same hash) are already registered, returns
    /// their version; otherwise writes them as the next version (the last plus one, 1 for the
    /// first) so that a crash never leaves a partial file under a version's name.
    ///
    /// # Errors
    ///
    /// [`RegistryError::Storage`] when the store fails.
    pub fn register(&mut self, artefact: &[u8]) -> Result<ModelVersion, RegistryError> {
        // BEGIN SOLUTION
        let hash = content_hash(artefact);
        let versions = self.versions()?;
        if let Some(v) = versions.iter().find(|v| v.hash == hash) {
            return Ok(v.clone());
        }
        let version = versions.last().map_or(1, |v| v.version + 1);
        let path = model_path(version, &hash);
        let tmp = format!("{path}.tmp");
        self.store
            .write(&tmp, artefact)
            .map_err(|e| storage(&tmp, e))?;
        self.store
            .rename(&tmp, &path)
            .map_err(|e| storage(&path, e))?;
        Ok(ModelVersion { version, hash })
        // STUB
        // // TODO: Hash the bytes, reuse an equal version, else write the next one to a temporary file and rename it.
        // todo!("register an artefact of {} bytes", artefact.len())
        // END SOLUTION
    }

    /// The bytes of `version`, checked against its content hash.
    ///
    /// # Errors
    ///
    /// [`RegistryError::UnknownVersion`], [`RegistryError::Corrupt`] when the bytes do not hash
    /// to the name's hash, [`RegistryError::Storage`] when the store fails.
    pub fn load(&self, version: u32) -> Result<Vec<u8>, RegistryError> {
        // BEGIN SOLUTION
        let v = self
            .versions()?
            .into_iter()
            .find(|v| v.version == version)
            .ok_or(RegistryError::UnknownVersion(version))?;
        let path = model_path(v.version, &v.hash);
        let bytes = self.store.read(&path).map_err(|e| storage(&path, e))?;
        let hash = content_hash(&bytes);
        if hash != v.hash {
            return Err(RegistryError::Corrupt {
                path,
                reason: format!("its bytes hash to {hash}"),
            });
        }
        Ok(bytes)
        // STUB
        // // TODO: Find the version's file, read it, and refuse bytes whose hash is not the name's.
        // todo!("load version {version}")
        // END SOLUTION
    }

    /// Points `alias` at `version`, atomically: readers see the old version or the new one,
    /// never a partial alias, whatever moment a crash strikes.
    ///
    /// # Errors
    ///
    /// [`RegistryError::InvalidAlias`] unless `alias` is non-empty lowercase letters, digits,
    /// `-` or `_`; [`RegistryError::UnknownVersion`]; [`RegistryError::Storage`].
    pub fn set_alias(&mut self, alias: &str, version: u32) -> Result<(), RegistryError> {
        // BEGIN SOLUTION
        check_alias(alias)?;
        if !self.versions()?.iter().any(|v| v.version == version) {
            return Err(RegistryError::UnknownVersion(version));
        }
        let path = alias_path(alias);
        let tmp = format!("{path}.tmp");
        self.store
            .write(&tmp, format!("{version}\n").as_bytes())
            .map_err(|e| storage(&tmp, e))?;
        self.store
            .rename(&tmp, &path)
            .map_err(|e| storage(&path, e))
        // STUB
        // // TODO: Validate, then write "<version>\n" to a temporary file and rename it over the alias.
        // todo!("point alias {alias:?} at version {version}")
        // END SOLUTION
    }

    /// The version `alias` points at.
    ///
    /// # Errors
    ///
    /// [`RegistryError::InvalidAlias`]; [`RegistryError::UnknownAlias`] when it was never set;
    /// [`RegistryError::Corrupt`] when its file is not a version number and a newline;
    /// [`RegistryError::Storage`].
    pub fn resolve(&self, alias: &str) -> Result<u32, RegistryError> {
        // BEGIN SOLUTION
        check_alias(alias)?;
        let path = alias_path(alias);
        let bytes = match self.store.read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(RegistryError::UnknownAlias(alias.to_string()));
            }
            Err(e) => return Err(storage(&path, e)),
        };
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.strip_suffix('\n'))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| RegistryError::Corrupt {
                path,
                reason: format!("{bytes:?} is not a version number and a newline"),
            })
        // STUB
        // // TODO: Read the alias's file and parse "<version>\n"; a file that is anything else is corrupt.
        // todo!("resolve alias {alias:?}")
        // END SOLUTION
    }
}

// BEGIN SOLUTION
fn storage(path: &str, e: std::io::Error) -> RegistryError {
    RegistryError::Storage {
        path: path.to_string(),
        message: e.to_string(),
    }
}

fn check_alias(alias: &str) -> Result<(), RegistryError> {
    let ok = !alias.is_empty()
        && alias
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(RegistryError::InvalidAlias(alias.to_string()))
    }
}

/// `models/v000042-<64 hex>.art` → version 42 and its hash; anything else → `None`.
fn parse_model_path(path: &str) -> Option<ModelVersion> {
    let name = path.strip_prefix("models/v")?.strip_suffix(".art")?;
    let (version, hash) = name.split_once('-')?;
    let hex = |s: &str| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let digits = version.len() == 6 && version.bytes().all(|b| b.is_ascii_digit());
    if !(digits && hex(hash)) {
        return None;
    }
    let version: u32 = version.parse().ok()?;
    (version > 0).then(|| ModelVersion {
        version,
        hash: hash.to_string(),
    })
}
// END SOLUTION
