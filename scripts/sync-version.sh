#!/usr/bin/env bash
# Writes package.json's version, Perch's one version, where other files must repeat it: the chart's
# version and appVersion (the image tag it installs) and the image tag of the kustomize install.
# `npm version <new>` runs this (package.json "version" script) before it commits and tags v<new>;
# the tag starts the release workflow. test/deploy/chart.test.ts checks the copies agree.
source "$(dirname "$0")/lib.sh"
cd "$PERCH_ROOT"
version=$(sed -n 's/^  "version": "\([^"]*\)",$/\1/p' package.json)
[ -n "$version" ] || die "no version in package.json"
sed -i -e "s/^version: .*/version: $version/" -e "s/^appVersion: .*/appVersion: \"$version\"/" charts/perch/Chart.yaml
sed -i "s/^    newTag: .*/    newTag: $version/" deploy/base/kustomization.yaml
grep -qx "appVersion: \"$version\"" charts/perch/Chart.yaml && grep -qx "    newTag: $version" deploy/base/kustomization.yaml \
  || die "could not write $version into charts/perch/Chart.yaml and deploy/base/kustomization.yaml"
log "version $version in charts/perch/Chart.yaml and deploy/base/kustomization.yaml"
