#!/usr/bin/env bash
# The local stack Perch is built and tested against: `up` starts it (idempotent), `down` stops it and
# keeps its data, `status` shows what runs where, `clean` stops it and deletes its data, and
# `stop <part>` / `start <part>` take one part down and bring it back (its data kept), for fault tests.
source "$(dirname "$0")/lib.sh"
for f in process pki kubernetes services; do source "$PERCH_ROOT/scripts/stack/$f.sh"; done

PARTS="etcd kube-apiserver kube-controller-manager kube-scheduler kwok contour temporal prometheus dataplane loadtester"

write_endpoints() {
  replace_file "$PERCH_RUN/endpoints.json" <<JSON
{
  "portOffset": $PORT_OFFSET,
  "kubeconfig": "$KUBECONFIG",
  "etcd": "http://127.0.0.1:$ETCD_PORT",
  "kubeApiserver": "https://127.0.0.1:$APISERVER_PORT",
  "temporal": "127.0.0.1:$TEMPORAL_PORT",
  "temporalUi": "http://127.0.0.1:$TEMPORAL_UI_PORT",
  "prometheus": "http://127.0.0.1:$PROMETHEUS_PORT",
  "envoyListener": "http://127.0.0.1:$DATAPLANE_LISTENER_PORT",
  "envoyStats": "http://127.0.0.1:$DATAPLANE_STATS_PORT/stats/prometheus",
  "clusterProxy": "http://127.0.0.1:$DATAPLANE_PROXY_PORT",
  "loadtester": "http://127.0.0.1:$LOADTESTER_PORT"
}
JSON
}

status() {
  printf '%-24s %-8s %-9s %s\n' PART STATE RSS_MB LISTENS
  for part in $PARTS; do
    local pid state=down rss=- ports=-
    if is_running "$part"; then
      state=up; pid=$(cat "$PERCH_RUN/pids/$part.pid")
      # RSS of the whole process group (node and the temporal CLI fork children).
      rss=$(ps -o rss= -g "$pid" 2>/dev/null | awk '{s+=$1} END {printf "%d", s/1024}')
      ports=$(ss -ltnpH 2>/dev/null | awk -v g="$(ps -o pid= -g "$pid" | tr '\n' '|' | sed 's/ //g;s/|$//')" \
        'match($0, "pid=(" g "),") {print $4}' | sort -u | tr '\n' ' ')
    fi
    printf '%-24s %-8s %-9s %s\n' "$part" "$state" "$rss" "$ports"
  done
}

# A running stack keeps the ports it started with: starting a part at another offset would split it.
check_port_offset() {
  local started
  started=$(sed -n 's/.*"portOffset": \([0-9]*\).*/\1/p' "$PERCH_RUN/endpoints.json" 2>/dev/null || true)
  [ -z "$started" ] || [ "$started" = "$PORT_OFFSET" ] && return 0
  for part in $PARTS; do
    is_running "$part" && die "the stack in $PERCH_RUN runs with PERCH_PORT_OFFSET=$started (this shell has $PORT_OFFSET)"
  done
  return 0
}

# etcd, the apiserver, then everything that needs the apiserver side by side.
start_cluster() {
  make_pki && write_kubeconfig
  start_etcd
  start_kube_apiserver
  in_parallel start_kube_controller_manager start_kube_scheduler start_kwok start_contour start_dataplane
}

up() {
  local t0=$SECONDS
  check_port_offset
  "$PERCH_ROOT/scripts/install.sh" stack
  use_toolchain
  mkdir -p "$PERCH_RUN"
  if [ ! -f "$PERCH_ROOT/dist/test/dataplane/main.js" ]; then
    npm_deps
    (cd "$PERCH_ROOT" && npm run --silent build)
  fi
  in_parallel start_cluster start_temporal start_prometheus start_loadtester
  write_endpoints
  log "stack up in $((SECONDS - t0))s; logs in $PERCH_RUN/logs; KUBECONFIG=$KUBECONFIG"
  log "Temporal UI http://127.0.0.1:$TEMPORAL_UI_PORT  Prometheus http://127.0.0.1:$PROMETHEUS_PORT"
  status
}

down() {
  [ -d "$PERCH_RUN" ] || { log "no stack in $PERCH_RUN"; return 0; }
  # The demo's processes (scripts/demo.sh: Perch's worker and watcher, its error traffic) first.
  for pid in "$PERCH_RUN"/pids/demo-*.pid; do
    if [ -e "$pid" ]; then stop_part "$(basename "$pid" .pid)"; fi
  done
  "$PERCH_ROOT/scripts/production-temporal.sh" down   # the self-hosted Temporal, when a test left it up
  # Then all parts at once (each takes a second or more to end), etcd last, after the apiserver.
  for part in $PARTS; do
    if [ "$part" != etcd ]; then stop_part "$part" & fi
  done
  wait
  stop_part etcd
  log "stack down (data kept in $PERCH_RUN)"
}

# part_name NAME: NAME if it is a part of the stack, else a usage error.
part_name() {
  [[ " $PARTS " == *" ${1:-} "* ]] || { echo "usage: $0 start|stop <part>; parts: $PARTS" >&2; exit 2; }
  echo "$1"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  clean) down; rm -rf "$PERCH_RUN"; log "removed $PERCH_RUN" ;;
  # start_<part> (scripts/stack/*.sh) starts a part that is not running and waits until it is ready.
  start)
    name=$(part_name "${2:-}")
    [ -f "$PERCH_RUN/endpoints.json" ] || die "no stack in $PERCH_RUN to start $name in: ./scripts/stack.sh up"
    check_port_offset; use_toolchain; "start_${name//-/_}"; log "$name started" ;;
  stop) name=$(part_name "${2:-}"); stop_part "$name"; log "$name stopped" ;;
  *) echo "usage: $0 up|down|status|clean|start <part>|stop <part>" >&2; exit 2 ;;
esac
