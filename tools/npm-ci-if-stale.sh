#!/usr/bin/env bash
# Runs `npm ci` in a tools folder when its node_modules is missing or does not match its package-lock.json.
#   bash tools/npm-ci-if-stale.sh tools/emulators [file that must exist afterwards]
# Test projects may call this at the same moment for the same folder: one installs, the others wait (flock).
set -euo pipefail
cd "$1"
required="${2:-}"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm was not found on PATH. Install Node.js 20 or newer with npm (for example 'apt-get install nodejs npm')." >&2
  exit 3
fi
exec 9>.install.lock
flock 9
stamp=node_modules/.sdserverless-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && { [ -z "$required" ] || [ -e "$required" ]; }; then
  echo "$1: already installed"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "$1: installed"
