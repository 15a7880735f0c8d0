#!/usr/bin/env bash
# Checks the GitHub workflows in .github/workflows with actionlint (part of `npm run lint`). It cannot
# run them here; it checks their syntax, expressions, action inputs and runner labels.
source "$(dirname "$0")/lib.sh"
cd "$PERCH_ROOT"
[ -x "$TOOLS_BIN/actionlint" ] || die "no actionlint in $TOOLS_BIN: run ./scripts/install.sh"
"$TOOLS_BIN/actionlint"
