#!/usr/bin/env bash
# make run: the web server, a Celery worker and beat in one foreground command; Ctrl-C stops them all.
# Each process is supervised: one that dies is reported and restarted (after 2 s; at most 5 times a
# minute, then reported and left stopped), and the others keep running — the web keeps serving.
set -uo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR=${VAR_DIR:-var}
export DEBUG=${DEBUG:-1}
# Listening on every address (HOST=0.0.0.0): accept any host name unless ALLOWED_HOSTS says otherwise.
if [ "$HOST" = "0.0.0.0" ] && [ -z "${ALLOWED_HOSTS:-}" ]; then
  export ALLOWED_HOSTS="*"
fi
# The public address printed in room posters, labels and emails: this server's HOST and PORT (on
# 0.0.0.0, the address each request came in on). SITE_URL set by hand (a domain) wins.
if [ -z "${SITE_URL:-}" ] && [ "$HOST" != "0.0.0.0" ]; then
  export SITE_URL="http://${HOST}:${PORT}"
fi
mkdir -p "$VAR/run"

# supervise NAME COMMAND...: run COMMAND, restart it when it exits; its pid is in $VAR/run/NAME.pid.
supervise() {
  local name=$1
  shift
  local child="" starts=()
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while :; do
    "$@" &
    child=$!
    echo "$child" >"$VAR/run/$name.pid"
    wait "$child"
    local code=$?
    local now
    now=$(date +%s)
    starts=("${starts[@]}" "$now")
    local recent=()
    for t in "${starts[@]}"; do
      [ $((now - t)) -lt 60 ] && recent+=("$t")
    done
    starts=("${recent[@]}")
    if [ "${#starts[@]}" -ge 5 ]; then
      echo "houqin: $name exited (code $code) 5 times in a minute; not restarting it (the rest keeps running)" >&2
      rm -f "$VAR/run/$name.pid"
      while :; do
        sleep 3600 &
        child=$!
        wait "$child"
      done
    fi
    echo "houqin: $name exited (code $code); restarting it in 2 s" >&2
    sleep 2
  done
}

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  echo "stopped."
}
trap cleanup INT TERM EXIT
supervise worker "$PY" -m celery -A logistics worker --beat --loglevel=warning --concurrency=1 \
  --schedule "$VAR/celerybeat-schedule" &
pids+=($!)
cat <<MSG

  Houqin is running at http://${HOST}:${PORT}/   (Ctrl-C stops the web server, worker and beat)
  Demo users (password demo1234): logistics_head.1, principal.1, teacher.1, repair_worker.1,
  logistics_staff.1, finance_officer.1, canteen_manager.1, canteen_staff.1, guard.1, parent.1,
  the same with .2 for the second school, and district.officer.

MSG
supervise web "$PY" manage.py runserver "${HOST}:${PORT}" --noreload &
pids+=($!)
wait "${pids[@]}"
