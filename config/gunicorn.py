"""gunicorn's own log lines (start-up, worker deaths, the access log) in the format of every
other line: `gunicorn --config python:config.gunicorn` (docker-compose.yml, the Dockerfile).
The access log's format stays on the command line, where tests/compliance checks that it
names the path and never the query string; a JSON access line takes its request_id from the
response's X-Request-ID (core/log_json.py)."""

from __future__ import annotations

from config.log_config import gunicorn_logging
from config.observability import log_format

logconfig_dict = gunicorn_logging(log_format())
