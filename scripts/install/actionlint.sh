#!/usr/bin/env bash
# actionlint, which `npm run lint` runs on .github/workflows (scripts/actionlint.sh), from the Go
# module proxy, once per version.
source "$(dirname "$0")/../lib.sh"
go_install actionlint "$ACTIONLINT_VERSION" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
