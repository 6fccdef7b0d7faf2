# redovisa — common tasks. `just --list` shows them.

project := "fixtures/hallbar-samhallsomstallning"

# Generate the seed project's example inbox and run the main job on it.
demo:
    cargo run --release -- demo {{project}} --run

# The test suite (what CI runs after installing LibreOffice).
test:
    cargo test --release

# Formatting and lints, as CI checks them.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Benchmarks: generate the workloads, measure redovisa against the read-only floor and the peers
# (BENCHMARKS.md); e.g. `just bench --runs 11` or `just bench --no-peers`. `cargo bench` runs the
# micro benchmarks.
bench *ARGS:
    ./benches/run.sh {{ARGS}}

# Fuzz one target with cargo-fuzz (nightly toolchain, `cargo install cargo-fuzz`): `workbook`
# (arbitrary bytes through the guarded reader), `sheets` (arbitrary sheet XML in a well-formed
# xlsx) or `cells` (every cell-value parser); e.g. `just fuzz sheets 1800`. The corpus grows in
# fuzz/corpus/ (not committed), starting from fuzz/seeds/; crashes land in fuzz/artifacts/ —
# copy each into tests/fuzz_regressions/ once fixed. Debug assertions are on, so an arithmetic
# overflow is a crash. Runs in fork mode and goes on after a crash.
fuzz target="sheets" seconds="600":
    mkdir -p fuzz/corpus/{{target}}
    cd fuzz && cargo +nightly fuzz run -O -a {{target}} corpus/{{target}} seeds/{{target}} -- \
        -max_total_time={{seconds}} -max_len=65536 -timeout=30 -fork=1 -ignore_crashes=1

# Mutation testing of the money rules (not in CI: too slow): `cargo mutants` as configured in
# .cargo/mutants.toml (the files, the tests that guard them, the profile and timeouts), at low
# priority. Figures and every missed mutant explained: docs/mutants.md. Extra arguments go to
# cargo mutants, e.g. `just mutants --file src/ledger.rs`, `just mutants --shard 1/4 -j 2`.
mutants *ARGS:
    nice -n 10 cargo mutants {{ARGS}}
