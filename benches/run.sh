#!/usr/bin/env bash
# Benchmarks of redovisa against the read-only floor and two Python peers (`just bench`).
#
# Generates the workloads with `redovisa demo` (cached under $CARGO_TARGET_DIR/bench, regenerated
# when the generator's sources change), then measures on this machine, in this run:
#   floor        benches/floor.rs: every cell of every workbook read with calamine, rayon, 2 threads
#   redovisa     `redovisa run` over the whole period, outputs included, 2 threads
#   calamine-py  benches/peer/calamine_read.py: read-only pass with python-calamine (1 and 2 processes)
#   pandas       benches/peer/pandas_openpyxl.py: staff costs per organisation with pandas + openpyxl
# on three workloads:
#   project      the seed project, 11 organisations × 40 months (2024-01 – 2027-04)
#   programme    ten copies of it in one inbox (110 organisations); twenty copies for peak memory
#                only, to see that it does not grow with the inbox
#   month        the monthly batch: 2026-10 only, over the whole project inbox and over an inbox
#                holding only that month's workbooks
# Times are hyperfine's median of RUNS runs (default 7, at least 5) after a warm-up; peak resident
# memory is the median of 5 runs of GNU time's "Maximum resident set size". Results go to
# $CARGO_TARGET_DIR/bench/results.md (and .json) and are printed at the end.
#
#   benches/run.sh [--runs N] [--no-peers] [--pandas-programme]
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
PEERS=1
PANDAS_PROGRAMME=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --no-peers) PEERS=0 ;;
    --pandas-programme) PANDAS_PROGRAMME=1 ;;
    *) echo "usage: benches/run.sh [--runs N] [--no-peers] [--pandas-programme]" >&2; exit 2 ;;
  esac
  shift
done
[ "$RUNS" -ge 5 ] || { echo "--runs must be at least 5" >&2; exit 2; }

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
TARGET=$(cd "$(dirname "$CARGO_TARGET_DIR")" && pwd)/$(basename "$CARGO_TARGET_DIR")
BENCH=$TARGET/bench
RESULTS=$BENCH/results
THREADS=2
mkdir -p "$BENCH" "$RESULTS"

need() { command -v "$1" >/dev/null || { echo "benches/run.sh: $1 is missing ($2)" >&2; exit 2; }; }
need hyperfine "apt-get install hyperfine"
need python3 "Python 3.11 or later"
[ -x /usr/bin/time ] || { echo "benches/run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

echo "== build (release)"
FLOOR=$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "floor" and m.get("executable"):
        print(m["executable"])')
[ -x "$FLOOR" ] || { echo "benches/run.sh: could not build benches/floor.rs" >&2; exit 2; }
# The binary as shipped: `cargo build --release`, built after the bench targets and copied away.
# (`cargo bench` and `cargo test` build it again with the dev-dependencies' features unified,
# a different binary.)
cargo build --release --quiet
mkdir -p "$BENCH/bin"
cp "$TARGET/release/redovisa" "$BENCH/bin/redovisa"
REDOVISA=$BENCH/bin/redovisa

# The generator's fingerprint: its sources, the seed project, and the options of each workload.
fingerprint() {
  cat crates/redovisa-demo/src/*.rs fixtures/hallbar-samhallsomstallning/project.toml | sha256sum | cut -c1-16
}
FP=$(fingerprint)

# workload NAME ARGS...: `redovisa demo` into $BENCH/NAME unless it is there for this generator.
workload() {
  local name=$1; shift
  local dir=$BENCH/$name
  local want="$FP $*"
  if [ "$(cat "$dir/.fingerprint" 2>/dev/null)" != "$want" ]; then
    echo "== generate $name ($*)"
    rm -rf "$dir"
    "$REDOVISA" demo "$dir" "$@" 2>&1 | tail -1
    echo "$want" >"$dir/.fingerprint"
  fi
}
workload project --to 2027-04
workload programme --to 2027-04 --copies 10
workload programme20 --to 2027-04 --copies 20

# The one-month inbox: the project's 2026-10 workbooks, as redovisa itself dates them.
MONTH=$BENCH/month
if [ "$(cat "$MONTH/.fingerprint" 2>/dev/null)" != "$FP month" ]; then
  echo "== generate month (the 2026-10 workbooks of project)"
  rm -rf "$MONTH"
  mkdir -p "$MONTH/inkorg"
  cp "$BENCH/project/project.toml" "$MONTH/"
  "$REDOVISA" run "$BENCH/project" --from 2024-01 --to 2027-04 --out "$BENCH/tmp-month" --json 2>/dev/null |
    python3 -c 'import json,sys,shutil,os
src, dst = sys.argv[1], sys.argv[2]
for f in json.load(sys.stdin)["files"]:
    if f.get("month") == "2026-10":
        os.makedirs(os.path.join(dst, os.path.dirname(f["path"])), exist_ok=True)
        shutil.copy2(os.path.join(src, f["path"]), os.path.join(dst, f["path"]))' \
      "$BENCH/project/inkorg" "$MONTH/inkorg" || true
  rm -rf "$BENCH/tmp-month"
  echo "$FP month" >"$MONTH/.fingerprint"
fi

count() { find "$1" -name '*.xlsx' ! -name '~$*' | wc -l; }
bytes() { find "$1" -name '*.xlsx' ! -name '~$*' -printf '%s\n' | awk '{s+=$1} END {print s}'; }

if [ "$PEERS" = 1 ]; then
  VENV=$BENCH/venv
  if ! "$VENV/bin/python" -c 'import pandas, openpyxl, python_calamine' 2>/dev/null; then
    echo "== install the Python peers into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check pandas openpyxl python-calamine
  fi
  PY=$VENV/bin/python
fi

OUT=$BENCH/out
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# time_cmd ID CMD...: hyperfine median and mean into $RESULTS/ID.json.
time_cmd() {
  local id=$1; shift
  echo "-- $id"
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" -i --prepare "rm -rf $OUT" \
    --export-json "$RESULTS/$id.json" "$*" | grep -E 'Time|Range' || true
}

# rss_cmd ID CMD...: peak resident set size (kB), median of 5 runs, into $RESULTS/ID.rss.
rss_cmd() {
  local id=$1; shift
  local samples=()
  for _ in 1 2 3 4 5; do
    rm -rf "$OUT"
    /usr/bin/time -f '%M' -o "$RESULTS/$id.sample" "$@" >/dev/null 2>&1 || true
    samples+=("$(tail -1 "$RESULTS/$id.sample")")
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 3p >"$RESULTS/$id.rss"
  printf '%s\n' "${samples[@]}" | sort -n | tail -1 >"$RESULTS/$id.rss-max"
}

# A run must work before it is timed: exit 0 (no error findings) or 1 (error findings, outputs
# written); 2 means it could not run at all.
check_run() {
  local status=0
  "$@" >/dev/null 2>"$RESULTS/last-stderr" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "benches/run.sh: this run failed (exit $status): $*" >&2
    cat "$RESULTS/last-stderr" >&2
    exit 2
  fi
}

P=$BENCH/project
G=$BENCH/programme
G20=$BENCH/programme20
RUN=("$REDOVISA" run)
WHOLE=(--from 2024-01 --to 2027-04 --out "$OUT" --threads $THREADS)
ONE=(--from 2026-10 --to 2026-10 --out "$OUT" --threads $THREADS)

echo "== measure ($RUNS runs each; load average before: $LOAD_BEFORE)"
check_run "${RUN[@]}" "$P" "${WHOLE[@]}"
check_run "${RUN[@]}" "$G" "${WHOLE[@]}"
check_run "${RUN[@]}" "$MONTH" "${ONE[@]}"

time_cmd floor.project "$FLOOR" "$P/inkorg" --threads $THREADS
time_cmd redovisa.project "${RUN[@]}" "$P" "${WHOLE[@]}"
time_cmd floor.programme "$FLOOR" "$G/inkorg" --threads $THREADS
time_cmd redovisa.programme "${RUN[@]}" "$G" "${WHOLE[@]}"
time_cmd redovisa.month-whole-inbox "${RUN[@]}" "$P" "${ONE[@]}"
time_cmd redovisa.month-only "${RUN[@]}" "$MONTH" "${ONE[@]}"
time_cmd floor.month-only "$FLOOR" "$MONTH/inkorg" --threads $THREADS
rss_cmd redovisa.project "${RUN[@]}" "$P" "${WHOLE[@]}"
rss_cmd redovisa.programme "${RUN[@]}" "$G" "${WHOLE[@]}"
rss_cmd redovisa.programme20 "${RUN[@]}" "$G20" "${WHOLE[@]}"
rss_cmd redovisa.month-whole-inbox "${RUN[@]}" "$P" "${ONE[@]}"
rss_cmd floor.project "$FLOOR" "$P/inkorg" --threads $THREADS
rss_cmd floor.programme "$FLOOR" "$G/inkorg" --threads $THREADS

if [ "$PEERS" = 1 ]; then
  time_cmd calamine-py.project "$PY" benches/peer/calamine_read.py "$P/inkorg"
  time_cmd calamine-py-2.project "$PY" benches/peer/calamine_read.py "$P/inkorg" --jobs $THREADS
  time_cmd calamine-py.programme "$PY" benches/peer/calamine_read.py "$G/inkorg"
  time_cmd calamine-py-2.programme "$PY" benches/peer/calamine_read.py "$G/inkorg" --jobs $THREADS
  time_cmd pandas.project "$PY" benches/peer/pandas_openpyxl.py "$P" --from 2024-01 --to 2027-04
  time_cmd pandas-2.project "$PY" benches/peer/pandas_openpyxl.py "$P" --from 2024-01 --to 2027-04 --jobs $THREADS
  rss_cmd calamine-py.project "$PY" benches/peer/calamine_read.py "$P/inkorg"
  rss_cmd pandas.project "$PY" benches/peer/pandas_openpyxl.py "$P" --from 2024-01 --to 2027-04
  if [ "$PANDAS_PROGRAMME" = 1 ]; then
    time_cmd pandas.programme "$PY" benches/peer/pandas_openpyxl.py "$G" --from 2024-01 --to 2027-04
  fi
  # The peer must compute what redovisa computes: staff costs plus in-kind value, to the krona.
  "$PY" benches/peer/pandas_openpyxl.py "$P" --from 2024-01 --to 2027-04 | tail -1 | cut -f2 >"$RESULTS/pandas.total"
  "${RUN[@]}" "$P" "${WHOLE[@]}" --json 2>/dev/null |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["totals"]; print(float(t["staff_costs"]) + float(t["in_kind"]))' \
      >"$RESULTS/redovisa.total"
  "$PY" -c 'import importlib.metadata as m; print(" ".join(f"{p} {m.version(p)}" for p in ("pandas","openpyxl","python-calamine")))' \
    >"$RESULTS/peer.versions"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$RESULTS" "$BENCH/results.md" "$LOAD_BEFORE" "$LOAD_AFTER" "$RUNS" \
  "$(count "$P/inkorg") $(bytes "$P/inkorg")" "$(count "$G/inkorg") $(bytes "$G/inkorg")" \
  "$(count "$MONTH/inkorg") $(bytes "$MONTH/inkorg")" <<'EOF'
import json, os, sys, statistics

results, out, load_before, load_after, runs = sys.argv[1:6]
sizes = {k: v.split() for k, v in zip(("project", "programme", "month"), sys.argv[6:9])}

def t(id):
    """Median wall time in seconds, or None."""
    try:
        with open(os.path.join(results, id + ".json")) as f:
            r = json.load(f)["results"][0]
        return r["median"]
    except FileNotFoundError:
        return None

def rss(id, which=".rss"):
    try:
        with open(os.path.join(results, id + which)) as f:
            return int(f.read().strip()) / 1024
    except (FileNotFoundError, ValueError):
        return None

def read(name):
    try:
        with open(os.path.join(results, name)) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None

ms = lambda s: "–" if s is None else f"{s * 1e3:,.1f} ms".replace(",", " ")
mib = lambda m: "–" if m is None else f"{m:.1f} MiB"
ratio = lambda a, b: None if a is None or b is None else a / b
x = lambda r: "–" if r is None else f"{r:.2f}×"
ok = lambda good: "–" if good is None else ("met" if good else "**missed**")

lines = []
w = lines.append
w(f"Load average before/after: {load_before} / {load_after}; {runs} runs each, median.")
for k, (n, b) in sizes.items():
    w(f"- {k}: {n} workbooks, {int(b) / 1e6:.1f} MB")
w("")
w("| measurement | project | programme | month (whole inbox) | month (one-month inbox) |")
w("|---|---|---|---|---|")
w(f"| read-only floor (calamine, rayon) | {ms(t('floor.project'))} | {ms(t('floor.programme'))} | – | {ms(t('floor.month-only'))} |")
w(f"| redovisa run, outputs included | {ms(t('redovisa.project'))} | {ms(t('redovisa.programme'))} | {ms(t('redovisa.month-whole-inbox'))} | {ms(t('redovisa.month-only'))} |")
w(f"| python-calamine read-only, 1 process | {ms(t('calamine-py.project'))} | {ms(t('calamine-py.programme'))} | – | – |")
w(f"| python-calamine read-only, 2 processes | {ms(t('calamine-py-2.project'))} | {ms(t('calamine-py-2.programme'))} | – | – |")
w(f"| pandas + openpyxl, 1 process | {ms(t('pandas.project'))} | {ms(t('pandas.programme'))} | – | – |")
w(f"| pandas + openpyxl, 2 processes | {ms(t('pandas-2.project'))} | – | – | – |")
w(f"| peak RSS redovisa (median of 5) | {mib(rss('redovisa.project'))} | {mib(rss('redovisa.programme'))} | {mib(rss('redovisa.month-whole-inbox'))} | – |")
w(f"| peak RSS redovisa (highest of 5) | {mib(rss('redovisa.project', '.rss-max'))} | {mib(rss('redovisa.programme', '.rss-max'))} | {mib(rss('redovisa.month-whole-inbox', '.rss-max'))} | – |")
w(f"| peak RSS redovisa, programme × 20 (median / highest of 5) | – | {mib(rss('redovisa.programme20'))} / {mib(rss('redovisa.programme20', '.rss-max'))} | – | – |")
w(f"| peak RSS floor | {mib(rss('floor.project'))} | {mib(rss('floor.programme'))} | – | – |")
w(f"| peak RSS python-calamine / pandas | {mib(rss('calamine-py.project'))} / {mib(rss('pandas.project'))} | – | – | – |")
w("")
r_floor = ratio(t("redovisa.project"), t("floor.project"))
r_floor_prog = ratio(t("redovisa.programme"), t("floor.programme"))
r_pandas = ratio(t("pandas.project"), t("redovisa.project"))
r_cal = ratio(t("calamine-py.project"), t("redovisa.project"))
r_cal2 = ratio(t("calamine-py-2.project"), t("redovisa.project"))
r_grow = ratio(t("redovisa.programme"), t("redovisa.project"))
r_grow_floor = ratio(t("floor.programme"), t("floor.project"))
m_prog = rss("redovisa.programme", ".rss-max")
m_prog20 = rss("redovisa.programme20", ".rss-max")
r_flat = ratio(m_prog20, m_prog)
month_whole, month_only = t("redovisa.month-whole-inbox"), t("redovisa.month-only")
w("| ratio | value | target | |")
w("|---|---|---|---|")
w(f"| redovisa / floor, project | {x(r_floor)} | ≤ 2.0× | {ok(None if r_floor is None else r_floor <= 2.0)} |")
w(f"| python-calamine (1 process) / redovisa, project | {x(r_cal)} | ≥ 1.5× | {ok(None if r_cal is None else r_cal >= 1.5)} |")
w(f"| python-calamine (2 processes) / redovisa, project | {x(r_cal2)} | (for comparison) | |")
w(f"| pandas + openpyxl / redovisa, project | {x(r_pandas)} | ≥ 25× | {ok(None if r_pandas is None else r_pandas >= 25)} |")
w(f"| redovisa / floor, programme | {x(r_floor_prog)} | ≤ 2.0× | {ok(None if r_floor_prog is None else r_floor_prog <= 2.0)} |")
w(f"| redovisa programme / project | {x(r_grow)} | (floor: {x(r_grow_floor)}) | |")
w(f"| peak RSS, programme (highest of 5) | {mib(m_prog)} | ≤ 120 MiB | {ok(None if m_prog is None else m_prog <= 120)} |")
w(f"| peak RSS, programme × 20 / × 10 (highest of 5) | {x(r_flat)} | < 1.20× | {ok(None if r_flat is None else r_flat < 1.2)} |")
w(f"| monthly batch, whole inbox | {ms(month_whole)} | < 200 ms | {ok(None if month_whole is None else month_whole < 0.2)} |")
w(f"| monthly batch, one-month inbox | {ms(month_only)} | ≤ 25 ms | {ok(None if month_only is None else month_only <= 0.025)} |")
peer_total, our_total = read("pandas.total"), read("redovisa.total")
if peer_total and our_total:
    w("")
    kr = lambda v: f"{v:,.2f}".replace(",", " ") + " kr"
    w(f"Check: the pandas peer's staff costs + in kind {kr(float(peer_total))}, redovisa's "
      f"{kr(float(our_total))} (difference {float(peer_total) - float(our_total):+.2f} kr).")
versions = read("peer.versions")
if versions:
    w(f"Peers: {versions}, Python {sys.version.split()[0]}.")
text = "\n".join(lines) + "\n"
with open(out, "w") as f:
    f.write(text)
print(text)
EOF
echo "(written to $BENCH/results.md)"
