#!/usr/bin/env bash
# Sets up and runs every check and test: formatting, clippy, the front-end's
# tests, and the whole workspace's tests (unit, property and end-to-end tests
# of real processes, the desktop app's under a virtual display).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# 10,000 property-test cases in CI; set more for a longer soak.
export HEARTH_PROPTEST_CASES="${HEARTH_PROPTEST_CASES:-10000}"

# The PostgreSQL tests create their own databases on this server.
export HEARTH_TEST_POSTGRES="${HEARTH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
if ! psql "$HEARTH_TEST_POSTGRES" -qAtc 'SELECT 1' >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "test: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    sleep 2
fi
if ! psql "$HEARTH_TEST_POSTGRES" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    echo "test: PostgreSQL is not reachable at $HEARTH_TEST_POSTGRES (set HEARTH_TEST_POSTGRES)" >&2
    exit 1
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo build --workspace --locked

# The front-end's unit and component tests (its type check and build ran in
# setup, since the app embeds the build).
(cd ui && npm test --silent)

# Every Rust test, the desktop app's end-to-end tests included: those drive
# the real app under a virtual display and a session bus with a
# notification daemon, and leave screenshots in target/screenshots.
HEARTH_DESKTOP_E2E=1 bash scripts/desktop-session.sh \
    cargo nextest run --workspace --locked --no-fail-fast

# The deployment artifacts, each with its real validator.
bash scripts/check-deploy.sh
