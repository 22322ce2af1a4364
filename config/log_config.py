"""Logging for every process: one plain console format, query strings kept out of request lines."""

from __future__ import annotations

from typing import Any


def logging_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        # Query strings carry patients' names and emails (the audit search): request lines keep the path only.
        "filters": {"redact_query": {"()": "core.log_redaction.RedactQueryStrings"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"filters": ["redact_query"], "level": "INFO"},
            "django.request": {"filters": ["redact_query"]},
            "django.db.backends": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # Its DEBUG lines name each request's path: an ICS address's path is its secret (calendars.net).
            "urllib3": {"level": "WARNING"},  # dozens of INFO lines per PDF otherwise
        },
    }
