#!/usr/bin/env bash
# Installs tools into $PERCH_CACHE, each once per version (a warm run only checks stamps):
#
#   scripts/install.sh stack   what the local stack runs (scripts/stack.sh up, so the demo): Node, the
#                              temporal CLI, Prometheus and hey, etcd, kwok, Contour, Flagger's load
#                              tester, Kubernetes
#   scripts/install.sh tests   what only the tests use, beyond the stack: the time-skipping test
#                              server, actionlint (lint), helm, PostgreSQL and Temporal's own server
#                              (test/production), Flagger (test/bench/smoke.test.ts)
#   scripts/install.sh         both
#
# Each step's time is logged when it did more than check its stamp.
source "$(dirname "$0")/lib.sh"
here=$PERCH_ROOT/scripts/install

# step NAME: runs scripts/install/NAME.sh, naming it when it fails and timing it when it worked.
step() {
  local t0=$SECONDS
  "$here/$1.sh" >/dev/null || die "installing $1 failed (scripts/install/$1.sh)"
  [ $((SECONDS - t0)) -lt 2 ] || log "install step $1: $((SECONDS - t0))s"
}

# in_background STEP...: starts each step in the background; `wait_all` waits for them.
pids=()
in_background() { for s in "$@"; do step "$s" & pids+=($!); done; }
wait_all() {
  local pid rc=0
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  pids=()
  [ $rc = 0 ] || die "an install step failed (see above)"
}

# Downloads run beside the Go builds, which take both cores in turn.
stack() {
  step node
  in_background temporal debian
  step go-tools
  step kubernetes
  wait_all
}

tests() {
  in_background temporal-test-server postgres
  step actionlint
  step helm
  step temporal-server
  step flagger
  wait_all
}

t0=$SECONDS
case ${1:-all} in
  stack) stack ;;
  tests) tests ;;
  all) stack; tests ;;
  *) echo "usage: $0 [stack|tests]" >&2; exit 2 ;;
esac
[ $((SECONDS - t0)) -lt 5 ] || log "installed (${1:-all}) in $((SECONDS - t0))s under $PERCH_CACHE"
exit 0
