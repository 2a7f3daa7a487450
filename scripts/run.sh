#!/usr/bin/env bash
# make run: the web server, a Celery worker and beat in one foreground command; Ctrl-C stops them all.
set -uo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DEBUG=${DEBUG:-1}
# Listening on every address (HOST=0.0.0.0): accept any host name unless ALLOWED_HOSTS says otherwise.
if [ "$HOST" = "0.0.0.0" ] && [ -z "${ALLOWED_HOSTS:-}" ]; then
  export ALLOWED_HOSTS="*"
fi
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  echo "stopped."
}
trap cleanup INT TERM EXIT
"$PY" -m celery -A logistics worker --beat --loglevel=warning --concurrency=1 --schedule var/celerybeat-schedule &
pids+=($!)
cat <<MSG

  Houqin is running at http://${HOST}:${PORT}/   (Ctrl-C stops the web server, worker and beat)
  Demo users (password demo1234): logistics_head.1, principal.1, teacher.1, repair_worker.1,
  logistics_staff.1, finance_officer.1, canteen_manager.1, canteen_staff.1, guard.1, parent.1,
  the same with .2 for the second school, and district.officer.

MSG
"$PY" manage.py runserver "${HOST}:${PORT}" --noreload &
pids+=($!)
wait -n "${pids[@]}"
