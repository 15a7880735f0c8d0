#!/usr/bin/env bash
# Go-built parts of the local stack other than Kubernetes itself: etcd, kwok, contour and Flagger's
# load tester. Each is built once per version into $TOOLS_BIN and stamped; data files they need
# (kwok's stages, Contour's CRDs) are copied next to them from the module cache.
source "$(dirname "$0")/../lib.sh"
export GOTOOLCHAIN=local CGO_ENABLED=0
modcache=$(go env GOMODCACHE)

# new_wrapper DIR: an empty throwaway main module to build another module's command from.
new_wrapper() {
  rm -rf "$1" && mkdir -p "$1" && cd "$1" && go mod init local/wrapper >/dev/null 2>&1
}

# etcd's server module replaces its sibling modules with local paths, so `go install` refuses it;
# a wrapper module requires it as a tool and builds its main package under the name `etcd`.
build_etcd() {
  have_stamp etcd "$ETCD_VERSION" && [ -x "$TOOLS_BIN/etcd" ] && return 0
  log "building etcd $ETCD_VERSION"
  local t0=$SECONDS
  new_wrapper "$PERCH_CACHE/build/etcd-$ETCD_VERSION"
  go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$TOOLS_BIN/etcd" go.etcd.io/etcd/server/v3
  put_stamp etcd "$ETCD_VERSION"
  log "built etcd $ETCD_VERSION in $((SECONDS - t0))s"
}

# The load tester listens on ":"+port, every interface, and has no flag to change that. Its vendored
# source is patched at build time to listen on loopback only (nothing of it is kept in this repo).
build_loadtester() {
  have_stamp loadtester-loopback "$FLAGGER_VERSION" && [ -x "$TOOLS_BIN/loadtester" ] && return 0
  log "building Flagger's load tester $FLAGGER_VERSION (bound to 127.0.0.1)"
  local t0=$SECONDS
  new_wrapper "$PERCH_CACHE/build/loadtester-$FLAGGER_VERSION"
  go get -tool "github.com/fluxcd/flagger/cmd/loadtester@$FLAGGER_VERSION"
  go mod vendor
  local server=vendor/github.com/fluxcd/flagger/pkg/loadtester/server.go
  sed -i 's/Addr:\( *\)":" *+ *port/Addr:\1"127.0.0.1:" + port/' "$server"
  grep -q '"127.0.0.1:" + port' "$server" || die "cannot bind the load tester to loopback: $server changed shape"
  go build -mod=vendor -trimpath -ldflags "-s -w" -o "$TOOLS_BIN/loadtester" github.com/fluxcd/flagger/cmd/loadtester
  put_stamp loadtester-loopback "$FLAGGER_VERSION"
  log "built the load tester $FLAGGER_VERSION in $((SECONDS - t0))s"
}

# kwok exits without Stage documents: node readiness with lease heartbeats, and pod readiness.
copy_kwok_stages() {
  local out=$PERCH_CACHE/kwok-stages-$KWOK_VERSION.yaml src=$modcache/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage
  [ -s "$out" ] && return 0
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
           pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    cat "$src/$f.yaml"; echo '---'
  done >"$out.tmp" && mv "$out.tmp" "$out"
}

copy_contour_crds() {
  local out=$PERCH_CACHE/contour-crds-$CONTOUR_VERSION.yaml
  [ -s "$out" ] || cp "$modcache/github.com/projectcontour/contour@$CONTOUR_VERSION/examples/contour/01-crds.yaml" "$out"
}

build_etcd
go_install kwok "$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
go_install contour "$CONTOUR_VERSION" "github.com/projectcontour/contour/cmd/contour@$CONTOUR_VERSION"
build_loadtester
copy_kwok_stages
copy_contour_crds
