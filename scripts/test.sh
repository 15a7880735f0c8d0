#!/usr/bin/env bash
# The test command: installs what is missing, brings the local stack up (a no-op when it is up),
# type-checks, lints and runs every test. The stack stays up afterwards; `scripts/stack.sh down`.
source "$(dirname "$0")/lib.sh"
use_toolchain
cd "$PERCH_ROOT"
lock=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat node_modules/.perch-lock 2>/dev/null)" != "$lock" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock" >node_modules/.perch-lock
fi
npm run --silent build
"$PERCH_ROOT/scripts/stack.sh" up
npm run --silent lint
npm test
