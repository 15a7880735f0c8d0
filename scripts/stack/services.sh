# Contour (without Envoy), the Temporal dev server, Prometheus, the data-plane simulator and Flagger's
# load tester. Sourced by scripts/stack.sh.

start_contour() {
  kubectl apply --server-side -f "$PERCH_CACHE/contour-crds-$CONTOUR_VERSION.yaml" >/dev/null
  wait_for kube-apiserver 30 condition_true crd/httpproxies.projectcontour.io Established
  # Contour computes HTTPProxy status (valid / invalid / orphaned) itself; no Envoy connects to it.
  start_part contour "$TOOLS_BIN/contour" serve --kubeconfig="$KUBECONFIG" --insecure \
    --disable-leader-election --xds-address=127.0.0.1 --xds-port="$CONTOUR_XDS_PORT" \
    --http-address=127.0.0.1 --http-port="$CONTOUR_HTTP_PORT" \
    --health-address=127.0.0.1 --health-port="$CONTOUR_HTTP_PORT" \
    --debug-http-address=127.0.0.1 --debug-http-port="$CONTOUR_DEBUG_PORT"
  wait_for contour 60 http_ok "http://127.0.0.1:$CONTOUR_HTTP_PORT/healthz"
}

start_temporal() {
  local attrs=()
  for a in $TEMPORAL_SEARCH_ATTRIBUTES; do attrs+=(--search-attribute "$a"); done
  # A SQLite file keeps workflows across a restart of the dev server.
  start_part temporal "$TOOLS_BIN/temporal" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" \
    --ui-port "$TEMPORAL_UI_PORT" --http-port "$TEMPORAL_HTTP_PORT" --metrics-port "$TEMPORAL_METRICS_PORT" \
    --db-filename "$PERCH_RUN/temporal.db" --log-level warn "${attrs[@]}"
  wait_for temporal 60 "$TOOLS_BIN/temporal" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT"
  wait_for temporal 30 http_ok "http://127.0.0.1:$TEMPORAL_UI_PORT/"
}

start_prometheus() {
  mkdir -p "$PERCH_RUN/prometheus"
  replace_file "$PERCH_RUN/prometheus/prometheus.yml" <<PROM
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
- job_name: envoy
  metrics_path: /stats/prometheus
  static_configs: [{targets: ['127.0.0.1:$DATAPLANE_STATS_PORT']}]
PROM
  start_part prometheus "$TOOLS_BIN/prometheus" --config.file="$PERCH_RUN/prometheus/prometheus.yml" \
    --storage.tsdb.path="$PERCH_RUN/prometheus/data" --storage.tsdb.retention.time=6h \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle
  wait_for prometheus 60 http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

# The simulator is test infrastructure: it plays Envoy's routing of the real HTTPProxy objects. It is
# ready once it has listed them all, so it may start before Contour's CRDs are in.
start_dataplane() {
  start_part dataplane env KUBECONFIG="$KUBECONFIG" \
    DATAPLANE_LISTENER="127.0.0.1:$DATAPLANE_LISTENER_PORT" DATAPLANE_STATS="127.0.0.1:$DATAPLANE_STATS_PORT" \
    DATAPLANE_PROXY="127.0.0.1:$DATAPLANE_PROXY_PORT" \
    DATAPLANE_EXTERNAL="flagger-loadtester.test=127.0.0.1:$LOADTESTER_PORT" \
    node "$PERCH_ROOT/dist/test/dataplane/main.js"
  wait_for dataplane 30 http_ok "http://127.0.0.1:$DATAPLANE_STATS_PORT/ready"
}

# The load tester runs the seed's `cmd`/`bash` webhooks. curl honours http_proxy and the hey shim adds
# -x, so in-cluster names such as podinfo-canary.test reach the simulator's forward proxy unchanged.
start_loadtester() {
  start_part loadtester env PATH="$PERCH_ROOT/scripts/shims:$PATH" \
    http_proxy="http://127.0.0.1:$DATAPLANE_PROXY_PORT" no_proxy=127.0.0.1,localhost \
    PERCH_CLUSTER_PROXY="http://127.0.0.1:$DATAPLANE_PROXY_PORT" \
    "$TOOLS_BIN/loadtester" -port "$LOADTESTER_PORT" -timeout 1h -log-level info
  wait_for loadtester 30 http_ok "http://127.0.0.1:$LOADTESTER_PORT/healthz"
}
