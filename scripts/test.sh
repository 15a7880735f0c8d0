#!/usr/bin/env bash
# The test command: installs what is missing, brings the local stack up (a no-op when it is up),
# type-checks, lints and runs every test, then the fault suite. The stack stays up afterwards;
# `scripts/stack.sh down`.
# The tools only the tests use (scripts/install.sh tests) install beside the build and the stack's
# start, which installs the stack's own (scripts/install.sh stack).
source "$(dirname "$0")/lib.sh"
use_toolchain
cd "$PERCH_ROOT"
# In a session of its own, so that a failure before the `wait` below stops the whole install (its
# builds too) instead of leaving it running after this script has exited.
setsid -w "$PERCH_ROOT/scripts/install.sh" tests &
test_tools=$!
trap 'kill -TERM -- "-$test_tools" 2>/dev/null || true' EXIT
npm_deps
npm run --silent build
"$PERCH_ROOT/scripts/stack.sh" up
wait "$test_tools" || die "installing the tests' tools failed (scripts/install.sh tests)"
trap - EXIT
npm run --silent lint
# The fault suite runs after the main suite, on a stack of its own (port offset 900) that it starts
# and removes itself. Not beside it: on 2 cores both at once made the main suite half again as long
# and pushed its timing-sensitive files past their bounds.
# Every test file, worker, watcher and CLI call is a Node process that compiles the same modules;
# V8's compile cache (keyed by the sources' content) spares each the compiling.
export NODE_COMPILE_CACHE=${NODE_COMPILE_CACHE:-$PERCH_CACHE/node-compile-cache}
tests=0
npm test || tests=$?
faults=0
npm run --silent test:faults || faults=$?
log "main suite exited $tests, fault suite exited $faults"
[ "$tests" = 0 ] && [ "$faults" = 0 ]
