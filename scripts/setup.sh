#!/usr/bin/env bash
# Installs what building and testing Hearth needs on a fresh Debian 12 machine.
# Idempotent, and quick when everything is already there.
set -euo pipefail

# Build tools, the desktop app's system libraries (WebKitGTK, GTK, tray,
# SVG), and what its end-to-end tests run on (a virtual display, a session
# bus, a notification daemon, WebKit's WebDriver, screenshots).
need_apt=()
for pkg in build-essential pkg-config postgresql-client file \
    libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev libxdo-dev \
    xvfb xauth dbus-x11 at-spi2-core imagemagick webkit2gtk-driver dunst xdotool x11-utils libnotify-bin; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "setup: cargo is missing; install Rust (rustup) first" >&2
    exit 1
fi
if ! cargo nextest --version >/dev/null 2>&1; then
    echo "setup: installing cargo-nextest"
    cargo install cargo-nextest --locked
fi

# The stock automerge-repo JavaScript client, for the interoperability test.
if ! command -v node >/dev/null 2>&1; then
    echo "setup: installing Node.js"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$here/tests/node/node_modules/@automerge/automerge-repo" ]; then
    echo "setup: installing the Node packages of tests/node"
    # `npm ci` trips over this lock file's optional platform packages (npm 11 with
    # omit-lockfile-registry-resolved); `npm install` follows the lock all the same.
    (cd "$here/tests/node" && npm install --no-audit --no-fund --loglevel=error)
fi

# The desktop app's front-end: its packages, and the build the app embeds
# (every cargo build of the workspace needs ui/dist).
if [ ! -d "$here/ui/node_modules" ] || [ "$here/ui/package-lock.json" -nt "$here/ui/node_modules/.package-lock.json" ]; then
    echo "setup: installing the Node packages of ui"
    (cd "$here/ui" && npm install --no-audit --no-fund --loglevel=error)
fi
(cd "$here/ui" && npm run --silent build)

# The WebDriver bridge that drives the real app in the end-to-end tests.
if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver"
    cargo install tauri-driver --version =2.1.0 --locked
fi
