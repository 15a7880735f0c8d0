# Background processes of the local stack: one PID file and one log per part under $PERCH_RUN.
# Sourced by scripts/stack.sh.

is_running() { local pid; pid=$(cat "$PERCH_RUN/pids/$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }

# start_part NAME COMMAND...: runs COMMAND in its own session, so `down` can stop its whole group.
start_part() {
  local name=$1; shift
  mkdir -p "$PERCH_RUN/pids" "$PERCH_RUN/logs"
  if is_running "$name"; then return 0; fi
  setsid "$@" >>"$PERCH_RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$PERCH_RUN/pids/$name.pid"
}

# wait_for NAME SECONDS PROBE...: polls PROBE until it succeeds; on timeout names the part and shows
# the tail of its log, so a failed start says which part failed and why.
wait_for() {
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 30 "$PERCH_RUN/logs/$name.log" >&2 || true
      die "$name exited during start (log: $PERCH_RUN/logs/$name.log)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$PERCH_RUN/logs/$name.log" >&2 || true
      die "$name did not become ready within ${seconds}s (log: $PERCH_RUN/logs/$name.log)"
    fi
    sleep 0.3
  done
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
