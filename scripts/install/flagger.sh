#!/usr/bin/env bash
# Flagger itself (the controller, same version as the load tester), for the side-by-side benchmark
# (scripts/bench.sh) and the tests that run Flagger (scripts/test.sh); the stack does not need it.
# Built once per version into $TOOLS_BIN/flagger and stamped, from a throwaway wrapper module like the
# load tester. Flagger's HTTP server (/metrics, /healthz) listens on ":"+port with no flag for the
# address, so its vendored source is patched at build time to listen on 127.0.0.1 only (nothing of it is kept in this repo).
source "$(dirname "$0")/../lib.sh"
export GOTOOLCHAIN=local CGO_ENABLED=0

have_stamp flagger-loopback "$FLAGGER_VERSION" && [ -x "$TOOLS_BIN/flagger" ] && exit 0
log "building Flagger $FLAGGER_VERSION (bound to 127.0.0.1)"
start=$SECONDS
dir=$PERCH_CACHE/build/flagger-$FLAGGER_VERSION
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
go mod init local/wrapper >/dev/null 2>&1
go get -tool "github.com/fluxcd/flagger/cmd/flagger@$FLAGGER_VERSION"
go mod vendor
server=vendor/github.com/fluxcd/flagger/pkg/server/server.go
sed -i 's/Addr:\( *\)":" *+ *port/Addr:\1"127.0.0.1:" + port/' "$server"
grep -q '"127.0.0.1:" + port' "$server" || die "cannot bind Flagger to loopback: $server changed shape"
go build -mod=vendor -trimpath -ldflags "-s -w" -o "$TOOLS_BIN/flagger" github.com/fluxcd/flagger/cmd/flagger
put_stamp flagger-loopback "$FLAGGER_VERSION"
log "Flagger $FLAGGER_VERSION built in $((SECONDS - start))s"
