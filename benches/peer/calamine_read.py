"""Peer for the benchmarks: a read-only pass over an inbox with python-calamine, the fastest
xlsx reader Python has (calamine's Rust parser behind a Python binding).

Not part of redovisa. `benches/run.sh` times it against `redovisa run` on the same inbox. It
opens every workbook (lock files `~$*` and hidden files skipped) and converts every sheet's cells
to Python values; it validates, computes and writes nothing. With `--jobs N` the files are
spread over N worker processes (Python threads would share one interpreter lock).

    python calamine_read.py <inbox> [--jobs N]
"""

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from python_calamine import CalamineWorkbook


def read(path):
    """Every cell of every sheet of one workbook; returns (sheets, non-empty cells)."""
    book = CalamineWorkbook.from_path(path)
    sheets = cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        sheets += 1
        cells += sum(1 for row in rows for value in row if value != "")
    return sheets, cells


def workbooks(inbox):
    for folder, _, files in sorted(os.walk(inbox)):
        for f in sorted(files):
            if f.lower().endswith(".xlsx") and not f.startswith(("~$", ".")):
                yield os.path.join(folder, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inbox")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    paths = list(workbooks(args.inbox))
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(read, paths, chunksize=16))
    else:
        results = [read(p) for p in paths]
    print(f"{len(paths)} workbooks, {sum(s for s, _ in results)} sheets, {sum(c for _, c in results)} cells")


if __name__ == "__main__":
    sys.exit(main())
