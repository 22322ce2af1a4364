"""Logging for every process: JSON lines (LOG_FORMAT=json, the default) or the old plain
console format (LOG_FORMAT=plain, what `make run` uses); query strings kept out of request lines.

Celery configures its own logging unless someone answers its `setup_logging` signal;
config/celery.py does, with this same dictionary, so the worker and beat write what the
web does. gunicorn's own lines (access and errors) use `gunicorn_logging` (config/gunicorn.py)."""

from __future__ import annotations

from typing import Any

FORMATTERS: dict[str, dict[str, Any]] = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {"()": "core.log_json.JsonFormatter"},
}


def logging_config(level: str, log_format: str = "json") -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {log_format: FORMATTERS[log_format]},
        "filters": {
            # Query strings carry patients' names and emails (the audit search): request lines keep the path only.
            "redact_query": {"()": "core.log_redaction.RedactQueryStrings"},
            # Beat's traceback on every tick while the broker is down becomes one line per change.
            "beat_outage": {"()": "core.outages.CollapseBeatBrokerErrors"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default adds a DEBUG-only console handler of its own (plain "%(message)s"
            # lines beside ours) and mail_admins: both replaced by the root handler alone.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"filters": ["redact_query"], "level": "INFO", "propagate": True},  # runserver lines
            "django.request": {"filters": ["redact_query"]},
            "django.db.backends": {"level": "WARNING"},
            "celery.beat": {"filters": ["beat_outage"]},
            "axes": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # Its DEBUG lines name each request's path: an ICS address's path is its secret (calendars.net).
            "urllib3": {"level": "WARNING"},  # dozens of INFO lines per PDF otherwise
        },
    }


def gunicorn_logging(log_format: str) -> dict[str, Any]:
    """gunicorn's logconfig_dict: its error and access loggers, in the same format, to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"acus": FORMATTERS[log_format]},
        "filters": {"redact_query": {"()": "core.log_redaction.RedactQueryStrings"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "acus",
                "filters": ["redact_query"],
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
