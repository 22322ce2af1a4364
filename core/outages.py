"""An expected outage logs one line when it starts and one when it ends, not one per tick.

Probes hit /healthz every few seconds and beat sends a task every few seconds: while
PostgreSQL or Redis is down, logging each failure buried the one line an operator needs
(an outside drill counted 64 ERROR lines for one 15-second database stop). The state is per
process (a module-level dictionary), so each process says it once."""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger("core.outages")
_lock = threading.Lock()
_down: dict[str, str] = {}  # part -> the error that took it down


def note(part: str, error: str | None) -> None:
    """Note the state of `part` (database, broker); log only when it changes."""
    with _lock:
        was_down = part in _down
        if error is not None and not was_down:
            _down[part] = error
        elif error is None and was_down:
            del _down[part]
        else:
            return
    if error is not None:
        log.warning("%s unreachable (%s); saying nothing more until it is back", part, error)
    else:
        log.info("%s reachable again", part)


def is_down(part: str) -> bool:
    return part in _down


# --- Celery beat ------------------------------------------------------------------------

BROKER = "broker"
_CONNECTION_ERRORS = ("OperationalError", "ConnectionError", "TimeoutError", "ConnectionRefusedError")


class CollapseBeatBrokerErrors(logging.Filter):
    """On the `celery.beat` logger: beat logs "Message Error" with a SchedulingError traceback
    for every entry it cannot send. When the cause is the broker connection, the first becomes
    one WARNING (core.outages) and the rest are dropped until a task is published again
    (`broker_published`, on Celery's after_task_publish), which logs one INFO. Any other
    scheduling error is logged as Celery wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = _broker_error(record)
        if error is None:
            return True
        note(BROKER, f"beat cannot send scheduled tasks: {error}")  # logs only the first
        return False


def broker_published(**kwargs: Any) -> None:
    if is_down(BROKER):
        note(BROKER, None)


def _broker_error(record: logging.LogRecord) -> str | None:
    if not record.exc_info or record.exc_info[1] is None:
        return None
    exc: BaseException | None = record.exc_info[1]
    if type(exc).__name__ != "SchedulingError":
        return None
    while exc is not None:
        if isinstance(exc, OSError) or type(exc).__name__ in _CONNECTION_ERRORS:
            return type(exc).__name__
        exc = exc.__cause__ or exc.__context__
    return None
