# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the kwok controller (which plays
# the kubelet of one fake node), so Deployments get scheduled, Ready pods for real. One start_<part>
# function per part, each idempotent, so `stack.sh start <part>` restarts just that part.
# Sourced by scripts/stack.sh.

apiserver_ready() {
  curl -fsS --max-time 2 --cacert "$PERCH_RUN/pki/ca.crt" --cert "$PERCH_RUN/pki/admin.crt" \
    --key "$PERCH_RUN/pki/admin.key" "https://127.0.0.1:$APISERVER_PORT/readyz"
}

start_etcd() {
  start_part etcd "$TOOLS_BIN/etcd" --name=perch --data-dir="$PERCH_RUN/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="perch=http://127.0.0.1:$ETCD_PEER_PORT" \
    --listen-metrics-urls="http://127.0.0.1:$ETCD_METRICS_PORT" \
    --unsafe-no-fsync=true --auto-compaction-retention=1 --log-level=warn
  wait_for etcd 30 http_ok "http://127.0.0.1:$ETCD_PORT/health"
}

start_kube_apiserver() {
  local pki=$PERCH_RUN/pki
  # --endpoint-reconciler-type=none: a loopback advertise address cannot back the `kubernetes` Service.
  start_part kube-apiserver "$(k8s_bin)/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$APISERVER_PORT" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --endpoint-reconciler-type=none \
    --allow-privileged=true --profiling=false --v=1
  wait_for kube-apiserver 90 apiserver_ready
}

start_kube_controller_manager() {
  start_part kube-controller-manager "$(k8s_bin)/kube-controller-manager" --kubeconfig="$KUBECONFIG" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
    --service-account-private-key-file="$PERCH_RUN/pki/sa.key" --root-ca-file="$PERCH_RUN/pki/ca.crt" \
    --use-service-account-credentials=false --profiling=false --v=1
  wait_for kube-controller-manager 60 http_ok -k "https://127.0.0.1:$KCM_PORT/healthz"
}

start_kube_scheduler() {
  start_part kube-scheduler "$(k8s_bin)/kube-scheduler" --kubeconfig="$KUBECONFIG" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false --profiling=false --v=1
  wait_for kube-scheduler 60 http_ok -k "https://127.0.0.1:$SCHEDULER_PORT/healthz"
}

# kwok renews the node's Lease every 10 s (a quarter of its duration), as a kubelet does. Its stages
# make the node and its pods Ready (copied from kwok by scripts/install/go-tools.sh), and Ready again
# after the node-lifecycle controller marked them NotReady during an apiserver outage (ours).
start_kwok() {
  start_part kwok "$TOOLS_BIN/kwok" --kubeconfig="$KUBECONFIG" --manage-all-nodes=true \
    --config="$PERCH_CACHE/kwok-stages-$KWOK_VERSION.yaml" --config="$PERCH_ROOT/scripts/stack/kwok-pod-recover.yaml" \
    --server-address="127.0.0.1:$KWOK_PORT" \
    --cidr=10.244.0.0/16 --node-ip=127.0.0.1 --node-lease-duration-seconds=40
  wait_for kwok 60 http_ok "http://127.0.0.1:$KWOK_PORT/healthz"
  kubectl apply -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-0, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
NODE
  wait_for kwok 60 condition_true node/kwok-node-0 Ready
}
