#!/usr/bin/env bash
# The test command: installs what is missing, brings the local stack up (a no-op when it is up),
# type-checks, lints and runs every test. The stack stays up afterwards; `scripts/stack.sh down`.
source "$(dirname "$0")/lib.sh"
use_toolchain
cd "$PERCH_ROOT"
npm_deps
npm run --silent build
"$PERCH_ROOT/scripts/stack.sh" up
"$PERCH_ROOT/scripts/install/flagger.sh"  # test/bench/smoke.test.ts (beside Perch) and test/e2e/adoption.test.ts (before it) run Flagger
npm run --silent lint
npm test
