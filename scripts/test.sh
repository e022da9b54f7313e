#!/usr/bin/env bash
# Sets up and runs every check and test: formatting, clippy, and the whole
# workspace's tests (unit, property and end-to-end tests of real processes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# 10,000 property-test cases in CI; set more for a longer soak.
export HEARTH_PROPTEST_CASES="${HEARTH_PROPTEST_CASES:-10000}"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo build --workspace --locked
cargo nextest run --workspace --locked --no-fail-fast
