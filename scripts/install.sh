#!/usr/bin/env bash
# Installs everything the local stack and the tests need into $PERCH_CACHE, each part once per
# version. A warm run only checks stamps.
source "$(dirname "$0")/lib.sh"
t0=$SECONDS
here=$PERCH_ROOT/scripts/install
# helm and actionlint compile while the next steps mostly download; the heavy Go builds wait for them.
"$here/chart-tools.sh" &
chart_tools=$!
"$here/node.sh" >/dev/null
"$here/debian.sh" >/dev/null
"$here/temporal.sh" >/dev/null
"$here/temporal-server.sh" >/dev/null
"$here/temporal-test-server.sh"
wait "$chart_tools" || die "building helm or actionlint failed (scripts/install/chart-tools.sh)"
"$here/go-tools.sh"
"$here/kubernetes.sh" >/dev/null
[ $((SECONDS - t0)) -gt 5 ] && log "tools installed in $((SECONDS - t0))s under $PERCH_CACHE"
exit 0
