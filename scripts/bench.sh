#!/usr/bin/env bash
# Perch beside Flagger 1.44 on the local stack: the seed's Canary, its rollouts on an in-memory cluster
# (the floor), fleets of N Canaries and a crowded namespace, each scenario for both controllers in one
# run. Prints the tables with the Perch/Flagger ratios; writes results.json, report.md and charts (PNG)
# to .stack/bench/. docs/performance.md explains every figure.
#
#   ./scripts/bench.sh                       every scenario, fleets of 100, 300 and 1000 (about 1.5 h)
#   ./scripts/bench.sh --size 10             every scenario, a fleet of 10 (~10 min)
#   ./scripts/bench.sh --scenario seed,floor,fleet --size 100,300
#   add --docs                               also write the figures and charts into docs/performance.md
#
# Installs what is missing (Node, the stack, Flagger built from the Go module proxy, matplotlib from
# PyPI in a venv), all cached under ~/.cache/perch. Honours PERCH_PORT_OFFSET like the stack.
# CI keeps it working through test/bench/smoke.test.ts (a fleet of 2, a small crowd and one
# round of the floor, in npm test).
source "$(dirname "$0")/lib.sh"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
scenario=seed,fleet,crowded size=100,300,1000 docs=0
while [ $# -gt 0 ]; do
  case $1 in
    --scenario) scenario=${2:?--scenario needs a value}; shift ;;
    --size) size=${2:?--size needs a value}; shift ;;
    --docs) docs=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
MATPLOTLIB_VERSION=3.11.2
out=$PERCH_RUN/bench

use_toolchain
cd "$PERCH_ROOT"
npm_deps
npm run --silent build
"$PERCH_ROOT/scripts/stack.sh" up >&2

buildArg=()
if ! have_stamp flagger-loopback "$FLAGGER_VERSION"; then
  t0=$SECONDS
  "$PERCH_ROOT/scripts/install/flagger.sh"
  buildArg=(--flagger-build-seconds $((SECONDS - t0)))
fi
venv=$PERCH_CACHE/venv-matplotlib-$MATPLOTLIB_VERSION
if ! have_stamp matplotlib "$MATPLOTLIB_VERSION"; then
  log "installing matplotlib $MATPLOTLIB_VERSION from PyPI into $venv"
  rm -rf "$venv" && python3 -m venv "$venv" && "$venv/bin/pip" install -q "matplotlib==$MATPLOTLIB_VERSION"
  put_stamp matplotlib "$MATPLOTLIB_VERSION"
fi

rm -rf "$out" && mkdir -p "$out"
rc=0
# Bounded as a whole too: every wait inside has its own bound; this one catches the unforeseen.
timeout 4h node dist/test/bench/main.js --scenario "$scenario" --size "$size" --out "$out" \
  --flagger "$TOOLS_BIN/flagger" --flagger-version "$FLAGGER_VERSION" "${buildArg[@]}" || rc=$?
if [ -s "$out/results.json" ]; then
  before=(); [ -s docs/performance/before.json ] && before=(docs/performance/before.json)
  "$venv/bin/python" scripts/bench/charts.py "$out/results.json" "$out" "${before[@]}"
  [ $docs = 1 ] && node dist/test/bench/docs.js "$out" docs/performance.md
fi
log "bench finished (exit $rc); figures in $out"
exit $rc
