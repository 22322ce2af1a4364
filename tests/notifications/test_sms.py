"""Text-message backends: console, file, and the HTTP provider adapter against a local fake."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from notifications.channels import TransportError
from notifications.channels.sms import ConsoleSmsBackend, FileSmsBackend, HttpSmsBackend, get_backend
from notifications.dispatch import dispatch_due
from notifications.models import Channel, Kind, Notification
from tests.booking.factories import insert_appointment, local
from tests.notifications.factories import add_row


class FakeProvider:
    """An SMS provider on 127.0.0.1: records each request and answers with `status`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 202
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                provider.requests.append({"headers": dict(self.headers), "json": json.loads(body), "path": self.path})
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": "msg_1"}' if provider.status < 300 else b'{"error": "nope"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with FakeProvider() as fake:
        yield fake


def test_the_http_backend_posts_json_with_a_bearer_token_and_an_idempotency_key(provider: FakeProvider) -> None:
    with override_settings(SMS_SENDER="Harbour"):
        HttpSmsBackend(provider.url, "s3cret").send(to="+447911123456", text="Hello", idempotency_key="42")

    [request] = provider.requests
    assert request["path"] == "/v1/messages"
    assert request["json"] == {"to": "+447911123456", "from": "Harbour", "text": "Hello"}
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Idempotency-Key"] == "42"
    assert request["headers"]["Content-Type"] == "application/json"


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (401, True), (429, False), (500, False), (503, False)])
def test_provider_errors_are_permanent_or_worth_retrying(provider: FakeProvider, status: int, permanent: bool) -> None:
    provider.status = status

    with pytest.raises(TransportError) as caught:
        HttpSmsBackend(provider.url, "t").send(to="+447911123456", text="Hello", idempotency_key="1")

    assert caught.value.permanent is permanent
    assert str(status) in caught.value.message


def test_an_unreachable_provider_is_worth_retrying() -> None:
    with FakeProvider() as closed:
        url = closed.url
    with pytest.raises(TransportError) as caught:
        HttpSmsBackend(url, "t").send(to="+447911123456", text="Hello", idempotency_key="1")

    assert not caught.value.permanent


def test_the_file_backend_appends_one_json_line_per_message(tmp_path: Path) -> None:
    path = tmp_path / "sms.log"
    with override_settings(SMS_FILE_PATH=str(path)):
        FileSmsBackend().send(to="+1", text="one", idempotency_key="1")
        FileSmsBackend().send(to="+2", text="two", idempotency_key="2")

    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(line["to"], line["text"], line["key"]) for line in lines] == [("+1", "one", "1"), ("+2", "two", "2")]


def test_the_console_backend_prints(capsys: pytest.CaptureFixture[str]) -> None:
    ConsoleSmsBackend().send(to="+447911123456", text="Hello", idempotency_key="7")

    assert "+447911123456" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "kind"), [("console", ConsoleSmsBackend), ("file", FileSmsBackend)])
def test_settings_pick_the_backend(name: str, kind: type) -> None:
    with override_settings(SMS_BACKEND=name):
        assert isinstance(get_backend(), kind)


@pytest.mark.django_db
def test_a_text_reminder_goes_out_through_the_provider(
    provider: FakeProvider, sms_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    appointment = insert_appointment(sms_patient, physio, visit, local(clinic, date(2026, 6, 3), "14:00"))
    due = datetime(2026, 6, 3, 11, 0, tzinfo=UTC)  # 12:00 BST
    row = add_row(appointment, Kind.REMINDER, channel=Channel.SMS, due_at=due)

    with (
        override_settings(SMS_BACKEND="http", SMS_HTTP_URL=provider.url, SMS_HTTP_TOKEN="t"),
        time_machine.travel(due, tick=False),
    ):
        assert dispatch_due() == 1

    [request] = provider.requests
    assert request["json"]["to"] == "+447911123456"
    assert "Wednesday, 3 June 2026, 14:00 (Europe/London)" in request["json"]["text"]
    assert request["headers"]["Idempotency-Key"] == str(row.pk)
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.SENT
