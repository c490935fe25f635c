#!/usr/bin/env bash
# Installs the pinned validator packages when node_modules is missing or does not match package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm was not found on PATH. Install Node.js 20 or newer with npm (for example 'apt-get install nodejs npm')." >&2
  exit 3
fi
# Test runs may call this at the same moment: one installs, the others wait.
exec 9>.install.lock
flock 9
stamp=node_modules/.sdserverless-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "infra tools already installed"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "infra tools installed"
