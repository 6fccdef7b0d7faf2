//! Micro benchmarks of the pipeline's parts, on the seed project's demo inbox.
//!
//! `cargo bench --bench micro` times, each as the median of repeated runs after a warm-up:
//! the guard alone and the whole read of one workbook (the largest of the inbox), hashing it,
//! the read stage over the whole inbox (parallel, as `run` does), select + reconcile over it,
//! and each renderer (claim workbook, progress report, its first chart, summary.json, receipts).
//! It needs no other crate: a plain `harness = false` loop with `std::time::Instant`, so that it
//! builds in seconds on top of the product.
//!
//! `cargo bench --bench micro -- claim` runs only the cases whose name holds `claim`; with
//! `MICRO_RUNS=N` every case runs exactly N times (for instruction counts under callgrind).
//!
//! The workload is `benches/run.sh`'s cached project (`$CARGO_TARGET_DIR/bench/project`) when it
//! exists, else a fresh demo inbox (11 organisations × 40 months) in a temporary folder.

use std::cell::OnceCell;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use redovisa::emit::{charts, claim, receipt, report, summary};
use redovisa::ledger::Ledger;
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::read::{self, Limits};
use redovisa_demo::{self as demo, DemoOptions};

/// The cases to run: those whose name contains the command line's filter, or all.
static FILTER: OnceLock<Option<String>> = OnceLock::new();

fn wanted(name: &str) -> bool {
    FILTER.get().and_then(Option::as_deref).is_none_or(|f| name.contains(f))
}

/// Times `f` until `budget` is spent (at least `min_runs` runs, after one warm-up run) and prints
/// the median and the fastest run.
fn bench<T>(name: &str, min_runs: usize, budget: Duration, mut f: impl FnMut() -> T) {
    if !wanted(name) {
        return;
    }
    black_box(f());
    // A fixed number of runs (for instruction counts under callgrind) instead of a time budget.
    let fixed: Option<usize> = std::env::var("MICRO_RUNS").ok().and_then(|n| n.parse().ok());
    let mut times = Vec::new();
    let start = Instant::now();
    while match fixed {
        Some(n) => times.len() < n,
        None => times.len() < min_runs || (start.elapsed() < budget && times.len() < 10_000),
    } {
        let t = Instant::now();
        black_box(f());
        times.push(t.elapsed());
    }
    if times.is_empty() {
        return;
    }
    times.sort();
    let median = times[times.len() / 2];
    println!("{name:<44} median {:>10}   min {:>10}   ({} runs)", show(median), show(times[0]), times.len());
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 10_000.0 { format!("{:.1} ms", us / 1e3) } else { format!("{us:.1} µs") }
}

/// The project folder to measure on: the bench script's cache, or a fresh demo.
fn workload() -> (PathBuf, Option<tempfile::TempDir>) {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let cached = target.join("bench/project");
    if cached.join("inkorg").is_dir() {
        return (cached, None);
    }
    let tmp = tempfile::tempdir().expect("temporary folder");
    let to = Month::new(2027, 4).expect("month");
    demo::write(tmp.path(), &DemoOptions { to, ..DemoOptions::default() }).expect("demo inbox");
    (tmp.path().to_path_buf(), Some(tmp))
}

/// The largest workbook under `dir`.
fn largest(dir: &Path) -> PathBuf {
    let mut best: Option<(u64, PathBuf)> = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("inbox").flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".xlsx") && !name.starts_with("~$") {
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                if best.as_ref().is_none_or(|(s, _)| size > *s) {
                    best = Some((size, p));
                }
            }
        }
    }
    best.expect("a workbook").1
}

fn main() {
    // `cargo bench` passes `--bench`; a further argument runs only the cases whose name holds it.
    let _ = FILTER.set(std::env::args().skip(1).find(|a| !a.starts_with('-')));
    let (dir, _keep) = workload();
    let project = Project::load(&dir).expect("project");
    let limits = Limits::default();
    let file = largest(&project.inbox());
    let bytes = std::fs::read(&file).expect("workbook");
    println!("workload: {} (largest workbook {} bytes)", dir.display(), bytes.len());
    let quick = Duration::from_millis(700);
    let slow = Duration::from_secs(3);

    bench("read: guard::check, one workbook", 20, quick, || read::guard::check(&bytes, &limits));
    bench("read: read_workbook, one workbook", 20, quick, || read::read_workbook(&bytes, "bench.xlsx", &limits));
    bench("read: sha256 of one workbook (file)", 20, quick, || pipeline::sha256_file(&file));

    let from = Month::new(2024, 1).expect("month");
    let to = Month::new(2027, 4).expect("month");
    let today = chrono::NaiveDate::from_ymd_opt(2027, 5, 15).expect("date");
    let opts = Options { from: Some(from), to: Some(to), ..Options::claim(today) };
    let ledger = Ledger::load(&dir).expect("ledger");
    // Built on first use, so that a filtered run only pays for what its cases need.
    let examined = OnceCell::new();
    let examined = || examined.get_or_init(|| pipeline::examine_inbox(&project, &opts).expect("inbox"));
    let figures = OnceCell::new();
    let figures = || figures.get_or_init(|| pipeline::assess(&project, &opts, &ledger, examined()).expect("figures"));
    let texts = OnceCell::new();
    let texts = || texts.get_or_init(|| report::Texts::load(&dir).expect("report texts"));

    bench("stage: examine_inbox (intake + read, parallel)", 5, slow, || {
        pipeline::examine_inbox(&project, &opts).expect("inbox")
    });
    bench("stage: assess (select + reconcile)", 5, slow, || {
        pipeline::assess(&project, &opts, &ledger, examined()).expect("figures")
    });
    bench("emit: claim workbook (xlsx)", 5, slow, || claim::render(figures()).expect("claim"));
    bench("emit: progress report (docx, with charts)", 5, slow, || {
        report::progress(figures(), texts()).expect("report")
    });
    bench("emit: chart cumulative_cost (png)", 5, quick, || charts::cumulative_cost(figures()).paint().expect("chart"));
    bench("emit: chart cost_per_org (png)", 5, quick, || charts::cost_per_org(figures()).paint().expect("chart"));
    bench("emit: chart cost_per_work_package (png)", 5, quick, || {
        charts::cost_per_work_package(figures(), true).paint().expect("chart")
    });
    bench("emit: summary.json", 5, quick, || summary::render(figures()));
    bench("emit: receipts (all organisations)", 5, quick, || {
        let f = figures();
        f.orgs.iter().map(|o| receipt::render(f, &o.folder).len()).sum::<usize>()
    });
    let out = tempfile::tempdir().expect("temporary folder");
    bench("emit: write_run (all outputs rendered and written)", 5, slow, || {
        redovisa::emit::write_run(&project, figures(), out.path()).expect("outputs")
    });
    if wanted("emit: sizes") {
        let f = figures();
        println!(
            "emit: sizes: claim {} bytes, progress report {} bytes, charts {} + {} + {} bytes",
            claim::render(f).expect("claim").len(),
            report::progress(f, texts()).expect("report").len(),
            charts::cumulative_cost(f).paint().expect("chart").png.len(),
            charts::cost_per_org(f).paint().expect("chart").png.len(),
            charts::cost_per_work_package(f, true).paint().expect("chart").png.len(),
        );
    }
}
