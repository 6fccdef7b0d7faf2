//! `redovisa watch`: keep receipts and the monthly status current while partners drop files.
//!
//! The inbox is watched with `notify`. Events are debounced (a save over the network fires many);
//! then the inbox is rescanned, only new or changed files (by size and modification time) are
//! read again, and every figure is re-assessed in status mode (attestation reported, not
//! required). The receipts (text and page) of the partners whose files changed and the monthly
//! status (`manadsstatus.txt` and `status.html`) are rewritten, atomically and only when their text changed. Lock files
//! and temporary files are ignored by intake; a file still being written is either unreadable or
//! changes during the read, is reported as such, and is read again on its next event. A workbook
//! that cannot be read never stops the watch.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use notify::{RecursiveMode, Watcher};

use crate::emit::atomic::write_atomic;
use crate::emit::report::Texts;
use crate::emit::{html, receipt, status};
use crate::intake;
use crate::ledger::Ledger;
use crate::pipeline::{self, Examined, Options};
use crate::project::Project;

/// How long the inbox must be quiet before a refresh.
pub const DEBOUNCE: Duration = Duration::from_millis(1500);

/// Watches until the process is stopped.
pub fn watch(project: &Project, opts: &Options, out: Option<&Path>) -> anyhow::Result<()> {
    let stop = AtomicBool::new(false);
    watch_until(project, opts, out, &stop, DEBOUNCE)
}

/// The folder receipts and the monthly status go to by default.
pub fn default_out(project: &Project) -> PathBuf {
    project.output().join("status")
}

/// Files read so far, by path, with the size and modification time they were read at.
#[derive(Default)]
struct Cache {
    files: BTreeMap<String, (u64, Option<SystemTime>, Examined)>,
}

impl Cache {
    /// Rescans the inbox, re-reads what changed, and returns the examined files and the
    /// partner folders whose files changed (all of them on the first call).
    fn refresh(&mut self, project: &Project, opts: &Options) -> anyhow::Result<(Vec<Examined>, BTreeSet<String>)> {
        let inbox = opts.inbox.clone().unwrap_or_else(|| project.inbox());
        let files = intake::scan(project, &inbox)?;
        let mut changed = BTreeSet::new();
        let mut next = BTreeMap::new();
        for f in files {
            let mtime = std::fs::metadata(&f.path).and_then(|m| m.modified()).ok();
            let ex = match self.files.remove(&f.rel) {
                Some((size, time, ex)) if size == f.size && time == mtime && !ex.changed => ex,
                _ => {
                    changed.extend(f.folder.clone());
                    pipeline::examine(project, f, &opts.limits)
                }
            };
            next.insert(ex.file.rel.clone(), (ex.file.size, mtime, ex));
        }
        // Removed files change their partner too.
        changed.extend(self.files.values().filter_map(|(_, _, ex)| ex.file.folder.clone()));
        self.files = next;
        Ok((self.files.values().map(|(_, _, ex)| ex.clone()).collect(), changed))
    }
}

/// Writes `text` to `path` unless it already holds exactly that.
fn write_if_changed(path: &Path, text: &str) -> anyhow::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    write_atomic(path, text.as_bytes()).map_err(|e| anyhow::anyhow!(crate::sv::io_failed("skriva", path, &e)))?;
    Ok(true)
}

/// One refresh: re-read what changed, re-assess, rewrite what changed. Returns the paths written.
fn refresh(
    project: &Project,
    opts: &Options,
    out: &Path,
    cache: &mut Cache,
    first: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let (examined, changed) = cache.refresh(project, opts)?;
    let ledger = Ledger::open(project)?;
    let mut written = Vec::new();
    match pipeline::assess(project, opts, &ledger, &examined) {
        Ok(figures) => {
            for org in &figures.orgs {
                if first || changed.contains(&org.folder) {
                    let path = out.join("kvitto").join(format!("{}.txt", org.folder));
                    if write_if_changed(&path, &receipt::render(&figures, &org.folder))? {
                        written.push(path);
                    }
                    let path = out.join("kvitto").join(format!("{}.html", org.folder));
                    if write_if_changed(&path, &html::render_receipt(&figures, &org.folder)?)? {
                        written.push(path);
                    }
                }
            }
            let path = out.join(status::FILE);
            if write_if_changed(&path, &status::render(&figures))? {
                written.push(path);
            }
            let page = html::render_status(&figures, &Texts::load(&project.dir)?)?;
            let path = out.join(html::STATUS_FILE);
            if write_if_changed(&path, &page)? {
                written.push(path);
            }
        }
        Err(e) => {
            let path = out.join(status::FILE);
            if write_if_changed(&path, &format!("Månadsstatus kan inte tas fram: {e}\n"))? {
                written.push(path);
            }
            let path = out.join(html::STATUS_FILE);
            if write_if_changed(&path, &html::render_status_error(&format!("{e}"))?)? {
                written.push(path);
            }
        }
    }
    Ok(written)
}

/// Watches until `stop` is set, refreshing after each quiet spell of `debounce`.
pub fn watch_until(
    project: &Project,
    opts: &Options,
    out: Option<&Path>,
    stop: &AtomicBool,
    debounce: Duration,
) -> anyhow::Result<()> {
    let out = out.map_or_else(|| default_out(project), Path::to_path_buf);
    let inbox = opts.inbox.clone().unwrap_or_else(|| project.inbox());
    let opts = Options { claim: false, progress: false, ..opts.clone() };
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| anyhow::anyhow!("kan inte bevaka filändringar på den här datorn ({e})"))?;
    watcher
        .watch(&inbox, RecursiveMode::Recursive)
        .map_err(|e| anyhow::anyhow!("kan inte bevaka inkorgen {} (systemets text: {e})", inbox.display()))?;
    let mut cache = Cache::default();
    report(&refresh(project, &opts, &out, &mut cache, true)?);
    eprintln!("Bevakar {} (avsluta med Ctrl-C)", inbox.display());
    while !stop.load(Ordering::Relaxed) {
        let Ok(paths) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
        let mut relevant = paths.iter().any(|p| is_relevant(p));
        // Debounce: wait for a quiet spell, collecting what else happens meanwhile.
        loop {
            match rx.recv_timeout(debounce) {
                Ok(more) => relevant |= more.iter().any(|p| is_relevant(p)),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
        }
        if relevant {
            match refresh(project, &opts, &out, &mut cache, false) {
                Ok(written) => report(&written),
                Err(e) => eprintln!("redovisa watch: {e}"),
            }
        }
    }
    Ok(())
}

/// Whether an event path could change a receipt (lock files and temporary files cannot).
fn is_relevant(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    !matches!(intake::classify(&name, true), intake::FileKind::Ignored(_)) || !path.exists()
}

fn report(written: &[PathBuf]) {
    for p in written {
        eprintln!("  skrev {}", p.display());
    }
}
