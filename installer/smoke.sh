#!/usr/bin/env bash
# Build installer/watchkeeper.spec on Linux (one folder, as on Windows) and run the frozen binaries:
# --help, record on sim://, socket:// (a test TCP server), loop:// and rfc2217://, train (TensorFlow in
# the bundle), and the window with --demo offscreen for 60 s with its scoring and training children.
# The checks live in tests/installer/test_frozen_build.py; this script runs just them.
#   installer/smoke.sh          build into a temporary folder, run, remove it
#   installer/smoke.sh --keep   build into build/smoke (kept), or reuse what is there
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
if [ "${1:-}" = "--keep" ]; then
  dist=build/smoke/dist
  if [ ! -x "$dist/Watchkeeper/watchkeeper-cli" ]; then
    uv run --locked pyinstaller --noconfirm --distpath "$dist" --workpath build/smoke/work installer/watchkeeper.spec
  fi
  export WATCHKEEPER_FROZEN_DIST="$PWD/$dist"
  du -sh "$dist/Watchkeeper"
  echo "$(find "$dist/Watchkeeper" -type f | wc -l) files"
fi
exec uv run --locked pytest tests/installer/test_frozen_build.py -v --durations=0
