//! Where the registry keeps its files: a small file-system interface with the two guarantees a
//! POSIX file system gives, and an in-memory store that implements it and can crash on demand.
//! Written for you.
//!
//! A store on disk is the same interface over `std::fs`: `write` is `File::create`, `write_all`
//! and `sync_all`; `rename` is `std::fs::rename` followed by a sync of the directory, without
//! which the rename itself could be lost in a power cut. The exercise keeps to the in-memory
//! store because the checks crash it at every byte, and because batch grading lets submitted
//! code touch no file.

use std::collections::BTreeMap;
use std::io;

/// A flat file system: paths are `/`-separated names relative to the store's root.
pub trait Store {
    /// Creates or replaces the file `path` with `bytes`. **Not atomic**: a crash part-way leaves
    /// the file with a prefix of `bytes` (possibly empty).
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()>;
    /// Renames `from` to `to`, replacing `to` if it exists. **Atomic**: after a crash `to` is
    /// either its old contents or all of `from`'s.
    fn rename(&mut self, from: &str, to: &str) -> io::Result<()>;
    /// The contents of `path`; [`io::ErrorKind::NotFound`] when there is none.
    fn read(&self, path: &str) -> io::Result<Vec<u8>>;
    /// Every file's path, sorted.
    fn list(&self) -> io::Result<Vec<String>>;
}

/// An in-memory store that can crash on demand: after [`MemStore::crash_after`]`(k)`, the
/// next `k` units of work happen (one unit per byte written, one per rename), then the store
/// "loses power": the write in progress keeps only the bytes done so far, and every later
/// write or rename fails. [`MemStore::restart`] brings it back with what reached it.
#[derive(Clone, Debug, Default)]
pub struct MemStore {
    files: BTreeMap<String, Vec<u8>>,
    budget: Option<usize>,
    crashed: bool,
    units: usize,
}

impl MemStore {
    /// An empty store that never crashes.
    pub fn new() -> MemStore {
        MemStore::default()
    }

    /// Crashes after `units` more units of work (bytes written and renames).
    pub fn crash_after(&mut self, units: usize) {
        self.budget = Some(units);
    }

    /// Whether the store has crashed since the last restart.
    pub fn crashed(&self) -> bool {
        self.crashed
    }

    /// Comes back after a crash, with the files as the crash left them.
    pub fn restart(&mut self) {
        self.crashed = false;
        self.budget = None;
    }

    /// Units of work done so far: bytes written plus renames.
    pub fn units(&self) -> usize {
        self.units
    }

    fn down() -> io::Error {
        io::Error::new(io::ErrorKind::Interrupted, "the store crashed")
    }
}

impl Store for MemStore {
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()> {
        if self.crashed {
            return Err(MemStore::down());
        }
        match self.budget {
            Some(left) if left < bytes.len() => {
                self.files.insert(path.to_string(), bytes[..left].to_vec());
                self.units += left;
                self.crashed = true;
                Err(MemStore::down())
            }
            _ => {
                self.budget = self.budget.map(|b| b - bytes.len());
                self.files.insert(path.to_string(), bytes.to_vec());
                self.units += bytes.len();
                Ok(())
            }
        }
    }

    fn rename(&mut self, from: &str, to: &str) -> io::Result<()> {
        if self.crashed {
            return Err(MemStore::down());
        }
        if self.budget == Some(0) {
            self.crashed = true;
            return Err(MemStore::down());
        }
        let bytes = self
            .files
            .remove(from)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, from.to_string()))?;
        self.files.insert(to.to_string(), bytes);
        self.budget = self.budget.map(|b| b - 1);
        self.units += 1;
        Ok(())
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_string()))
    }

    fn list(&self) -> io::Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }
}
