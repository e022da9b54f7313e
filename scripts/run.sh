#!/usr/bin/env bash
# Sets up and runs the Hearth desktop app on its embedded defaults: a local
# SQLite household in the OS data dir, no server. `--demo` first fills that
# data dir with the demo household (when it holds none yet); any other
# arguments go to the app (e.g. `--data-dir DIR`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The whole workspace, as the tests build it (one set of features: no
# rebuilds between running and testing).
cargo build --workspace --quiet
args=()
for a in "$@"; do
    if [ "$a" = "--demo" ]; then
        ./target/debug/hearth demo >/dev/null
    else
        args+=("$a")
    fi
done
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "run: no display here; starting the app on a virtual one (bash scripts/desktop-session.sh)" >&2
    exec bash scripts/desktop-session.sh ./target/debug/hearth-desktop "${args[@]}"
fi
exec ./target/debug/hearth-desktop "${args[@]}"
