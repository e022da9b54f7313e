#!/usr/bin/env bash
# Sets up and runs Hearth on its embedded defaults: a local SQLite household,
# no server. Until the desktop app lands this is the CLI's demo household.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build -p hearth-cli --quiet
exec ./target/debug/hearth demo "$@"
