"""Log records as JSON lines: one object per line, for every process (web, worker, beat).

Fields: time (UTC, ISO 8601), level, logger, message, and when known request_id, task and
task_id (core/request_id.py), process, and the formatted traceback as `exception`. The
message is the record's text after the loggers' filters ran (core/log_redaction.py), so
what those keep out stays out here too."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from core import request_id

GUNICORN_ACCESS = "gunicorn.access"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        rid = request_id.request_id.get() or _access_request_id(record)
        if rid:
            line["request_id"] = rid
        task = request_id.current_task.get()
        if task is not None:
            line["task"], line["task_id"] = task
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def _access_request_id(record: logging.LogRecord) -> str | None:
    # gunicorn logs its access line after the response, with the atoms as the record's args:
    # the response's X-Request-ID header is among them.
    if record.name == GUNICORN_ACCESS and isinstance(record.args, dict):
        value = record.args.get("{x-request-id}o")
        return value if isinstance(value, str) and value not in ("", "-") else None
    return None
