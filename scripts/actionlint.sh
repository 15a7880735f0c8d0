#!/usr/bin/env bash
# Checks the GitHub workflows in .github/workflows with actionlint (part of `npm run lint`). It cannot
# run them here; it checks their syntax, expressions, action inputs and runner labels.
source "$(dirname "$0")/lib.sh"
cd "$PERCH_ROOT"
"$PERCH_ROOT/scripts/install/actionlint.sh"   # once per version
"$TOOLS_BIN/actionlint"
