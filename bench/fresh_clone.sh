#!/usr/bin/env bash
# How long README's two commands take from a fresh clone.
#
#   bash bench/fresh_clone.sh run cold    clone, `make run` until /healthz answers 200 (empty pip cache)
#   bash bench/fresh_clone.sh run warm    the same with the machine's pip cache
#   bash bench/fresh_clone.sh test cold   clone, `make test` against $DATABASE_URL / $REDIS_URL
#   bash bench/fresh_clone.sh test warm
#
# Clones HEAD of this checkout into a temporary folder, prints the wall time, removes the folder.
# "cold" points pip and npm at empty caches, so every package is downloaded again.
set -euo pipefail
what="${1:?run or test}"
cache="${2:?cold or warm}"
source_repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git clone -q "$source_repo" "$work/acus"
cd "$work/acus"
if [ "$cache" = cold ]; then
  export PIP_CACHE_DIR="$work/pip-cache" npm_config_cache="$work/npm-cache"
fi
start=$(date +%s.%N)

case "$what" in
  run)
    port="${PORT:-8177}"
    # Its own process group, so one signal stops make, the web server and the worker together.
    PORT="$port" setsid make run >"$work/run.log" 2>&1 &
    runner=$!
    for _ in $(seq 600); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then break; fi
      kill -0 "$runner" 2>/dev/null || { cat "$work/run.log"; exit 1; }
      sleep 0.5
    done
    end=$(date +%s.%N)
    grep -q "admin@example.com" "$work/run.log" || { echo "make run printed no demo sign-ins"; exit 1; }
    kill -TERM -- "-$runner"
    wait "$runner" || true
    ;;
  test)
    make test >"$work/test.log" 2>&1 || { tail -40 "$work/test.log"; exit 1; }
    end=$(date +%s.%N)
    tail -1 "$work/test.log"
    ;;
  *) echo "usage: $0 run|test cold|warm" >&2; exit 2 ;;
esac
printf 'make %s from a fresh clone, %s cache: %.0f s (revision %s, load %s)\n' \
  "$what" "$cache" "$(python3 -c "print($end - $start)")" "$(git rev-parse --short HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)"
