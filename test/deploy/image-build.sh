#!/usr/bin/env bash
# The Dockerfile's steps without a Docker engine: copies the build context the .dockerignore lets
# through into a temporary folder, runs the build stage's RUN commands there (read from the
# Dockerfile, not repeated here), assembles the runtime stage's files, and starts the worker from
# them as uid 1000 against the local stack's Temporal with the Dockerfile's PERCH_WORKFLOW_BUNDLE.
# Needs the npm registry (npm ci) and the local stack; takes a few minutes. Not part of `npm test`.
#   test/deploy/image-build.sh [work-dir]
source "$(dirname "$0")/../../scripts/lib.sh"
use_toolchain
work=${1:-$(mktemp -d /tmp/perch-image.XXXXXX)}
build=$work/build runtime=$work/runtime
rm -rf "$build" "$runtime" && mkdir -p "$build" "$runtime"
cd "$PERCH_ROOT"

# The build context: what the .dockerignore lets through (it excludes `*`, then allows `!path`s).
mapfile -t context < <(sed -n 's/^!//p' .dockerignore)
[ "${#context[@]}" -gt 0 ] || die "the .dockerignore allows nothing"
for path in "${context[@]}"; do cp -r "$path" "$build/"; done

# The build stage's RUN lines, continuation lines joined.
mapfile -t runs < <(awk '/^FROM /{stage++} stage==1' Dockerfile | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | sed -n 's/^RUN //p')
[ "${#runs[@]}" -gt 0 ] || die "no RUN step found in the Dockerfile's build stage"
for cmd in "${runs[@]}"; do
  log "RUN $cmd"
  (cd "$build" && bash -ec "$cmd") || die "build step failed: $cmd"
done

# The runtime stage's `COPY --from=build /app/<path> ...` lines.
mapfile -t copied < <(sed -n 's|^COPY --from=build /app/\([^ ]*\) .*|\1|p' Dockerfile)
[ "${#copied[@]}" -gt 0 ] || die "the runtime stage copies nothing from the build stage"
for path in "${copied[@]}"; do cp -r "$build/$path" "$runtime/"; done
for dev in typescript eslint typescript-eslint @temporalio/testing; do
  [ ! -e "$runtime/node_modules/$dev" ] || die "dev dependency $dev is still in node_modules"
done
bundle=$(sed -n 's/^ *PERCH_WORKFLOW_BUNDLE=\([^ ]*\).*/\1/p' Dockerfile)
[ -n "$bundle" ] || die "the Dockerfile sets no PERCH_WORKFLOW_BUNDLE"
bundle=${bundle#/app/}
[ -s "$runtime/$bundle" ] || die "no workflow bundle at $bundle"
# The image's node lives in /usr/local/bin; ours is under root's home, which uid 1000 cannot enter.
mkdir -p "$work/bin" && cp "$(command -v node)" "$work/bin/node"
chmod -R a+rX,go-w "$work"
log "runtime: $(du -sh "$runtime/node_modules" | cut -f1) node_modules, bundle $(stat -c %s "$runtime/$bundle") bytes"

# The worker as the image runs it: uid 1000, the bundle, no webpack at start; ready as the
# readiness probe sees it (/readyz answers 200 once the worker polls).
queue=perch-image-$RANDOM
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
out=$work/worker.log
(cd "$runtime" && exec setpriv --reuid=1000 --regid=1000 --clear-groups env -i PATH="$work/bin:/usr/bin:/bin" HOME=/tmp \
  NODE_ENV=production PERCH_WORKFLOW_BUNDLE="$runtime/$bundle" TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT \
  PERCH_TASK_QUEUE="$queue" PERCH_HTTP_ADDRESS=127.0.0.1:$port KUBECONFIG=/dev/null node dist/src/worker.js) >"$out" 2>&1 &
pid=$!
ready=
for _ in $(seq 1 60); do
  if curl -fsS --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$out"; die "the worker exited"; }
  sleep 1
done
[ -n "$ready" ] || { cat "$out"; kill "$pid"; die "the worker was not ready in 60 s"; }
curl -fsS --max-time 5 -o "$work/metrics.txt" "http://127.0.0.1:$port/metrics" && grep -q '^# HELP ' "$work/metrics.txt" ||
  { kill "$pid"; die "/metrics served no Prometheus exposition"; }
# The SDK logs this only when it runs webpack itself, i.e. when the bundle was not used.
! grep -q 'Workflow bundle created' "$out" || { kill "$pid"; die "the worker bundled at start despite PERCH_WORKFLOW_BUNDLE"; }
kill -TERM "$pid"; wait "$pid" || true
grep -q '"msg":"worker stopped"' "$out" || { cat "$out"; die "the worker did not stop cleanly on SIGTERM"; }
log "image steps OK: worker ready from $bundle as uid 1000, drained on SIGTERM ($work)"
