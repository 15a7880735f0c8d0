#!/usr/bin/env bash
# helm (the chart tests install charts/perch with it) and actionlint (`npm run lint` checks
# .github/workflows with it), from the Go module proxy, once per version, built side by side; and
# the Prometheus Operator's ServiceMonitor and PodMonitor CRDs, which the chart's monitors are
# checked against (copied from its module, nothing of it is built).
source "$(dirname "$0")/../lib.sh"
export GOTOOLCHAIN=local CGO_ENABLED=0

# build NAME VERSION PACKAGE@VERSION [LDFLAGS]: `go install` (neither module has replace directives).
build() {
  local name=$1 version=$2 pkg=$3 ldflags="-s -w ${4:-}" t0=$SECONDS
  have_stamp "$name" "$version" && [ -x "$TOOLS_BIN/$name" ] && return 0
  log "go install $pkg"
  GOBIN=$TOOLS_BIN go install -trimpath -ldflags "$ldflags" "$pkg"
  put_stamp "$name" "$version"
  log "built $name $version in $((SECONDS - t0))s"
}

# Helm's own release builds set its version this way (its Makefile); `helm version` shows it.
build helm "$HELM_VERSION" "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" \
  "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.metadata=" &
helm=$!
build actionlint "$ACTIONLINT_VERSION" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" &
actionlint=$!
crds=$PERCH_CACHE/prometheus-operator-crds-$PROMETHEUS_OPERATOR_VERSION.yaml
if [ ! -s "$crds" ]; then
  src=$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
    | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')/example/prometheus-operator-crd
  { cat "$src/monitoring.coreos.com_servicemonitors.yaml"; echo '---'; cat "$src/monitoring.coreos.com_podmonitors.yaml"; } >"$crds.tmp"
  mv "$crds.tmp" "$crds"
fi
wait "$helm" || die "building helm $HELM_VERSION failed"
wait "$actionlint" || die "building actionlint $ACTIONLINT_VERSION failed"
