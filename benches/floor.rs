//! The read-only floor: the least work any calamine-based reader of an inbox must do.
//!
//! Lists every `.xlsx` under an inbox folder (as `redovisa run` does, lock files `~$*` and hidden
//! files skipped), then, in parallel with rayon on the same number of threads as `redovisa`,
//! reads each file's bytes, opens it with calamine, and streams every cell of every worksheet
//! through calamine's cell reader. Nothing is validated, converted, reconciled or written: the
//! time this takes is the floor that `redovisa run` is measured against in `BENCHMARKS.md`.
//!
//! Run by `benches/run.sh` as a process, timed like `redovisa` (same files, same threads, release
//! build): `floor <inbox> [--threads N]`. Under `cargo bench` (no inbox given) it reads the
//! cached project workload of `benches/run.sh` when there is one, once, and prints its time.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use calamine::{DataRef, Reader, Xlsx};
use rayon::prelude::*;

/// What one workbook held: sheets, non-empty cells, and bytes of cell text.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    files: usize,
    failed: usize,
    sheets: usize,
    cells: usize,
    text_bytes: usize,
}

impl Tally {
    fn add(self, o: Tally) -> Tally {
        Tally {
            files: self.files + o.files,
            failed: self.failed + o.failed,
            sheets: self.sheets + o.sheets,
            cells: self.cells + o.cells,
            text_bytes: self.text_bytes + o.text_bytes,
        }
    }
}

/// Every workbook under `dir`, sorted, as the intake lists them.
fn workbooks(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            workbooks(&path, out)?;
        } else if name.to_lowercase().ends_with(".xlsx") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads every cell of every worksheet of one workbook.
fn read_one(path: &Path) -> Tally {
    let mut t = Tally { files: 1, ..Tally::default() };
    let Ok(bytes) = std::fs::read(path) else {
        t.failed = 1;
        return t;
    };
    let Ok(mut xlsx) = Xlsx::new(Cursor::new(bytes.as_slice())) else {
        t.failed = 1;
        return t;
    };
    for name in xlsx.sheet_names() {
        let Ok(mut reader) = xlsx.worksheet_cells_reader(&name) else { continue };
        t.sheets += 1;
        while let Ok(Some(cell)) = reader.next_cell() {
            // Touch every value as a reader must: text is measured, numbers are read.
            match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => t.text_bytes += s.len(),
                DataRef::SharedString(s) => t.text_bytes += s.len(),
                _ => {}
            }
            t.cells += 1;
        }
    }
    t
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut inbox: Option<PathBuf> = None;
    let mut threads: Option<usize> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()),
            // Passed by `cargo bench` to every bench target.
            "--bench" => {}
            _ if a.starts_with('-') => {}
            _ => inbox = Some(PathBuf::from(a)),
        }
    }
    let inbox = match inbox {
        Some(dir) => dir,
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
            let dir = target.join("bench/project/inkorg");
            if !dir.is_dir() {
                eprintln!("floor: no workload at {} (run `just bench` first); skipped", dir.display());
                return;
            }
            dir
        }
    };
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global().expect("thread pool");
    }
    let start = Instant::now();
    let mut files = Vec::new();
    if let Err(e) = workbooks(&inbox, &mut files) {
        eprintln!("floor: cannot list {}: {e}", inbox.display());
        std::process::exit(2);
    }
    files.sort();
    let total = files.par_iter().map(|p| read_one(p)).reduce(Tally::default, Tally::add);
    println!(
        "floor: {} workbooks ({} unreadable), {} sheets, {} cells, {} bytes of text in {:.1} ms on {} threads",
        total.files,
        total.failed,
        total.sheets,
        total.cells,
        total.text_bytes,
        start.elapsed().as_secs_f64() * 1e3,
        rayon::current_num_threads()
    );
}
