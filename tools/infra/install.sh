#!/usr/bin/env bash
# Installs the pinned validator packages when node_modules is missing or stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../npm-ci-if-stale.sh" "$here"
