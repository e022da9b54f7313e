#!/usr/bin/env bash
# Drives hearth-server and the stock JavaScript automerge-repo sync server
# (tests/node/reference-server.mjs) with the same load generator, one after
# the other in one run, and prints both reports and their ratios.
#
#   bash scripts/bench-sync.sh            # the full run (several minutes)
#   HOUSEHOLDS=30 RATES=50,200 bash scripts/bench-sync.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null

HOUSEHOLDS="${HOUSEHOLDS:-300}"
RATES="${RATES:-50,150,300,600,900,1500,2400,3600,5400,8000}"
STEP_SECS="${STEP_SECS:-6}"
YEAR_ENTRIES="${YEAR_ENTRIES:-7300}"
IDLE_DEVICES="${IDLE_DEVICES:-10000}"

cargo build --release --locked -p hearth-server -p hearth-loadgen
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

common=(--households "$HOUSEHOLDS" --rates "$RATES" --step-secs "$STEP_SECS" --year-entries "$YEAR_ENTRIES")

# hearth-server on its embedded SQLite default.
# MIMALLOC_PURGE_DELAY=0 as the container image sets it.
MIMALLOC_PURGE_DELAY=0 HEARTH_PAIR_PER_MINUTE=1000000 HEARTH_LOG_LEVEL=warn \
    target/release/hearth-server serve --listen 127.0.0.1:18801 \
    --database "sqlite://$work/hearth.sqlite3" 2>"$work/hearth.log" &
hearth_pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18801/readyz >/dev/null 2>&1 && break; sleep 0.1; done
target/release/hearth-loadgen --label hearth-server --api http://127.0.0.1:18801 \
    --url ws://127.0.0.1:18801/v1/sync --pid "$hearth_pid" --idle-devices "$IDLE_DEVICES" \
    "${common[@]}" >"$work/hearth.txt"
kill "$hearth_pid"; wait "$hearth_pid" 2>/dev/null || true

# The reference: the stock automerge-repo sync server on Node.
(cd tests/node && exec node reference-server.mjs --port 18802 --dir "$work/reference") >"$work/ref.log" 2>&1 &
ref_pid=$!
for _ in $(seq 100); do grep -q LISTENING "$work/ref.log" 2>/dev/null && break; sleep 0.1; done
target/release/hearth-loadgen --label reference --url ws://127.0.0.1:18802 --pid "$ref_pid" \
    "${common[@]}" >"$work/reference.txt"
kill "$ref_pid"; wait "$ref_pid" 2>/dev/null || true

cat "$work/hearth.txt"; echo; cat "$work/reference.txt"; echo
python3 - "$work/hearth.txt" "$work/reference.txt" <<'PY'
import re, sys
def figures(path):
    t = open(path).read()
    num = lambda pat: (lambda m: float(m.group(1)) if m else None)(re.search(pat, t))
    return {
        "sustained rate (changes/s, p99 < 50 ms)": num(r"p99 < 50 ms: ([\d.]+)"),
        "p50 at light load (ms)": num(r"lightest load: ([\d.]+)"),
        "first sync of the busy year (ms)": num(r"first sync of a new device.*?: ([\d.]+) ms"),
        "memory per loaded small document (KB)": num(r"per loaded document \(small\): ([\d.]+)"),
        "memory per busy-year document (MB)": num(r"per loaded busy-year document: ([\d.-]+)"),
        "memory per connected device (KB)": num(r"per connected device: ([\d.]+)"),
    }
h, r = figures(sys.argv[1]), figures(sys.argv[2])
print(f"{'':42} {'hearth-server':>14} {'reference':>12} {'ratio':>8}")
for k in h:
    a, b = h[k], r[k]
    ratio = (b / a if "rate" not in k else a / b) if a and b else None
    fmt = lambda v: "-" if v is None else f"{v:.2f}"
    print(f"{k:42} {fmt(a):>14} {fmt(b):>12} {('x' + fmt(ratio)) if ratio else '-':>8}")
print("(ratio: how many times better hearth-server is)")
PY
