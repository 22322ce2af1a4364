"""One id per request, in every log line it causes, including its Celery tasks' lines.

The id is taken from an incoming `X-Request-ID` only when our own proxy sent it (the direct
peer is in TRUSTED_PROXIES, as for X-Forwarded-For in core/addresses.py) and it is
well-formed; otherwise a fresh uuid4 hex. It lives in a contextvar for the request, is
returned as `X-Request-ID`, and travels in a task's message headers: `before_task_publish`
adds it, `task_prerun` binds it (with the task's name and id) in the worker and
`task_postrun` clears it. config/celery.py connects the three; CoreConfig.ready connects
`clear` to `request_finished`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

from core.addresses import from_trusted_proxy

HEADER = "X-Request-ID"
TASK_HEADER = "acus_request_id"
# Letters, digits, dot, dash, underscore: what proxies and load balancers generate (uuids,
# hex, AWS trace ids without '='), short enough for a log line, nothing to inject.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
current_task: ContextVar[tuple[str, str] | None] = ContextVar("current_task", default=None)  # (name, id)


def new_id() -> str:
    return uuid.uuid4().hex


def incoming_id(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    if offered and WELL_FORMED.fullmatch(offered) and from_trusted_proxy(request):
        return offered
    return new_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every line of the request (and its 503s) carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not reset on the way out: Django logs a 404 or 500 (django.request) after the
        # middleware has returned. `request_finished` clears it (CoreConfig.ready).
        current = incoming_id(request)
        request_id.set(current)
        response = self.get_response(request)
        response[HEADER] = current
        return response


def clear(**kwargs: Any) -> None:
    request_id.set(None)


# --- Celery signal receivers -----------------------------------------------------------


def add_to_task_headers(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    current = request_id.get()
    if current and headers is not None:
        headers.setdefault(TASK_HEADER, current)


def bind_for_task(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    from_message = _header_of(task)
    request_id.set(from_message if from_message and WELL_FORMED.fullmatch(from_message) else None)
    current_task.set((getattr(task, "name", "") or "", task_id or ""))


def clear_after_task(**kwargs: Any) -> None:
    request_id.set(None)
    current_task.set(None)


def _header_of(task: Any) -> str | None:
    context = getattr(task, "request", None)
    if context is None:
        return None
    value = getattr(context, TASK_HEADER, None)
    if value is None:  # older message protocols keep custom headers apart
        value = (getattr(context, "headers", None) or {}).get(TASK_HEADER)
    return value if isinstance(value, str) else None
