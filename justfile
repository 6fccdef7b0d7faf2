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
