//! Writing outputs so that they are never lost or half-written, and one run at a time.
//!
//! Every output is written to a temporary file in its final folder, synced, and renamed over
//! the final name ([`write_atomic`]): a run killed at any moment leaves each previous output
//! whole. [`RunLock`] takes an advisory lock on the project folder's lock file; the operating
//! system releases it when the process ends, however it ends, so a killed run never leaves a
//! stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, sync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".redovisa-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes temporary files a killed run left in `dir` (not recursive). Call it only while
/// holding the project's [`RunLock`], so no live run's temporary file is touched.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".redovisa-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The lock file's name in the project folder.
pub const LOCK_FILE: &str = ".redovisa.lock";

/// An exclusive lock on a project: held for the life of the value.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    pub path: PathBuf,
}

/// Another run holds the lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("en annan körning av redovisa pågår redan för projektet ({0}). Vänta tills den är klar och försök igen.")]
    Busy(PathBuf),
    #[error("kan inte låsa projektet ({0}): {1}")]
    Io(PathBuf, std::io::Error),
}

impl RunLock {
    /// Takes the project's lock without waiting.
    pub fn acquire(project_dir: &Path) -> Result<RunLock, LockError> {
        let path = project_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| LockError::Io(path.clone(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(LockError::Busy(path)),
            Err(TryLockError::Error(e)) => Err(LockError::Io(path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        let err = RunLock::acquire(dir.path()).unwrap_err();
        assert!(err.to_string().contains("pågår redan"));
        drop(first);
        RunLock::acquire(dir.path()).unwrap();
    }
}
