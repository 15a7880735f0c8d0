#!/usr/bin/env bash
# helm, with which the chart tests render and install charts/perch, from the Go module proxy, once per
# version; and the Prometheus Operator's ServiceMonitor and PodMonitor CRDs, which the chart's
# monitors are checked against (copied from its module, nothing of it is built).
source "$(dirname "$0")/../lib.sh"
crds=$PERCH_CACHE/prometheus-operator-crds-$PROMETHEUS_OPERATOR_VERSION.yaml
if [ ! -s "$crds" ]; then
  src=$(GOTOOLCHAIN=local go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
    | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')/example/prometheus-operator-crd
  { cat "$src/monitoring.coreos.com_servicemonitors.yaml"; echo '---'; cat "$src/monitoring.coreos.com_podmonitors.yaml"; } >"$crds.tmp"
  mv "$crds.tmp" "$crds"
fi
# Helm's own release builds set its version this way (its Makefile); `helm version` shows it.
go_install helm "$HELM_VERSION" "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" \
  "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.metadata="
