#!/usr/bin/env bash
# CI: a venv built from requirements.txt ALONE (no requirements-dev.txt) imports every module of the
# project and runs a task end to end through a worker on the real Redis. Catches an unpinned run-time
# dependency that the dev tools happen to bring in (kombu's redis transport needs `packaging`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
REDIS=${REDIS:-redis://127.0.0.1:6379/14}
# Inside .venv so that compilemessages/makemessages (--ignore=.venv), ruff and the i18n test skip it.
VENV=.venv/runtime
stamp=$(sha256sum requirements.txt | cut -c1-16)
if [ ! -f "$VENV/.stamp-$stamp" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -r requirements.txt
  touch "$VENV/.stamp-$stamp"
fi
DATABASE_URL= VAR_DIR=$(mktemp -d) CELERY_BROKER_URL="$REDIS" "$VENV/bin/python" scripts/import_all.py
VENV_PY="$VENV/bin/python" REDIS="$REDIS" "$VENV/bin/python" scripts/runtime_check.py
echo "runtime check: ok"
