//! Where the registry keeps its files: a small file-system interface with the two guarantees a
//! POSIX file system gives, and two stores that implement it. Written for you.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;

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

/// A store in a directory of the real file system: `write` creates or truncates the file and
/// syncs it, `rename` is `std::fs::rename` (atomic on POSIX within one file system), followed by
/// a sync of the directory, without which the rename itself could be lost in a power cut.
#[derive(Clone, Debug)]
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    /// A store rooted at `root`, created if missing.
    ///
    /// # Errors
    ///
    /// When the directory cannot be created.
    pub fn open(root: impl Into<PathBuf>) -> io::Result<DirStore> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(DirStore { root })
    }

    fn path(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }
}

impl Store for DirStore {
    fn write(&mut self, path: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let full = self.path(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::File::create(full)?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    fn rename(&mut self, from: &str, to: &str) -> io::Result<()> {
        let to = self.path(to);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(self.path(from), &to)?;
        match to.parent() {
            Some(dir) => std::fs::File::open(dir)?.sync_all(),
            None => Ok(()),
        }
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(path))
    }

    fn list(&self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(&self.root) {
                    let parts: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same operations on both stores leave the same files: the suite's crash tests run on
    /// `MemStore`, and what they prove carries over to `DirStore` only if the two agree.
    #[test]
    fn dir_store_behaves_like_mem_store() {
        let root = std::env::temp_dir().join(format!("mlings-dir-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let mut dir = DirStore::open(&root).unwrap();
        let mut mem = MemStore::new();
        for store in [&mut dir as &mut dyn Store, &mut mem] {
            store.write("models/1.bin", b"one").unwrap();
            store.write("aliases/champion.tmp", b"1").unwrap();
            store
                .rename("aliases/champion.tmp", "aliases/champion")
                .unwrap();
            store.write("models/2.bin", b"two").unwrap();
            store.write("aliases/champion.tmp", b"2").unwrap();
            store
                .rename("aliases/champion.tmp", "aliases/champion")
                .unwrap();
        }
        assert_eq!(dir.list().unwrap(), mem.list().unwrap());
        for path in mem.list().unwrap() {
            assert_eq!(dir.read(&path).unwrap(), mem.read(&path).unwrap(), "{path}");
        }
        let missing = dir.read("aliases/challenger").unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
