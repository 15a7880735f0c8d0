#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler and kubectl at $K8S_VERSION from the
# Go module proxy. `go install k8s.io/kubernetes/...@v` is refused (its go.mod replaces the staging
# modules with local paths), so a throwaway wrapper module requires k8s.io/kubernetes and points each
# staging module at its published v0.X.Y tag, read from the downloaded go.mod rather than hard-coded.
source "$(dirname "$0")/../lib.sh"
out=$TOOLS_BIN/k8s-$K8S_VERSION
have_stamp kubernetes "$K8S_VERSION" && [ -x "$out/kube-apiserver" ] && exit 0

log "building Kubernetes $K8S_VERSION (cold: about 15-25 minutes on 2 cores)"
minor=${K8S_VERSION#v1.}
wrap=$PERCH_CACHE/build/k8s-wrap-$K8S_VERSION
rm -rf "$wrap" && mkdir -p "$wrap" "$out" && cd "$wrap"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
go mod init local/k8sbin >/dev/null 2>&1
go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
for m in $(awk '/^replace \(/{f=1;next} f&&/^\)/{f=0} f&&$1~/^k8s\.io\//{print $1}' "$gomod"); do
  go mod edit -replace="$m=$m@v0.$minor"
done
godebug=$(awk '/^godebug/{print $2}' "$gomod")
[ -n "$godebug" ] && go mod edit -godebug="$godebug"
cmds="kube-apiserver kube-controller-manager kube-scheduler kubectl"
for c in $cmds; do go get -tool "k8s.io/kubernetes/cmd/$c@$K8S_VERSION"; done
ldf="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldf+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${minor%%.*} -X $p.gitTreeState=clean"
done
for c in $cmds; do
  log "  go build $c"
  go build -p 2 -trimpath -ldflags "$ldf" -o "$out/$c" "k8s.io/kubernetes/cmd/$c"
done
"$out/kube-apiserver" --version
put_stamp kubernetes "$K8S_VERSION"
