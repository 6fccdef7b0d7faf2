//! Kills and full disks at every write and rename of `submit` and `run`, through the binary
//! (issue 23).
//!
//! The tests' build of the binary has the fault injection points of `src/fault.rs` (the cargo
//! feature `failpoints`, turned on by this crate's dev-dependency on the library). Each trial
//! names one point in `REDOVISA_FAILPOINTS` and checks that the process died there by SIGKILL,
//! so every point is hit on purpose, not by chance. After each kill or full disk:
//!
//! - the ledger loads and is unchanged byte for byte, or holds the whole new claim;
//! - the output folder is the old set of files or the new one, with no temporary file in it;
//! - the next command succeeds, and leaves the anchors complete and no leftovers.
//!
//! The full disk is a real one (a small tmpfs) where the test may mount one (as root); the
//! failpoints returning ENOSPC at each write run everywhere.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use redovisa::ledger::{Claim, LEDGER_FILE, Ledger};
use redovisa::project::Project;
use redovisa_demo::{self as demo, DemoOptions};

const TODAY: &str = "2024-07-15";
/// The claim a trial submits, and the period a trial runs.
const FROM: &str = "2024-04";
const TO: &str = "2024-06";
const OUT: &str = "utdata/2024-04_2024-06";
/// The workbook the old outputs were made without.
const JUNE: &str = "inkorg/kramfors/Redovisning Kramfors 2024-06.xlsx";

/// Every file under a folder, by relative path.
type Tree = BTreeMap<String, Vec<u8>>;

fn bin(faults: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_redovisa"));
    c.env_remove("REDOVISA_FAILPOINTS");
    if let Some(spec) = faults {
        c.env("REDOVISA_FAILPOINTS", spec);
    }
    c
}

fn submit(p: &Path, faults: Option<&str>) -> Output {
    bin(faults).arg("submit").arg(p).args(["--from", FROM, "--to", TO, "--today", TODAY]).output().unwrap()
}

fn run(p: &Path, faults: Option<&str>) -> Output {
    bin(faults).arg("run").arg(p).args(["--from", FROM, "--to", TO, "--today", TODAY]).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tree(dir: &Path) -> Tree {
    let mut out = Tree::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The project every trial starts from, made once: the demo inbox to 2024-06, claim 1
/// (2024-01 – 2024-03) submitted, and the outputs of 2024-04 – 2024-06 as a run made them before
/// Kramfors' June came in (the old set). The new set is what the full inbox gives.
struct Base {
    _dir: tempfile::TempDir,
    project: PathBuf,
    old: Tree,
    new: Tree,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("base");
        demo::write(&project, &DemoOptions { to: TO.parse().unwrap(), seed: 23, copies: 1 }).unwrap();
        let o = bin(None)
            .arg("submit")
            .arg(&project)
            .args(["--from", "2024-01", "--to", "2024-03", "--today", TODAY])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let reference = dir.path().join("ny");
        copy_dir(&project, &reference);
        assert!(run(&reference, None).status.code().is_some_and(|c| c <= 1));
        let new = tree(&reference.join(OUT));
        let june = std::fs::read(project.join(JUNE)).unwrap();
        std::fs::remove_file(project.join(JUNE)).unwrap();
        assert!(run(&project, None).status.code().is_some_and(|c| c <= 1));
        std::fs::write(project.join(JUNE), june).unwrap();
        let old = tree(&project.join(OUT));
        assert_ne!(old, new, "the two sets differ");
        assert!(old.len() > 20, "{}", old.len());
        Base { _dir: dir, project, old, new }
    })
}

/// A fresh copy of the base project.
fn trial() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    copy_dir(&base().project, &p);
    (dir, p)
}

/// Temporary files and leftovers of redovisa in the project folder and its output folder
/// (recursively), the lock file aside.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let inbox = dir.join("inkorg");
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(".redovisa-") && name != ".redovisa.lock" {
                found.push(e.path().display().to_string());
            } else if e.path().is_dir() && e.path() != inbox {
                stack.push(e.path());
            }
        }
    }
    found
}

/// What the ledger became: `false` unchanged, `true` the whole claim 2 appended. Anything else
/// fails the test.
fn ledger_outcome(p: &Path, before: &[u8], what: &str) -> bool {
    let after = std::fs::read(p.join(LEDGER_FILE)).unwrap();
    let ledger = Ledger::load(p).unwrap_or_else(|e| panic!("{what}: the ledger does not load: {e}"));
    if after == before {
        assert_eq!(ledger.claims.len(), 1, "{what}");
        return false;
    }
    let tail = after.strip_prefix(before).unwrap_or_else(|| panic!("{what}: the old lines changed"));
    assert!(tail.ends_with(b"\n") && tail.iter().filter(|b| **b == b'\n').count() == 1, "{what}: not one whole line");
    let claim: Claim = serde_json::from_slice(&tail[..tail.len() - 1]).unwrap();
    assert_eq!((claim.seq, claim.from.to_string(), claim.to.to_string()), (2, FROM.into(), TO.into()), "{what}");
    assert_eq!(ledger.claims.len(), 2, "{what}");
    true
}

/// After a failed or killed submit: the next commands succeed and end with claim 2 recorded
/// once, anchored, and nothing left behind.
fn next_commands_after_submit(p: &Path, appended: bool, what: &str) {
    let o = run(p, None);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{what}: the next run failed: {}", stderr(&o));
    let o = submit(p, None);
    if appended {
        assert_eq!(o.status.code(), Some(2), "{what}: the claim was submitted twice");
        assert!(stderr(&o).contains("måste börja 2024-07"), "{what}: {}", stderr(&o));
    } else {
        assert!(o.status.success(), "{what}: the next submit failed: {}", stderr(&o));
    }
    let project = Project::load(p).unwrap();
    let ledger = Ledger::open(&project).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(ledger.claims.len(), 2, "{what}");
    let receipt = p.join("utdata/2024-04_2024-06/inskickad-ansokan.json");
    assert!(receipt.is_file(), "{what}: claim 2 has no receipt");
    assert!(leftovers(p).is_empty(), "{what}: left behind {:?}", leftovers(p));
}

/// The points `submit` passes, in order: the head announces the claim, the ledger is
/// replaced, the receipt and the head are written.
const SUBMIT_POINTS: [&str; 11] = [
    "anchor.announce.write",
    "anchor.announce.rename",
    "ledger.create",
    "ledger.write",
    "ledger.sync",
    "ledger.rename",
    "ledger.renamed",
    "anchor.receipt.write",
    "anchor.receipt.rename",
    "anchor.head.write",
    "anchor.head.rename",
];

#[test]
fn a_kill_at_any_write_or_rename_of_submit_leaves_the_ledger_whole() {
    let before = std::fs::read(base().project.join(LEDGER_FILE)).unwrap();
    let mut appended = Vec::new();
    for point in SUBMIT_POINTS {
        let (_dir, p) = trial();
        let o = submit(&p, Some(&format!("{point}=return(kill)")));
        assert_eq!(o.status.signal(), Some(9), "{point} was not reached: {:?} {}", o.status, stderr(&o));
        let whole = ledger_outcome(&p, &before, point);
        if whole {
            appended.push(point);
        }
        next_commands_after_submit(&p, whole, point);
    }
    // The claim is recorded exactly when the rename was done.
    assert_eq!(appended, SUBMIT_POINTS[6..].to_vec());
}

#[test]
fn a_full_disk_at_any_write_of_submit_leaves_the_ledger_unchanged() {
    let before = std::fs::read(base().project.join(LEDGER_FILE)).unwrap();
    for point in ["anchor.announce.write", "ledger.write", "ledger.sync"] {
        let (_dir, p) = trial();
        let o = submit(&p, Some(&format!("{point}=return(enospc)")));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{point}: {err}");
        assert!(err.contains("kan inte skriva") && !err.contains("kan inte läsa"), "{point}: {err}");
        assert!(err.contains("No space left on device") && err.contains("inget har registrerats"), "{point}: {err}");
        assert!(!ledger_outcome(&p, &before, point), "{point}: the ledger changed");
        next_commands_after_submit(&p, false, point);
    }
    // After the ledger is replaced, the claim is recorded; an anchor that cannot be written
    // then is completed by the next command.
    for point in ["anchor.receipt.write", "anchor.head.write"] {
        let (_dir, p) = trial();
        let o = submit(&p, Some(&format!("{point}=return(enospc)")));
        assert!(o.status.success(), "{point}: {}", stderr(&o));
        assert!(ledger_outcome(&p, &before, point));
        next_commands_after_submit(&p, true, point);
    }
}

/// Whether the output folder is the old set or the new one, never a mix, with no temporary
/// file in it (the receipt of a claim submitted meanwhile aside). Returns `true` for the new
/// set.
fn output_outcome(p: &Path, what: &str) -> bool {
    let mut found = tree(&p.join(OUT));
    found.remove("inskickad-ansokan.json");
    let temps: Vec<&String> = found.keys().filter(|k| k.contains(".redovisa-")).collect();
    assert!(temps.is_empty(), "{what}: temporary files in the output folder: {temps:?}");
    if found == base().new {
        return true;
    }
    let differ = |set: &Tree| -> Vec<String> {
        let mut keys: Vec<String> =
            set.keys().chain(found.keys()).filter(|k| set.get(*k) != found.get(*k)).cloned().collect();
        keys.dedup();
        keys
    };
    assert!(
        found == base().old,
        "{what}: the output folder is neither the old set (differs in {:?}) nor the new one (differs in {:?})",
        differ(&base().old),
        differ(&base().new)
    );
    false
}

/// After a failed or killed run: the next run succeeds, writes the new set, and leaves
/// nothing beside it.
fn next_run(p: &Path, what: &str) {
    let o = run(p, None);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{what}: the next run failed: {}", stderr(&o));
    assert!(output_outcome(p, what), "{what}: the next run did not write the new set");
    assert!(leftovers(p).is_empty(), "{what}: left behind {:?}", leftovers(p));
}

/// Where no thread can be started to sync a file (`emit.thread` failing, as under a limit on
/// processes), the run syncs each file itself and writes the new set, exit 0 or 1, never a panic.
#[test]
fn a_run_that_cannot_start_threads_syncs_each_file_itself() {
    let (_dir, p) = trial();
    let o = run(&p, Some("emit.thread=return(einval)"));
    assert!(o.status.code().is_some_and(|c| c <= 1), "no threads: {}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "no threads: {}", stderr(&o));
    assert!(output_outcome(&p, "no threads"), "no threads: the run did not write the new set");
    assert!(leftovers(&p).is_empty(), "no threads: left behind {:?}", leftovers(&p));
}

/// The points `run` passes while it writes and swaps its folder. Where the file system has no
/// atomic exchange (`emit.exchange` failing with EINVAL), the old folder is set aside and the new
/// one renamed in, the points after `emit.aside`.
const RUN_POINTS: [(&str, &str, bool); 9] = [
    ("the first file half written", "emit.write=return(kill)", false),
    ("the tenth file half written", "emit.write=9*off->return(kill)", false),
    ("every file written, not synced", "emit.sync=return(kill)", false),
    ("before the exchange", "emit.exchange=return(kill)", false),
    ("after the exchange", "emit.exchanged=return(kill)", true),
    ("before setting the old folder aside", "emit.exchange=return(einval);emit.aside=return(kill)", false),
    ("between the two renames", "emit.exchange=return(einval);emit.between=return(kill)", false),
    ("after the two renames", "emit.exchange=return(einval);emit.replaced=return(kill)", true),
    ("the full inbox with no exchange", "emit.exchange=return(einval)", true),
];

#[test]
fn a_kill_at_any_rename_of_run_leaves_the_old_folder_or_the_new_one() {
    for (what, spec, new) in RUN_POINTS {
        let (_dir, p) = trial();
        let o = run(&p, Some(spec));
        if spec.ends_with("kill)") {
            assert_eq!(o.status.signal(), Some(9), "{what}: not reached: {:?} {}", o.status, stderr(&o));
        } else {
            assert!(o.status.code().is_some_and(|c| c <= 1), "{what}: {}", stderr(&o));
        }
        // A kill between the two renames leaves no folder at the target for a moment; the
        // next run puts the old one back before anything else, so it is checked after that.
        if what != "between the two renames" {
            assert_eq!(output_outcome(&p, what), new, "{what}");
        } else {
            assert!(!p.join(OUT).exists(), "{what}");
        }
        next_run(&p, what);
    }
    // A first run (no old folder) killed just before its rename leaves no folder at all.
    let (_dir, p) = trial();
    std::fs::remove_dir_all(p.join(OUT)).unwrap();
    let o = run(&p, Some("emit.rename=return(kill)"));
    assert_eq!(o.status.signal(), Some(9), "{}", stderr(&o));
    assert!(!p.join(OUT).exists());
    next_run(&p, "the first run, before its rename");
}

#[test]
fn a_full_disk_during_run_leaves_the_old_folder() {
    for spec in ["emit.write=return(enospc)", "emit.write=12*off->return(enospc)", "emit.sync=return(enospc)"] {
        let (_dir, p) = trial();
        let o = run(&p, Some(spec));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{spec}: {err}");
        assert!(err.contains("kan inte skriva") && err.contains("No space left on device"), "{spec}: {err}");
        assert!(!output_outcome(&p, spec), "{spec}");
        next_run(&p, spec);
    }
}

/// A tmpfs of `size` mounted at a fresh folder for the life of the value; `None` where the
/// test may not mount one (not root, or a sandbox that forbids it).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    /// Fills the file system but for about `free` bytes.
    fn fill(&self, free: u64) -> PathBuf {
        let filler = self.dir.path().join("fyllnad");
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=64k"])
            .arg(format!("of={}", filler.display()))
            .stderr(std::process::Stdio::null())
            .status();
        let len = std::fs::metadata(&filler).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&filler).unwrap().set_len(len.saturating_sub(free)).unwrap();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// A real full disk: the project on a small tmpfs with a few kilobytes free, at several sizes so
/// that each write of `submit` and `run` is the one that fails on some of them.
#[test]
fn a_real_full_disk_never_damages_the_ledger_or_the_outputs() {
    let before = std::fs::read(base().project.join(LEDGER_FILE)).unwrap();
    for free_kb in [0u64, 4, 16, 48, 96, 160, 1024] {
        let Some(fs) = Tmpfs::mount("48m") else {
            eprintln!("no tmpfs can be mounted here: the full disk is covered by the ENOSPC failpoints only");
            return;
        };
        let p = fs.dir.path().join("p");
        copy_dir(&base().project, &p);
        let filler = fs.fill(free_kb * 1024);
        let what = format!("submit with {free_kb} kB free");
        let o = submit(&p, None);
        if !o.status.success() {
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{what}: {err}");
            assert!(err.contains("kan inte skriva") && !err.contains("kan inte läsa"), "{what}: {err}");
        }
        let appended = ledger_outcome(&p, &before, &what);
        assert_eq!(appended, o.status.success(), "{what}");
        let what = format!("run with {free_kb} kB free");
        let o = run(&p, None);
        if o.status.code() == Some(2) {
            assert!(stderr(&o).contains("kan inte skriva"), "{what}: {}", stderr(&o));
        }
        output_outcome(&p, &what);
        std::fs::remove_file(filler).unwrap();
        next_commands_after_submit(&p, appended, &what);
        next_run(&p, &what);
    }
}
