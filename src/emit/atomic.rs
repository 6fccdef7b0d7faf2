//! Writing outputs so that they are never lost or half-written, and one run at a time.
//!
//! Every output is written to a temporary file in its final folder, synced, and renamed over
//! the final name ([`write_atomic`]): a run killed at any moment leaves each previous output
//! whole. The temporary file is created with the mode a normally created file gets (0666 less
//! the user's umask, usually 0644 or 0664), not the temporary files' private 0600: the mode
//! survives the rename, and in a shared project folder colleagues and the auditor must be able
//! to open the outputs. [`RunLock`] takes an advisory lock on the project folder's lock file; the operating
//! system releases it when the process ends, however it ends, so a killed run never leaves a
//! stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A temporary file in `dir` that becomes an output by a rename: created with mode 0666, which
/// the operating system reduces by the umask, exactly as for a file created the ordinary way.
fn temporary(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".redovisa-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, sync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = temporary(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes several files atomically, each with the guarantee of [`write_atomic`], in one pass:
/// every temporary file is written, then all are synced at once (one thread each, so that the
/// file system commits them together instead of one journal commit per file and per folder),
/// then renamed in order, and each folder is synced once. The last file is renamed only after the
/// other renames are durable, so it appears last. On an error, the path it concerns.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (PathBuf, std::io::Error)> {
    let parent =
        |path: &Path| path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let mut temps = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let fail = |e: std::io::Error| (path.clone(), e);
        let dir = parent(path);
        std::fs::create_dir_all(&dir).map_err(fail)?;
        let mut tmp = temporary(&dir).map_err(fail)?;
        tmp.write_all(bytes).map_err(fail)?;
        temps.push((path, dir, tmp));
    }
    std::thread::scope(|s| {
        let syncs: Vec<_> = temps
            .iter()
            .map(|(path, _, tmp)| s.spawn(move || tmp.as_file().sync_all().map_err(|e| ((*path).clone(), e))))
            .collect();
        syncs
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|_| Err((PathBuf::new(), std::io::Error::other("sync")))))
    })?;
    let sync_dirs = |dirs: &mut Vec<PathBuf>| {
        dirs.sort();
        dirs.dedup();
        for d in dirs.drain(..) {
            if let Ok(f) = File::open(&d) {
                let _ = f.sync_all();
            }
        }
    };
    let last = temps.pop();
    let mut dirs = Vec::new();
    for (path, dir, tmp) in temps {
        tmp.persist(path).map_err(|e| (path.clone(), e.error))?;
        dirs.push(dir);
    }
    sync_dirs(&mut dirs);
    if let Some((path, dir, tmp)) = last {
        tmp.persist(path).map_err(|e| (path.clone(), e.error))?;
        sync_dirs(&mut vec![dir]);
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
    #[error("kan inte låsa projektet ({}): {}", .0.display(), crate::sv::io_error(.1))]
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
