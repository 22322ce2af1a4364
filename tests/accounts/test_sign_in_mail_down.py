"""A sign-in code that cannot be sent is said at once, never answered 202 and lost.

Against a real SMTP server on a loopback port (tests/accounts/smtp_sink.py), stopped to
play a mail server that is down, through Django's own SMTP backend."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from accounts.models import AccountEvent, Patient, SignInChallenge, User
from tests.accounts.smtp_sink import SmtpSink

START = "/api/v1/auth/patient/start"
VERIFY = "/api/v1/auth/patient/verify"
NOT_SENT = "We could not send the email just now; try again in a minute."

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink(refuse={"bounce@example.com"})
    server.start()
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": server.port,
        "EMAIL_TIMEOUT": 5,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    try:
        with override_settings(**smtp):
            yield server
    finally:
        server.stop()


def code_in(sink: SmtpSink) -> str:
    match = re.search(r"\b(\d{6})\b", sink.text_of(-1))
    assert match, sink.text_of(-1)
    return match.group(1)


def test_the_code_goes_through_the_mail_server(stranger: APIClient, sink: SmtpSink) -> None:
    response = stranger.post(START, {"email": "smtp.person@example.com"}, format="json")

    assert response.status_code == 202
    [message] = sink.messages
    assert message["To"] == "smtp.person@example.com"
    verified = stranger.post(VERIFY, {"email": "smtp.person@example.com", "code": code_in(sink)}, format="json")
    assert verified.status_code == 200


def test_the_api_says_so_when_the_mail_server_is_down_and_works_once_it_is_back(
    stranger: APIClient, sink: SmtpSink
) -> None:
    sink.stop()

    down = stranger.post(START, {"email": "waiting@example.com"}, format="json")

    assert down.status_code == 503
    assert down.json() == {"code": "email_not_sent", "detail": NOT_SENT, "fields": {}}
    assert down.headers["Retry-After"] == "60"
    assert not SignInChallenge.objects.exists(), "no code is kept that never left"
    assert not User.objects.filter(email="waiting@example.com").exists()
    assert not AccountEvent.objects.filter(action=AccountEvent.Action.PATIENT_CODE_SENT).exists()

    sink.start()
    back = stranger.post(START, {"email": "waiting@example.com"}, format="json")

    assert back.status_code == 202, "no cooldown from the code that was not sent"
    assert len(sink.messages) == 1
    verified = stranger.post(VERIFY, {"email": "waiting@example.com", "code": code_in(sink)}, format="json")
    assert verified.status_code == 200


def test_known_unknown_and_staff_addresses_get_the_same_answer_while_it_is_down(
    stranger: APIClient, sink: SmtpSink, patient: Patient, practitioner: User
) -> None:
    sink.stop()

    answers = [
        stranger.post(START, {"email": email}, format="json")
        for email in (patient.user.email, "nobody@example.com", practitioner.email)
    ]

    assert {answer.status_code for answer in answers} == {503}
    assert len({answer.content for answer in answers}) == 1
    assert len({frozenset(answer.headers) for answer in answers}) == 1


def test_a_staff_address_still_gets_no_code_when_the_server_is_up(
    stranger: APIClient, sink: SmtpSink, practitioner: User
) -> None:
    response = stranger.post(START, {"email": practitioner.email}, format="json")

    assert response.status_code == 202
    assert sink.messages == []


def test_the_page_says_so_when_the_mail_server_is_down(client: Client, sink: SmtpSink) -> None:
    sink.stop()

    page = client.post("/signin/", {"email": "page.waiting@example.com"})

    assert page.status_code == 503
    assert page["Retry-After"] == "60"
    html = page.content.decode()
    assert NOT_SENT in html and 'role="alert"' in html
    assert 'value="page.waiting@example.com"' in html, "the address is kept for the next try"

    sink.start()
    again = client.post("/signin/", {"email": "page.waiting@example.com"})

    assert again.status_code == 302
    assert client.post("/signin/code/", {"code": code_in(sink)}).status_code == 302


def test_an_address_the_server_refuses_is_a_field_error(stranger: APIClient, client: Client, sink: SmtpSink) -> None:
    response = stranger.post(START, {"email": "bounce@example.com"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "email_refused" and "email" in body["fields"]
    assert not SignInChallenge.objects.exists()
    page = client.post("/signin/", {"email": "bounce@example.com"})
    assert page.status_code == 200
    assert "We could not send an email to this address" in page.content.decode()
