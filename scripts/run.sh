#!/usr/bin/env bash
# `make run`: the web server and a Celery worker with beat, stopped together on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"
# Readable lines for a developer; production and docker-compose write JSON lines (the default).
export LOG_FORMAT="${LOG_FORMAT:-plain}"
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
  # Celery gets TERM on its main process only, so it stops its own pool and beat
  # (a warm shutdown); signalling its children too can hang that shutdown.
  # Whatever is still alive after 10 s is killed, group and all.
  kill -TERM "$worker" 2>/dev/null || true
  kill -TERM -- "-$web" 2>/dev/null || true  # runserver and its autoreloader child
  for _ in $(seq 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit 0
}
trap stop INT TERM EXIT

# No gossip or mingle (as in docker-compose.yml): Acus needs neither, and gossip logged a
# traceback on every broker loss.
.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 --without-gossip --without-mingle \
  --schedule="var/celerybeat-schedule" >var/worker.log 2>&1 &
worker=$!
$PY manage.py runserver "127.0.0.1:${PORT}" &
web=$!
pids=("$worker" "$web")

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
