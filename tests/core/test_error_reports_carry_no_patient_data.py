"""Error reports (Sentry) say where and what failed, never who: a real error raised in a
view that handles a patient's name, email, phone, date of birth, screening answer and
signature, captured as the envelope the SDK would send, holds none of them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import sentry_sdk
from django.core.wsgi import get_wsgi_application
from django.test import RequestFactory
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from config.observability import init_sentry, start_error_reporting
from core.error_scrub import SAFE_HEADERS, scrub_text
from tests.core.failing_view import PATIENT

DSN = "https://public@sentry.invalid/1"  # never reached: the transport below keeps envelopes


class RecordingTransport(Transport):
    sent: list[bytes] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        RecordingTransport.sent.append(envelope.serialize())


@pytest.fixture
def sent() -> Iterator[list[bytes]]:
    RecordingTransport.sent = []
    init_sentry(DSN, environment="test", traces=1.0, transport=RecordingTransport)
    try:
        yield RecordingTransport.sent
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def through_wsgi(method: str, path: str, body: str = "", **headers: str) -> int:
    """The request as gunicorn hands it over (the SDK collects request data in the WSGI layer,
    which Django's test client bypasses)."""
    environ = RequestFactory().generic(method, path, data=body, content_type="application/json").environ
    environ.update(headers)
    environ["wsgi.input"] = io.BytesIO(body.encode())
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    response = get_wsgi_application()(environ, start_response)
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


def items(envelopes: list[bytes], kind: str) -> list[dict[str, Any]]:
    found = []
    for raw in envelopes:
        for item in Envelope.deserialize(raw).items:
            if item.type == kind and item.payload.json is not None:
                found.append(item.payload.json)
    return found


@pytest.mark.django_db
@pytest.mark.urls("tests.core.failing_view")
def test_an_error_in_a_view_reaches_sentry_without_the_patient(sent: list[bytes]) -> None:
    query = urlencode({"email": PATIENT["email"], "name": PATIENT["name"]})

    status = through_wsgi(
        "POST",
        f"/consent/sign?{query}",
        json.dumps(PATIENT),
        HTTP_COOKIE=f"sessionid=abc123sessionvalue; patient_name={PATIENT['name'].replace(' ', '_')}",
        HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567",
        HTTP_X_CSRFTOKEN="csrf-secret-value-1234",
        HTTP_X_PATIENT_EMAIL=PATIENT["email"],
    )
    sentry_sdk.flush()

    assert status == 500
    events = items(sent, "event")
    assert events, "the error was not reported"
    assert any(value["type"] == "ValueError" for value in events[0]["exception"]["values"])
    payload = b"\n".join(sent).decode()
    secrets = [*PATIENT.values(), "0123456789abcdef0123456789abcdef01234567", "csrf-secret-value-1234"]
    secrets += ["abc123sessionvalue"]
    secrets += ["Quillfeather", "marguerite", "warfarin", "1961", "7700900123", "UXVpbGxm"]
    leaked = [value for value in secrets if value.lower() in payload.lower()]
    assert not leaked, f"{leaked} reached the error report"


@pytest.mark.django_db
@pytest.mark.urls("tests.core.failing_view")
def test_the_report_keeps_what_a_developer_needs(sent: list[bytes]) -> None:
    through_wsgi("POST", "/consent/sign", json.dumps(PATIENT), HTTP_USER_AGENT="probe/1")
    sentry_sdk.flush()

    event = items(sent, "event")[0]
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert frames[-1]["function"] == "sign_and_fail"
    assert all("vars" not in frame for frame in frames)
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"].endswith("/consent/sign")
    assert event["request"]["headers"]["User-Agent"] == "probe/1"
    assert {name.lower() for name in event["request"]["headers"]} <= SAFE_HEADERS
    assert "request_id" in event["tags"]


def test_a_transaction_loses_span_data_and_emails(sent: list[bytes]) -> None:
    query = f"SELECT patient WHERE email = '{PATIENT['email']}'"
    with (
        sentry_sdk.start_transaction(name="sign consent", op="task"),
        sentry_sdk.start_span(op="db", name=query) as span,
    ):
        span.set_data("patient.name", PATIENT["name"])
        span.set_data("db.params", [PATIENT["date_of_birth"], PATIENT["phone"]])
    sentry_sdk.flush()

    assert items(sent, "transaction")
    payload = b"\n".join(sent).decode()
    assert not [value for value in PATIENT.values() if value in payload]


def test_pii_stays_off() -> None:
    init_sentry(DSN, environment="test", transport=RecordingTransport)
    try:
        assert sentry_sdk.get_client().should_send_default_pii() is False
        assert sentry_sdk.get_client().options["include_local_variables"] is False
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def test_text_loses_emails_phones_dates_and_database_details() -> None:
    text = (
        'duplicate key value violates unique constraint "uniq"\nDETAIL:  Key (family, given)=(Smith, Ann) already '
        "exists. Contact ann@example.org or +44 7700 900123, born 1961-04-27 or 27/04/1961, see /audit/?q=Ann"
    )

    scrubbed = scrub_text(text)

    for value in ("Smith", "Ann)", "ann@example.org", "7700", "1961", "q=Ann"):
        assert value not in scrubbed
    assert "duplicate key value violates unique constraint" in scrubbed


def test_nothing_starts_without_a_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SENTRY_DSN", raising=False)

    assert start_error_reporting() is False
    assert not sentry_sdk.get_client().is_active()
