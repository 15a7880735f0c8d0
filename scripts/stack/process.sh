# Background processes of the local stack: one PID file and one log per part under $PERCH_RUN.
# Sourced by scripts/stack.sh and scripts/demo.sh.

is_running() { local pid; pid=$(cat "$PERCH_RUN/pids/$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }

# start_part NAME COMMAND...: runs COMMAND in its own session, so `down` can stop its whole group.
start_part() {
  local name=$1; shift
  mkdir -p "$PERCH_RUN/pids" "$PERCH_RUN/logs"
  if is_running "$name"; then return 0; fi
  setsid "$@" >>"$PERCH_RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$PERCH_RUN/pids/$name.pid"
}

# wait_for NAME SECONDS PROBE...: runs PROBE until it succeeds, the time runs out or part NAME exits.
# Every wait of the scripts goes through here: a probe that fails because its object has no status
# yet is simply tried again. On failure it names the part and shows the probe's last output and the
# tail of the part's log, so a failed start says which part failed and why.
wait_for() {
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds)) out problem=''
  until out=$("$@" 2>&1); do
    if ! is_running "$name"; then problem="exited"
    elif [ $SECONDS -ge $deadline ]; then problem="did not become ready within ${seconds}s"
    fi
    if [ -n "$problem" ]; then
      tail -n 30 "$PERCH_RUN/logs/$name.log" >&2 || true
      [ -z "$out" ] || log "last check ($*): $out"
      die "$name $problem (log: $PERCH_RUN/logs/$name.log)"
    fi
    sleep 0.3
  done
}

# condition_true OBJECT TYPE: the object's status condition TYPE is True. False, not an error, while
# the object has no status yet (where `kubectl wait --for=condition` fails at once).
condition_true() {
  local status
  status=$(kubectl get "$1" --request-timeout=5s -o jsonpath="{.status.conditions[?(@.type==\"$2\")].status}")
  [ "$status" = True ] || { echo "$1: condition $2 is ${status:-not reported yet}"; return 1; }
}

# in_parallel FUNCTION...: runs start functions side by side; fails when one of them fails.
in_parallel() {
  local pids=() pid failed=0
  for f in "$@"; do "$f" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ $failed = 0 ] || die "$* did not all start (see above)"
}

stop_part() {
  local name=$1 pid
  pid=$(cat "$PERCH_RUN/pids/$name.pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PERCH_RUN/pids/$name.pid"
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$@"; }
