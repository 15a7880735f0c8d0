#!/usr/bin/env bash
# The local stack Perch is built and tested against: `up` starts it (idempotent), `down` stops it and
# keeps its data, `status` shows what runs where, `clean` stops it and deletes its data.
source "$(dirname "$0")/lib.sh"
for f in process pki kubernetes services; do source "$PERCH_ROOT/scripts/stack/$f.sh"; done

PARTS="etcd kube-apiserver kube-controller-manager kube-scheduler kwok contour temporal prometheus dataplane loadtester"

write_endpoints() {
  cat >"$PERCH_RUN/endpoints.json" <<JSON
{
  "kubeconfig": "$KUBECONFIG",
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

up() {
  local t0=$SECONDS
  "$PERCH_ROOT/scripts/install.sh"
  use_toolchain
  mkdir -p "$PERCH_RUN"
  [ -f "$PERCH_ROOT/dist/test/dataplane/main.js" ] || (cd "$PERCH_ROOT" && npm run --silent build)
  start_kubernetes
  start_contour
  start_temporal
  start_prometheus
  start_dataplane
  start_loadtester
  write_endpoints
  log "stack up in $((SECONDS - t0))s; logs in $PERCH_RUN/logs; KUBECONFIG=$KUBECONFIG"
  log "Temporal UI http://127.0.0.1:$TEMPORAL_UI_PORT  Prometheus http://127.0.0.1:$PROMETHEUS_PORT"
  status
}

down() {
  # The demo's processes (scripts/demo.sh: Perch's worker and watcher, its error traffic) first.
  for pid in "$PERCH_RUN"/pids/demo-*.pid; do
    if [ -e "$pid" ]; then stop_part "$(basename "$pid" .pid)"; fi
  done
  "$PERCH_ROOT/scripts/production-temporal.sh" down   # the self-hosted Temporal, when a test left it up
  for part in loadtester dataplane prometheus temporal contour; do stop_part "$part"; done
  stop_kubernetes
  log "stack down (data kept in $PERCH_RUN)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  clean) down; rm -rf "$PERCH_RUN"; log "removed $PERCH_RUN" ;;
  *) echo "usage: $0 up|down|status|clean" >&2; exit 2 ;;
esac
