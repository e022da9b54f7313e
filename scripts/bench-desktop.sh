#!/usr/bin/env bash
# Measures the desktop app (cold start to interactive, idle memory, click to
# balance) and prints the figures; under a virtual display when there is no
# display. HEARTH_DESKTOP_BIN measures another build of the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --workspace --quiet
if [ -z "${DISPLAY:-}" ]; then
    exec bash scripts/desktop-session.sh ./target/debug/desktop-bench
fi
exec ./target/debug/desktop-bench
