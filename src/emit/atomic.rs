//! Writing outputs so that they are never lost or half-written, and one run at a time.
//!
//! A run's output folder is replaced as a whole ([`replace_folder`], [`replace_folder_with`]):
//! every file is written into a fresh folder beside the target as soon as it is rendered, its
//! sync started at once on a thread of its own (so that the disk works while the slower outputs
//! are still being rendered, and concurrent syncs share the file system's commits), and when the
//! last is written and every sync has returned the two folders are swapped in one
//! step (`renameat2` with `RENAME_EXCHANGE` on Linux; elsewhere, or on a file system without it,
//! two renames, and the next run puts the old folder back if a kill came between them). A run
//! killed at any moment leaves the old folder or the new one, never a mix, and no temporary file
//! in it; what a killed run leaves beside it is removed by the next run. A single file (a
//! receipt `watch` rewrites, an anchor, a template) is written to a temporary file in its own
//! folder, synced and renamed over the final name ([`write_atomic`]).
//!
//! Files are created with the mode a normally created file gets (0666 less the user's umask,
//! usually 0644 or 0664), not the temporary files' private 0600: in a shared project folder
//! colleagues and the auditor must be able to open the outputs. [`RunLock`] takes an advisory
//! lock on the project folder's lock file; the operating system releases it when the process
//! ends, however it ends, so a killed run never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::fault;

/// A temporary file in `dir` that becomes an output by a rename: created with mode 0666, which
/// the operating system reduces by the umask, exactly as for a file created the ordinary way.
pub(crate) fn temporary(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".redovisa-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// The folder `path` is in, `.` for a bare file name: where a file's temporary twin is made, so
/// that the rename over it stays on one file system and is atomic.
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, sync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_at(path, bytes, "")
}

/// [`write_atomic`] with the fault injection points `<point>.write` (half the bytes written)
/// and `<point>.rename` (synced, not yet renamed); none when `point` is empty.
pub(crate) fn write_atomic_at(path: &Path, bytes: &[u8], point: &'static str) -> std::io::Result<()> {
    let dir = folder_of(path);
    std::fs::create_dir_all(dir)?;
    let mut tmp = temporary(dir)?;
    let half = bytes.len() / 2;
    tmp.as_file_mut().write_all(&bytes[..half])?;
    if !point.is_empty() {
        fault::point_in(point, "write")?;
    }
    tmp.as_file_mut().write_all(&bytes[half..])?;
    tmp.as_file().sync_all()?;
    if !point.is_empty() {
        fault::point_in(point, "rename")?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Names of what a run leaves beside its target folder: the new folder being written, and (on a
/// file system without an atomic exchange) the old one set aside for a moment. Each is
/// `<prefix><target name>-<process id>`.
const NEW_PREFIX: &str = ".redovisa-ny-";
const OLD_PREFIX: &str = ".redovisa-gammal-";

/// Why a folder could not be replaced: the path it concerns and the error.
pub type FolderError = (PathBuf, std::io::Error);

/// Replaces the folder `out` by one holding `files` (paths relative to `out`, with their bytes)
/// and every other entry the old folder held, but for redovisa's temporary files: files of the
/// user's own (and an Office lock file) stay, by a hard link where the file system has them, a
/// copy where not. See the module documentation for the guarantees. An existing `out` must look
/// like an output folder (empty, or holding `summary.json` or a claim receipt): a folder of other
/// things is never swapped. Call it only while holding the project's [`RunLock`].
pub fn replace_folder(out: &Path, files: &[(PathBuf, Vec<u8>)], marks: &[&str]) -> Result<(), FolderError> {
    replace_folder_owning(out, files, marks, &[])
}

/// [`replace_folder`] for a run that owns the folders `owned` (relative to `out`): what it
/// writes there is listed in [`WRITTEN_LIST`], and a file an earlier run wrote there that this
/// run does not write is not carried over (an attachment of another state of the inbox must
/// not be uploaded with this one). Files of the user's own in those folders stay.
pub fn replace_folder_owning(
    out: &Path,
    files: &[(PathBuf, Vec<u8>)],
    marks: &[&str],
    owned: &[&str],
) -> Result<(), FolderError> {
    replace_folder_with(out, marks, owned, |stage| files.iter().try_for_each(|(rel, bytes)| stage.put(rel, bytes)))
}

/// [`replace_folder_owning`] with the files handed over while they are rendered: `fill` puts
/// each into the [`Stage`] (from any thread) as soon as it has it, and the folder is swapped in
/// once `fill` has returned and every file is synced. An error from `fill` leaves the old folder
/// as it was.
pub fn replace_folder_with<E: From<FolderError>>(
    out: &Path,
    marks: &[&str],
    owned: &[&str],
    fill: impl FnOnce(&Stage) -> Result<(), E>,
) -> Result<(), E> {
    let at = |p: &Path| {
        let p = p.to_path_buf();
        move |e| (p, e)
    };
    // A link to a folder: the folder it points to is replaced, the link stays. `.` and `..` are
    // the folders they name.
    let out = match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() || out.file_name().is_none() => {
            std::fs::canonicalize(out).map_err(at(out))?
        }
        _ => out.to_path_buf(),
    };
    let (parent, name) = match (out.parent(), out.file_name()) {
        (Some(_), Some(name)) => (folder_of(&out).to_path_buf(), name.to_string_lossy().into_owned()),
        _ => return Err((out.clone(), std::io::Error::other("mappen har inget namn att byta ut")).into()),
    };
    std::fs::create_dir_all(&parent).map_err(at(&parent))?;
    recover(&parent, &name, &out).map_err(at(&parent))?;
    if !is_output_folder(&out, marks).map_err(at(&out))? {
        return Err((
            out.clone(),
            std::io::Error::other(
                "mappen innehåller annat än utdata från redovisa och ersätts inte; ange en ny eller tom mapp med --out",
            ),
        )
            .into());
    }
    let staging = parent.join(format!("{NEW_PREFIX}{name}-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(at(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(at(&staging))?;
    let done = stage_all(&staging, &out, owned, fill)
        .and_then(|()| swap(&staging, &out, &parent, &name).map_err(|e| E::from((out.clone(), e))));
    if done.is_err() {
        // A failure (a full disk) leaves the old folder as it was; the new one goes.
        let _ = std::fs::remove_dir_all(&staging);
    }
    if let Ok(d) = File::open(&parent) {
        let _ = d.sync_all();
    }
    done
}

/// The fresh folder while it is filled: what [`replace_folder_with`]'s `fill` puts files into.
pub struct Stage<'scope, 'env> {
    dir: &'env Path,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    /// The files put so far (relative paths) and the threads syncing them.
    put: Mutex<(Vec<PathBuf>, Vec<Sync<'scope>>)>,
}

/// A file's sync, running on a thread of its own.
type Sync<'scope> = std::thread::ScopedJoinHandle<'scope, Result<(), FolderError>>;

impl Stage<'_, '_> {
    /// Writes `bytes` to `rel` (relative to the folder being filled) and starts its sync.
    pub fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), FolderError> {
        let path = self.dir.join(rel);
        let fail = |e| (path.clone(), e);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut file = File::create(&path).map_err(fail)?;
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half]).map_err(fail)?;
        fault::point("emit.write").map_err(fail)?;
        file.write_all(&bytes[half..]).map_err(fail)?;
        let sync_path = path.clone();
        let spawned = fault::point("emit.thread").and_then(|()| {
            std::thread::Builder::new().spawn_scoped(self.scope, move || file.sync_all().map_err(|e| (sync_path, e)))
        });
        let sync = match spawned {
            Ok(sync) => Some(sync),
            Err(_) => {
                // No thread to be had (a limit on the processes a user or container may run):
                // the file is synced here, through a new handle (a sync covers the file, not the
                // handle), before the next one is written.
                File::open(&path).and_then(|f| f.sync_all()).map_err(fail)?;
                None
            }
        };
        let mut put = self.put.lock().unwrap_or_else(PoisonError::into_inner);
        put.0.push(rel.to_path_buf());
        put.1.extend(sync);
        Ok(())
    }
}

/// Fills the fresh folder: the run's files as `fill` hands them over, the list of those in the
/// folders the run owns, what the old folder held besides them, all synced.
fn stage_all<E: From<FolderError>>(
    staging: &Path,
    out: &Path,
    owned: &[&str],
    fill: impl FnOnce(&Stage) -> Result<(), E>,
) -> Result<(), E> {
    if let Ok(meta) = std::fs::metadata(out) {
        std::fs::set_permissions(staging, meta.permissions()).map_err(|e| (staging.to_path_buf(), e))?;
    }
    let written = std::thread::scope(|scope| {
        let stage = Stage { dir: staging, scope, put: Mutex::new((Vec::new(), Vec::new())) };
        let filled = fill(&stage);
        let (written, syncs) = stage.put.into_inner().unwrap_or_else(PoisonError::into_inner);
        // Every sync is waited for, even after a failure: none outlives the folder.
        let joined: Vec<Result<(), FolderError>> = syncs
            .into_iter()
            .map(|sync| sync.join().unwrap_or_else(|_| Err((staging.to_path_buf(), std::io::Error::other("synkning")))))
            .collect();
        let synced: Result<(), FolderError> = joined.into_iter().collect();
        filled?;
        fault::point("emit.sync").map_err(|e| (staging.to_path_buf(), e))?;
        synced?;
        Ok::<_, E>(written)
    })?;
    // In the order they were put: a caller that puts an owned folder's files from one thread
    // (as `write_run` does) gets the same list every run.
    let written: Vec<&Path> = written.iter().map(PathBuf::as_path).collect();
    write_list(staging, &written, owned)?;
    if out.is_dir() {
        // The old list is this run's list's predecessor, never carried over.
        let mut skip = written;
        skip.push(Path::new(WRITTEN_LIST));
        let earlier = std::fs::read_to_string(out.join(WRITTEN_LIST)).unwrap_or_default();
        skip.extend(earlier.lines().map(Path::new));
        carry_over(out, staging, Path::new(""), &skip)?;
    }
    sync_tree(staging).map_err(|e| (staging.to_path_buf(), e).into())
}

/// The list of the files a run wrote in the folders it owns, one relative path a line, at the
/// top of its output folder (each such run writes it anew).
pub const WRITTEN_LIST: &str = ".skrivna-filer";

/// Writes [`WRITTEN_LIST`] into the fresh folder when the run owns folders.
fn write_list(staging: &Path, written: &[&Path], owned: &[&str]) -> Result<(), FolderError> {
    if owned.is_empty() {
        return Ok(());
    }
    let mut list = String::new();
    for rel in written.iter().filter(|rel| owned.iter().any(|o| rel.starts_with(o))) {
        list.push_str(&rel.to_string_lossy());
        list.push('\n');
    }
    let path = staging.join(WRITTEN_LIST);
    let fail = |e| (path.clone(), e);
    let mut file = File::create(&path).map_err(fail)?;
    file.write_all(list.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// Whether `dir` may be replaced as a whole: it does not exist, is empty, or holds one of
/// `marks` (`summary.json`, a claim receipt).
fn is_output_folder(dir: &Path, marks: &[&str]) -> std::io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none() || marks.iter().any(|m| dir.join(m).is_file())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Carries what the old folder holds besides `skip` (this run's files, and those an earlier run
/// wrote in a folder it owns) into the fresh one (recursively, `rel` being the place inside
/// both), leaving out redovisa's temporary files.
fn carry_over(old: &Path, new: &Path, rel: &Path, written: &[&Path]) -> Result<(), FolderError> {
    let here = old.join(rel);
    let entries = std::fs::read_dir(&here).map_err(|e| (here.clone(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| (here.clone(), e))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".redovisa-") {
            continue;
        }
        let rel = rel.join(&name);
        let (from, to) = (old.join(&rel), new.join(&rel));
        let fail = |e| (from.clone(), e);
        let kind = entry.file_type().map_err(fail)?;
        if kind.is_dir() {
            if !to.is_dir() {
                std::fs::create_dir(&to).map_err(fail)?;
                std::fs::set_permissions(&to, entry.metadata().map_err(fail)?.permissions()).map_err(fail)?;
            }
            carry_over(old, new, &rel, written)?;
        } else if written.contains(&rel.as_path()) {
            continue;
        } else if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(&from).map_err(fail)?, &to).map_err(fail)?;
        } else if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).map_err(fail)?;
        }
    }
    Ok(())
}

/// Syncs every folder of a tree (the files are synced as they are written or linked).
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            sync_tree(&entry.path())?;
        }
    }
    File::open(dir)?.sync_all()
}

/// Puts the fresh folder in place of `out`: one exchange where the file system has it, else
/// two renames (old aside, new in), then the old folder is removed.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if !out.exists() {
        fault::point("emit.rename")?;
        return std::fs::rename(staging, out);
    }
    match exchange(staging, out) {
        Ok(()) => {
            // The old folder is now at the staging name: a kill here leaves it for the next run.
            fault::point("emit.exchanged")?;
            return std::fs::remove_dir_all(staging);
        }
        Err(e) if !exchange_unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    let aside = parent.join(format!("{OLD_PREFIX}{name}-{}", std::process::id()));
    fault::point("emit.aside")?;
    std::fs::rename(out, &aside)?;
    // The moment with no folder at `out`: a kill here is undone by the next run ([`recover`]),
    // a failure at once.
    if let Err(e) = fault::point("emit.between").and_then(|()| std::fs::rename(staging, out)) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    fault::point("emit.replaced")?;
    std::fs::remove_dir_all(&aside)
}

/// Swaps two paths in one step (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    fault::point("emit.exchange")?;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// No atomic exchange outside Linux: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    fault::point("emit.exchange")?;
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Whether an exchange failed because the system or file system cannot do it.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(code) if code == libc::EINVAL || code == libc::ENOSYS || code == libc::EOPNOTSUPP)
}

/// Cleans up after a run killed while replacing `out`: a set-aside old folder goes back when
/// `out` is missing (a kill between the two renames), and every other leftover is removed.
fn recover(parent: &Path, name: &str, out: &Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Ok(()) };
    let mut leftovers: Vec<(bool, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let ours = |prefix: &str| {
            file.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        };
        if ours(OLD_PREFIX) {
            leftovers.push((true, e.path()));
        } else if ours(NEW_PREFIX) {
            leftovers.push((false, e.path()));
        }
    }
    leftovers.sort();
    for (old, path) in leftovers {
        if old && !out.exists() {
            std::fs::rename(&path, out)?;
        } else {
            std::fs::remove_dir_all(&path)?;
        }
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
    fn a_temporary_file_is_made_in_the_folder_of_the_file_it_replaces() {
        // Beside it, never in the working folder: a rename from another file system is no
        // rename (EXDEV), and one within it would not be atomic in the target's folder.
        assert_eq!(folder_of(Path::new("/projekt/ledger.jsonl")), Path::new("/projekt"));
        assert_eq!(folder_of(Path::new("projekt/utdata/x.txt")), Path::new("projekt/utdata"));
        assert_eq!(folder_of(Path::new("ledger.jsonl")), Path::new("."));
        assert_eq!(folder_of(Path::new("/")), Path::new("."));
    }

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

    fn files(list: &[(&str, &str)]) -> Vec<(PathBuf, Vec<u8>)> {
        list.iter().map(|(p, b)| (PathBuf::from(p), b.as_bytes().to_vec())).collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut out: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        out.sort();
        out
    }

    #[test]
    fn a_folder_is_replaced_whole_keeping_what_a_run_does_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("2025-01_2025-03");
        replace_folder(
            &out,
            &files(&[("summary.json", "1"), ("kvitto/a.txt", "a1"), ("kvitto/b.txt", "b1")]),
            &["summary.json"],
        )
        .unwrap();
        // Someone's note, an Office lock file and a temporary file a killed write left.
        std::fs::write(out.join("anteckning.txt"), "behåll").unwrap();
        std::fs::write(out.join("kvitto/~$a.txt"), "lås").unwrap();
        std::fs::write(out.join(".redovisa-x.tmp"), "skräp").unwrap();
        replace_folder(&out, &files(&[("summary.json", "2"), ("kvitto/a.txt", "a2")]), &["summary.json"]).unwrap();
        assert_eq!(names(&out), ["anteckning.txt", "kvitto", "summary.json"]);
        assert_eq!(std::fs::read_to_string(out.join("summary.json")).unwrap(), "2");
        assert_eq!(std::fs::read_to_string(out.join("kvitto/a.txt")).unwrap(), "a2");
        // A receipt the run no longer writes (b) stays, like any file it does not write.
        assert_eq!(names(&out.join("kvitto")), ["a.txt", "b.txt", "~$a.txt"]);
        assert_eq!(std::fs::read_to_string(out.join("anteckning.txt")).unwrap(), "behåll");
        assert_eq!(names(dir.path()), ["2025-01_2025-03"], "nothing is left beside it");
    }

    #[test]
    fn in_a_folder_the_run_owns_its_old_files_go_and_the_users_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ut");
        let owned = ["bilagor"];
        let first = files(&[("summary.json", "1"), ("bilagor/a.xlsx", "a1"), ("bilagor/b.docx", "b1")]);
        replace_folder_owning(&out, &first, &["summary.json"], &owned).unwrap();
        std::fs::write(out.join("bilagor/lonespec.pdf"), "egen").unwrap();
        let second = files(&[("summary.json", "2"), ("bilagor/a.xlsx", "a2")]);
        replace_folder_owning(&out, &second, &["summary.json"], &owned).unwrap();
        // b was the first run's and is not written again: it goes; the user's file stays.
        assert_eq!(names(&out.join("bilagor")), ["a.xlsx", "lonespec.pdf"]);
        assert_eq!(std::fs::read_to_string(out.join("bilagor/a.xlsx")).unwrap(), "a2");
        assert_eq!(std::fs::read_to_string(out.join(WRITTEN_LIST)).unwrap(), "bilagor/a.xlsx\n");
        // A run that writes nothing there drops what the last one wrote.
        replace_folder_owning(&out, &files(&[("summary.json", "3")]), &["summary.json"], &owned).unwrap();
        assert_eq!(names(&out.join("bilagor")), ["lonespec.pdf"]);
    }

    #[test]
    fn a_folder_of_other_things_is_never_swapped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("viktigt.docx"), "x").unwrap();
        let (path, e) = replace_folder(dir.path(), &files(&[("summary.json", "1")]), &["summary.json"]).unwrap_err();
        assert_eq!(path, dir.path());
        assert!(e.to_string().contains("ersätts inte"), "{e}");
        assert_eq!(names(dir.path()), ["viktigt.docx"]);
        // Named as `.` inside it, the same folder.
        let (_, e) =
            replace_folder(&dir.path().join("."), &files(&[("summary.json", "1")]), &["summary.json"]).unwrap_err();
        assert!(e.to_string().contains("ersätts inte"), "{e}");
        assert_eq!(names(dir.path()), ["viktigt.docx"]);
    }

    #[test]
    fn the_next_run_puts_back_a_folder_set_aside_by_a_killed_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ut");
        // Killed between the two renames: the old folder aside, the new one complete beside it.
        let aside = dir.path().join(format!("{OLD_PREFIX}ut-4711"));
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join("summary.json"), "gammal").unwrap();
        std::fs::create_dir_all(dir.path().join(format!("{NEW_PREFIX}ut-4711"))).unwrap();
        // Another folder's leftovers, whose name starts like this one's, are not this run's.
        std::fs::create_dir_all(dir.path().join(format!("{NEW_PREFIX}ut-2-4711"))).unwrap();
        recover(dir.path(), "ut", &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("summary.json")).unwrap(), "gammal");
        assert_eq!(names(dir.path()), [format!("{NEW_PREFIX}ut-2-4711"), "ut".to_string()]);
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
