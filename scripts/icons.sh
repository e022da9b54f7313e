#!/usr/bin/env bash
# Regenerates every app icon in icons/ from icons/hearth.svg (Tauri's icon
# generator: PNG sizes, .ico, .icns, Windows Store logos).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-audit --no-fund --silent @tauri-apps/cli@2.12.5
"$tmp/node_modules/.bin/tauri" icon icons/hearth.svg -o icons
rm -rf icons/android icons/ios
