#!/usr/bin/env bash
# `make run`: the web server and a Celery worker with beat, stopped together on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
mkdir -p var

$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo

# Each child gets its own process group (set -m) so one kill stops it and
# everything it forked: runserver's reloader, Celery's pool and beat.
set -m
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Acus..."
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  exit 0
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
  --schedule="var/celerybeat-schedule" >var/worker.log 2>&1 &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)

broker="file-system broker under var/broker"
[ -n "${REDIS_URL:-}" ] && broker="Redis"
database="SQLite at var/acus.sqlite3"
[ -n "${DATABASE_URL:-}" ] && database="DATABASE_URL"
cat <<TXT

Acus is running (database: ${database}; Celery: ${broker}; worker log: var/worker.log).
  Patient pages:  ${SITE_URL}/
  Staff sign-in:  ${SITE_URL}/staff/signin/
  Admin:          ${SITE_URL}/admin/
  API docs:       ${SITE_URL}/api/v1/docs/
  Health:         ${SITE_URL}/healthz
Press Ctrl-C to stop everything.
TXT
wait -n "${pids[@]}" || true
echo "A process stopped; shutting down the rest."
