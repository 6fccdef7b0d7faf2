//! Writing where a person may have saved work: a file that exists is never replaced unless the
//! caller was told to (`--force`).
//!
//! `template` writes a workbook a partner fills in and saves; a second `template` must not wipe
//! the hours and the attestation typed into it. [`write_protected`] refuses an existing file with
//! a Swedish message, and writes a new one atomically: the name is claimed with an exclusive
//! create (so a file that appears meanwhile is not replaced either), then the content is put in
//! place by [`super::atomic::write_atomic`]. [`free_name`] picks a default name that collides
//! with no file where the person works nor in the inbox. Every command that writes such a file
//! (`template`, `final --texts`) goes through here.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use super::atomic::{folder_of, write_atomic};

/// Why a protected file was not written.
#[derive(Debug, thiserror::Error)]
pub enum ProtectError {
    #[error(
        "{0} finns redan och skrivs inte över: den kan innehålla uppgifter som någon har fyllt i. Välj ett annat \
         filnamn, eller ange --force om filen ska ersättas."
    )]
    Exists(PathBuf),
    #[error("kan inte skriva {}: {}", .0.display(), crate::sv::io_error(.1))]
    Io(PathBuf, std::io::Error),
}

/// Writes `bytes` to `path` atomically; an existing file is replaced only when `force` is set.
pub fn write_protected(path: &Path, bytes: &[u8], force: bool) -> Result<(), ProtectError> {
    let io = |e: std::io::Error| ProtectError::Io(path.to_path_buf(), e);
    if force {
        return write_atomic(path, bytes).map_err(io);
    }
    std::fs::create_dir_all(folder_of(path)).map_err(io)?;
    // Claim the name first: a file that exists, or appears meanwhile, is never replaced.
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(ProtectError::Exists(path.into())),
        Err(e) => return Err(io(e)),
    }
    write_atomic(path, bytes).map_err(|e| {
        let _ = std::fs::remove_file(path);
        io(e)
    })
}

/// The first of `<stem>.<ext>`, `<stem> (2).<ext>`, `<stem> (3).<ext>`, … in `dir` that is
/// neither a file there nor, by name, a file in any of `also` (the inbox folders the workbook
/// will be dropped into). An empty `dir` is the current folder.
pub fn free_name(dir: &Path, stem: &str, ext: &str, also: &[PathBuf]) -> PathBuf {
    let here = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let taken = |name: &str| {
        // By name, ignoring case: a shared folder on Windows or macOS does.
        std::iter::once(here).chain(also.iter().map(PathBuf::as_path)).any(|d| {
            std::fs::read_dir(d).is_ok_and(|entries| {
                entries.flatten().any(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(name))
            })
        })
    };
    (1..)
        .map(|n| if n == 1 { format!("{stem}.{ext}") } else { format!("{stem} ({n}).{ext}") })
        .find(|name| !taken(name))
        .map(|name| dir.join(name))
        .unwrap_or_else(|| dir.join(format!("{stem}.{ext}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mall.xlsx");
        write_protected(&p, b"first", false).unwrap();
        let err = write_protected(&p, b"second", false).unwrap_err();
        assert!(err.to_string().contains("finns redan och skrivs inte över"), "{err}");
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        write_protected(&p, b"second", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn the_free_name_avoids_the_folder_and_the_inbox() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = tempfile::tempdir().unwrap();
        assert_eq!(free_name(dir.path(), "kramfors-2025-05", "xlsx", &[]), dir.path().join("kramfors-2025-05.xlsx"));
        std::fs::write(dir.path().join("kramfors-2025-05.xlsx"), b"x").unwrap();
        std::fs::write(inbox.path().join("Kramfors-2025-05 (2).XLSX"), b"x").unwrap();
        let name = free_name(dir.path(), "kramfors-2025-05", "xlsx", &[inbox.path().to_path_buf()]);
        assert_eq!(name, dir.path().join("kramfors-2025-05 (3).xlsx"));
    }
}
