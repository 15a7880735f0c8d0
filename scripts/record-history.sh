#!/usr/bin/env bash
# Records one closed run of a canary workflow as a replay fixture: test/histories/<name>.json, which
# test/replay/replay.test.ts replays against the current workflow code on every test run.
#
#   scripts/record-history.sh <workflow-id> <run-id> <name>
#   scripts/record-history.sh canary/e2e-controls/podinfo 8c528109-d65a-4003-be04-e3af7801893f manual-promote
#
# Find runs with: $TOOLS_BIN/temporal workflow list --address 127.0.0.1:7233 \
#   --query "WorkflowType='canaryWorkflow' AND ExecutionStatus!='Running'"
# Prefer ContinuedAsNew runs: each holds one whole rollout. Name the file by what the run covers.
# Payloads are stored as they are on the server, so check a new file for secrets before committing.
source "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: $0 <workflow-id> <run-id> <name>"
workflow_id=$1 run_id=$2 name=$3
[[ $name =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "name must be lower-case words joined by dashes: $name"
address=${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}
out=$PERCH_ROOT/test/histories/$name.json

mkdir -p "$(dirname "$out")"
# Through a temporary file, so a failed export never leaves a truncated fixture behind.
trap 'rm -f "$out.tmp"' EXIT
"$PERCH_ROOT/scripts/install/temporal.sh" >/dev/null   # the CLI, when the cache does not have it yet
"$TOOLS_BIN/temporal" workflow show -w "$workflow_id" -r "$run_id" --address "$address" -o json >"$out.tmp" \
  || die "cannot read $workflow_id ($run_id) from Temporal at $address; is the stack up? (./scripts/stack.sh up)"
mv "$out.tmp" "$out"
log "recorded $workflow_id ($run_id) into ${out#"$PERCH_ROOT"/}: $(grep -c '"eventId"' "$out") events"
