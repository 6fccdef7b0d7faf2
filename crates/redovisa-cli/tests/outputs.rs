//! Outputs are never lost or half-written, and the same inputs give the same bytes.
//!
//! - A run killed at many points leaves every previous output whole: each file is byte for
//!   byte either the previous run's or the new run's, never a mix or a truncation.
//! - Two runs over the same inbox, written in a different order into different folders, with a
//!   different thread count and a different "today", give byte-identical outputs.
//! - A second run while one is in progress is refused with a clear message (exit 2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use assert_cmd::cargo::CommandCargoExt;
use redovisa_demo::{self as demo, DemoOptions};

fn bin() -> Command {
    Command::cargo_bin("redovisa").unwrap()
}

/// The demo project from 2024-01 to 2024-06 with the given seed.
fn demo_project(seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-06".parse().unwrap(), seed, copies: 1 }).unwrap();
    dir
}

fn run_args(project: &Path, out: &Path) -> Vec<String> {
    ["run", &project.display().to_string(), "--from", "2024-01", "--to", "2024-06", "--out", &out.display().to_string()]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every file under `dir` (relative path → bytes).
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn run_to_end(project: &Path, out: &Path, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let status = bin().args(run_args(project, out)).args(extra).stderr(Stdio::null()).status().unwrap();
    assert_eq!(status.code(), Some(0), "the demo project runs clean");
    outputs(out)
}

#[test]
fn a_killed_run_leaves_the_previous_outputs_whole() {
    let old_project = demo_project(1);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("ut");
    let old = run_to_end(old_project.path(), &out, &[]);
    assert!(old.keys().any(|k| k.ends_with(".xlsx")) && old.keys().any(|k| k.ends_with(".docx")), "{:?}", old.keys());
    assert!(old.contains_key("summary.json"));

    // New inputs: Härnösand's June gone, so that the claim, the reports, the status, its receipt
    // and its time report differ, while every file keeps its name (another seed would name other
    // people, and so other certificates among the attachments).
    let new_project = demo_project(1);
    let project = redovisa::project::Project::load(new_project.path()).unwrap();
    let plan = demo::plan(&project, &DemoOptions { to: "2024-06".parse().unwrap(), seed: 1, copies: 1 });
    let harnosand = plan.orgs.iter().find(|o| o.folder == "harnosand").unwrap();
    let june = harnosand.workbooks.iter().find(|w| w.month.to_string() == "2024-06").unwrap();
    std::fs::remove_file(project.inbox().join("harnosand").join(&june.file_name)).unwrap();
    let new = run_to_end(new_project.path(), &work.path().join("facit"), &[]);
    assert_eq!(old.keys().collect::<Vec<_>>(), new.keys().collect::<Vec<_>>());
    assert!(old.iter().filter(|(k, v)| new[*k] != **v).count() >= 3, "the new run writes different outputs");

    // How long a complete run takes, to spread the kills over it.
    let start = Instant::now();
    run_to_end(new_project.path(), &work.path().join("timing"), &[]);
    let span = start.elapsed();

    let kills = 24;
    let mut states = BTreeMap::<&str, usize>::new();
    for i in 0..kills {
        // Even points across the run, with a little jitter so they do not line up with stages.
        let jitter = (i * 7919 % 13) as f64 / 13.0;
        let delay = span.mul_f64((i as f64 + jitter) / kills as f64);
        let mut child =
            bin().args(run_args(new_project.path(), &out)).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = outputs(&out);
        for (name, old_bytes) in &old {
            let bytes = now.get(name).unwrap_or_else(|| panic!("kill {i} after {delay:?}: {name} is gone"));
            let which = if bytes == old_bytes {
                "old"
            } else if *bytes == new[name] {
                "new"
            } else {
                panic!(
                    "kill {i} after {delay:?}: {name} is neither the previous nor the new output ({} bytes)",
                    bytes.len()
                )
            };
            *states.entry(which).or_default() += 1;
        }
        for name in now.keys().filter(|n| !old.contains_key(*n)) {
            let file = Path::new(name).file_name().unwrap().to_string_lossy().into_owned();
            assert!(file.starts_with(".redovisa-") && file.ends_with(".tmp"), "unexpected file {name}");
        }
        // Put the old outputs back so every kill starts from the previous run's state.
        for (name, bytes) in &old {
            std::fs::write(out.join(name), bytes).unwrap();
        }
    }
    eprintln!("after {kills} kills over {span:?}: {states:?}");
    // The kills landed both before and after outputs were replaced.
    assert!(states.get("old").copied().unwrap_or(0) > 0);
    // A run that is allowed to finish replaces everything and removes the killed runs'
    // temporary files.
    let done = run_to_end(new_project.path(), &out, &[]);
    assert_eq!(done.keys().collect::<Vec<_>>(), new.keys().collect::<Vec<_>>());
    for (name, bytes) in &new {
        assert_eq!(&done[name], bytes, "{name}");
    }
}

/// Copies `from` into `to` file by file, in the given order of the sorted file list.
fn copy_tree(from: &Path, to: &Path, reverse: bool) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![from.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { stack.push(p) } else { files.push(p) }
        }
    }
    files.sort();
    if reverse {
        files.reverse();
    }
    for f in files {
        let target = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&f, &target).unwrap();
    }
}

#[test]
fn same_inputs_give_the_same_bytes_whatever_the_order_threads_and_clock() {
    let source = demo_project(3);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    copy_tree(source.path(), a.path(), false);
    copy_tree(source.path(), b.path(), true);
    let work = tempfile::tempdir().unwrap();
    let one = run_to_end(a.path(), &work.path().join("a"), &["--threads", "1", "--today", "2026-11-26"]);
    let two = run_to_end(b.path(), &work.path().join("b"), &["--threads", "2", "--today", "2031-02-03"]);
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (name, bytes) in &one {
        assert!(two[name] == *bytes, "{name} differs between the runs");
    }
    assert!(one.len() >= 14, "{:?}", one.keys());
}

#[test]
fn a_second_run_at_the_same_time_is_refused() {
    let project = demo_project(4);
    let lock = redovisa::emit::atomic::RunLock::acquire(project.path()).unwrap();
    let out = bin().args(run_args(project.path(), &project.path().join("ut"))).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pågår redan"), "{stderr}");
    assert!(!project.path().join("ut").exists(), "nothing written");
    drop(lock);
    assert_eq!(bin().args(run_args(project.path(), &project.path().join("ut"))).status().unwrap().code(), Some(0));
}
