#!/usr/bin/env bash
# Runs a command inside a virtual display (Xvfb) and a session bus of its
# own, with a notification daemon (dunst) drawing on that display: how the
# desktop app's end-to-end tests see a real desktop on a headless machine.
set -euo pipefail
if [ -z "${HEARTH_DESKTOP_SESSION:-}" ]; then
    exec env HEARTH_DESKTOP_SESSION=1 xvfb-run -a -s "-screen 0 1280x800x24" \
        dbus-run-session -- bash "$0" "$@"
fi
dunst >/dev/null 2>&1 &
dunst_pid=$!
trap 'kill "$dunst_pid" 2>/dev/null || true' EXIT
"$@"
