#!/usr/bin/env bash
# The seed walkthrough on the local stack, start to finish, with the rollout shown live.
#
#   ./scripts/demo.sh              promote podinfo 6.0.1 step by step under the seed's load test
#   ./scripts/demo.sh --rollback   roll podinfo 6.0.2 back under the seed's /status/500 traffic
#   add --fast                     the tests' short intervals (analysis 5s, metrics 15s): ~2 minutes
#
# Environment: PERCH_DEMO_NAMESPACE (default test), PERCH_DEMO_TASK_QUEUE (default perch),
# PERCH_DEMO_DIST (build folder, default dist). The stack, Perch's worker and its watcher keep
# running afterwards; `./scripts/stack.sh down` stops them all. More: docs/demo.md.
source "$(dirname "$0")/lib.sh"
source "$PERCH_ROOT/scripts/stack/process.sh"

usage() { sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//'; }
fast=0 rollback=0
for arg in "$@"; do
  case $arg in
    --fast) fast=1 ;;
    --rollback) rollback=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
ns=${PERCH_DEMO_NAMESPACE:-test}
queue=${PERCH_DEMO_TASK_QUEUE:-perch}
dist=${PERCH_DEMO_DIST:-dist}
[[ $ns =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] || die "PERCH_DEMO_NAMESPACE=$ns is not a Kubernetes namespace name"
[[ $queue =~ ^[-A-Za-z0-9_.]+$ ]] || die "PERCH_DEMO_TASK_QUEUE=$queue: use letters, digits, '-', '_' or '.'"
case $dist in /*) ;; *) dist=$PERCH_ROOT/$dist ;; esac
distShown=${dist#"$PERCH_ROOT"/}

if [ $rollback = 1 ]; then image=6.0.2 expected=Failed; else image=6.0.1 expected=Succeeded; fi
if [ $fast = 1 ]; then fastArg=(--fast) rolloutLimit=600; else fastArg=() rolloutLimit=2400; fi
workflowUi="http://127.0.0.1:$TEMPORAL_UI_PORT/namespaces/default/workflows/canary%2F$ns%2Fpodinfo"
cluster_proxy="http://127.0.0.1:$DATAPLANE_PROXY_PORT"
t0=$SECONDS

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
# show CMD...: prints the command as a user would type it, then runs it.
show() { printf '$ %s\n' "$*"; "$@"; }
elapsed() { local s=$(($1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
phase() { kubectl -n "$ns" get canary/podinfo -o jsonpath='{.status.phase}'; }

step "Perch demo: podinfo $image in namespace $ns ($([ $fast = 1 ] && echo 'fast intervals' || echo "the seed's intervals"), expecting $expected)"
echo "Follow the rollout's workflow in the Temporal UI: $workflowUi"

step "Tools, dependencies and build"
use_toolchain
# The perch CLI below talks to this stack's Temporal, and links to its UI, wherever
# PERCH_PORT_OFFSET put them.
export TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT PERCH_UI_URL=http://127.0.0.1:$TEMPORAL_UI_PORT
cd "$PERCH_ROOT"
npm_deps
# Build when a source is newer than the last build of this folder (tsc rewrites every output, so
# any output it writes, here the demo's own helper, dates the build).
built=$dist/src/demo/seed.js
if [ ! -f "$built" ] || [ tsconfig.json -nt "$built" ] || [ package-lock.json -nt "$built" ] \
  || [ -n "$(find src test -name '*.ts' -newer "$built" -print -quit)" ]; then
  show npx tsc -p tsconfig.json --outDir "$distShown" || die "the build failed (see the errors above)"
fi

step "The local stack (scripts/stack.sh up: starts what is not running)"
"$PERCH_ROOT/scripts/stack.sh" up

step "A fresh namespace $ns and Perch's CRDs"
# The demo's own worker and watcher from an earlier run stop first, then the Canary's workflow from
# that run, so this run starts from nothing.
stop_part "demo-$ns-worker"; stop_part "demo-$ns-watcher"; stop_part "demo-$ns-errors"
temporal workflow terminate --address "127.0.0.1:$TEMPORAL_PORT" --workflow-id "canary/$ns/podinfo" \
  --reason 'demo started afresh' >/dev/null 2>&1 || true
show kubectl delete namespace "$ns" --ignore-not-found --timeout=180s
show kubectl create namespace "$ns"
show kubectl apply --server-side --force-conflicts -f deploy/crds/
for crd in $(kubectl get -f deploy/crds/ -o name); do wait_for kube-apiserver 60 condition_true "$crd" Established; done

step "Perch's worker and watcher (task queue $queue, watching namespace $ns only)"
perch_env=(env KUBECONFIG="$KUBECONFIG" TEMPORAL_ADDRESS="$TEMPORAL_ADDRESS"
  PERCH_TASK_QUEUE="$queue" PERCH_WATCH_NAMESPACE="$ns" PERCH_METRICS_SERVER="http://127.0.0.1:$PROMETHEUS_PORT"
  # Webhooks reach in-cluster names (flagger-loadtester.test) through the simulator's proxy.
  NODE_USE_ENV_PROXY=1 HTTP_PROXY="$cluster_proxy" NO_PROXY=127.0.0.1,localhost)
start_part "demo-$ns-worker" "${perch_env[@]}" node "$dist/src/worker.js"
# Node's options as deploy/ starts each process (NODE_FLAGS in test/support/perch.ts).
start_part "demo-$ns-watcher" "${perch_env[@]}" node --max-semi-space-size=2 "$dist/src/watcher.js"
echo "logs: .stack/logs/demo-$ns-worker.log, .stack/logs/demo-$ns-watcher.log"

step "The seed: podinfo 6.0.0 and its HPA, the Canary, the root HTTPProxy"
node "$dist/src/demo/seed.js" manifests "$ns" "${fastArg[@]}" >"$PERCH_RUN/demo-$ns-seed.yaml"
show kubectl apply --server-side --force-conflicts -f "$PERCH_RUN/demo-$ns-seed.yaml"
show kubectl -n "$ns" wait canary/podinfo --for=jsonpath='{.status.phase}'=Initialized --timeout=300s \
  || die "the Canary did not reach Initialized; see .stack/logs/demo-$ns-worker.log"
show kubectl -n "$ns" get deployments,services,httpproxies

host=$(node "$dist/src/demo/seed.js" host "$ns")
if [ $rollback = 1 ]; then
  step "Errors: hey -c 5 -q 5 http://$host/status/500, through the simulator's proxy (the seed's hey)"
  # Bounded, and stopped when the demo ends; its output goes to .stack/logs/demo-$ns-errors.log.
  start_part "demo-$ns-errors" hey -x "$cluster_proxy" -z 30m -c 5 -q 5 "http://$host/status/500"
  trap 'stop_part "demo-$ns-errors"' EXIT
fi

step "New revision: podinfo $image"
rolloutStart=$SECONDS
show kubectl -n "$ns" set image deployment/podinfo "podinfod=ghcr.io/stefanprodan/podinfo:$image"

step "The rollout, live"
watchRc=0
show timeout --foreground "$rolloutLimit" node "$dist/src/cli/main.js" status "$ns/podinfo" --watch --until-finished \
  || watchRc=$?
# The outcome reported is the Canary's. The CLI's 0 and 1 come once the Canary has it; any other
# exit (Temporal away for a moment, a crash) ends only the live view, so the demo waits for it.
if [ $watchRc != 0 ] && [ $watchRc != 1 ] && [ $watchRc != 124 ]; then
  log "the live view stopped (exit $watchRc); waiting for the outcome on the Canary"
fi
until [[ $(phase) =~ ^(Succeeded|Failed)$ ]] || [ $((SECONDS - rolloutStart)) -ge $rolloutLimit ]; do sleep 2; done
[ $rollback = 1 ] && stop_part "demo-$ns-errors"

phase=$(phase || true)
step "Summary"
if [ "$phase" = "$expected" ]; then verdict="as expected"; else verdict="expected $expected"; fi
[ $watchRc = 124 ] && verdict="$verdict; no outcome within $(elapsed rolloutLimit)"
echo "Outcome:    $phase ($verdict)"
echo "Wall time:  $(elapsed SECONDS-t0) in all, $(elapsed SECONDS-rolloutStart) from the new image to the outcome"
# The rollout's Events are the ones marked with it (annotation perch.dev/rollout: when it began, as
# the workflow's state query answers), whatever second anything else happened in.
rollout=$(node "$dist/src/cli/main.js" status "$ns/podinfo" -o json \
  | node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(v.rolloutStartedAt ?? v.lastRollout?.startedAt ?? "")') || true
echo "Events of the rollout begun at ${rollout:-?} (kubectl -n $ns describe canary/podinfo shows them all):"
# Last occurrence order: by lastTimestamp, then by resourceVersion within the same second.
kubectl -n "$ns" get events --field-selector involvedObject.kind=Canary,involvedObject.name=podinfo \
  -o jsonpath='{range .items[*]}{.lastTimestamp}{"\t"}{.metadata.resourceVersion}{"\t"}{.type}{"\t"}{.count}{"\t"}{.metadata.annotations.perch\.dev/rollout}{"\t"}{.message}{"\n"}{end}' \
  | awk -F'\t' -v id="$rollout" 'id != "" && $5 == id' | sort -t$'\t' -k1,1 -k2,2n \
  | awk -F'\t' '{ printf "  %s  %-7s %s%s\n", substr($1, 12, 8), $3, $6, ($4 > 1 ? " (x" $4 ")" : "") }'
cat <<EXPLORE
Explore (export KUBECONFIG=\$PWD/.stack/kubeconfig TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS PERCH_UI_URL=$PERCH_UI_URL first):
  node $distShown/src/cli/main.js status $ns/podinfo     the Canary and its rollout now
  node $distShown/src/cli/main.js history $ns/podinfo    its rollouts, as Temporal recorded them
  kubectl -n $ns describe canary/podinfo
  Temporal UI: $workflowUi
Still running: the stack, Perch's worker and watcher (logs .stack/logs/demo-$ns-*.log).
Take everything down: ./scripts/stack.sh down
EXPLORE
[ "$phase" = "$expected" ]
