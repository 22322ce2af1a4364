"""gunicorn's own log lines (start-up, worker deaths, the access log) in the format of every
other line: `gunicorn --config python:config.gunicorn` (docker-compose.yml, the Dockerfile).
The access log's format stays on the command line, where tests/compliance checks that it
names the path and never the query string; a JSON access line takes its request_id from the
response's X-Request-ID (core/log_json.py).

With PROMETHEUS_MULTIPROC_DIR set, every worker writes its metrics to that folder and any
worker's /metrics sums them (core/multiprocess.py): the master clears what earlier runs
left before it forks, and a worker that exits has its live gauges removed."""

from __future__ import annotations

from typing import Any

from config.log_config import gunicorn_logging
from config.observability import log_format
from core import multiprocess

logconfig_dict = gunicorn_logging(log_format())


def on_starting(server: Any) -> None:
    multiprocess.remove_stale_files()


def child_exit(server: Any, worker: Any) -> None:
    multiprocess.process_exited(worker.pid)
