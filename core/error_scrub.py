"""What may leave for the error tracker (Sentry): the shape of a failure, never a person.

Events are built from the request, the stack, log breadcrumbs and whatever code attached.
Rather than list every field that may hold a name, an email, a phone number, a date of
birth, a screening answer or a signature, we drop the parts that carry people wholesale
(request body, query string, cookies, headers, user, local variables, a log message's
arguments), blank any value under a key that names personal data, and replace anything
that looks like an email, a phone number (E.164) or a date in the text that remains.
`scrub_event` is both `before_send` and `before_send_transaction`, `scrub_breadcrumb` is
`before_breadcrumb` (config/observability.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from core import request_id
from core.log_redaction import redact

if TYPE_CHECKING:
    from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

FILTERED = "[Filtered]"
# Request headers that say nothing about the person: the rest (Authorization, Cookie,
# X-CSRFToken, X-Forwarded-For, Referer...) never leaves.
SAFE_HEADERS = frozenset({"accept", "content-type", "content-length", "user-agent", "x-request-id"})
PERSONAL_KEY = re.compile(
    r"name|e[-_]?mail|phone|mobile|tel|birth|dob|answer|screening|signature|signed|sign_?in|password|passw"
    r"|secret|token|code|cookie|csrf|session|auth|address|_ip$|^ip|note|body|text|data|params|query|kwargs|args",
    re.IGNORECASE,
)
# Keys the SDK uses for the event's own structure, kept even when they match above.
STRUCTURAL_KEYS = frozenset({"type", "category", "level", "timestamp", "logger", "module", "function"})
EMAIL = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+\d[\d \-().]{6,18}\d")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")
# The SDK's own values (datetimes until serialised, package versions), left as they are.
UNTOUCHED_KEYS = frozenset({"timestamp", "start_timestamp", "modules", "sdk"})
# PostgreSQL repeats the offending values: "Key (email)=(alice@example.com) already exists."
PG_DETAIL = re.compile(r"(Key \([^)]*\)=\()[^)]*(\))")


def scrub_event(sent: Event, hint: Hint | None = None) -> Event:
    event = cast(dict[str, Any], sent)
    _scrub_request(event)
    event.pop("user", None)
    event.pop("extra", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):  # keep the template, drop what was formatted into it
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if isinstance(crumb, dict) and "data" in crumb:
            crumb["data"] = _by_key(crumb["data"])
    for span in event.get("spans") or []:
        if isinstance(span, dict):
            span.pop("data", None)
    current = request_id.request_id.get()
    if current:
        event.setdefault("tags", {})["request_id"] = current
    return cast("Event", _text(event))


def scrub_breadcrumb(sent: Breadcrumb, hint: BreadcrumbHint | None = None) -> Breadcrumb:
    """A log line's breadcrumb keeps its template ("signing for %s"), not the values formatted in."""
    crumb: dict[str, Any] = sent
    record = (hint or {}).get("log_record")
    if record is not None and record.args:
        crumb["message"] = str(record.msg)
    if "data" in crumb:
        crumb["data"] = _by_key(crumb["data"])
    return cast("Breadcrumb", _text(crumb))


def _scrub_request(event: dict[str, Any]) -> None:
    request = event.get("request")
    if not isinstance(request, dict):
        return
    for part in ("data", "query_string", "cookies", "env"):
        request.pop(part, None)
    if isinstance(request.get("url"), str):
        request["url"] = request["url"].split("?", 1)[0]
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {k: v for k, v in headers.items() if str(k).lower() in SAFE_HEADERS}


def _by_key(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: FILTERED if PERSONAL_KEY.search(str(k)) and k not in STRUCTURAL_KEYS else _by_key(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_by_key(item) for item in value]
    return value


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: v if k in UNTOUCHED_KEYS else _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(item) for item in value]
    return value


def scrub_text(text: str) -> str:
    text = PG_DETAIL.sub(rf"\1{FILTERED}\2", text)
    text = EMAIL.sub(FILTERED, text)
    text = PHONE.sub(FILTERED, text)
    text = DATE.sub(FILTERED, text)
    return redact(text)
