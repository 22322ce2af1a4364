"""No personal or health data in the logs: a whole booking journey through the API, with
every logger listening at DEBUG, leaves no name, address, phone number, typed signature,
free-text health answer, note, sign-in code or token in any log record."""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from booking.models import Appointment
from notifications import dispatch
from notifications.models import Channel, Notification
from tests.accounts.sign_in import verified_staff_client
from tests.integration.world import ADMIN_EMAIL, clear_answers, seed_demo_clinic

pytestmark = pytest.mark.django_db

EMAIL = "Quinn.Harper@example.org"
PROFILE: dict[str, Any] = {
    "legal_name": "Quinn Harper",
    "preferred_name": "Quinnie",
    "date_of_birth": "1985-04-12",
    "phone": "+447400123456",
    "notify_sms": True,
}
MEDICINES = "warfarin 5mg"
REVIEW_NOTE = "Warfarin noted: light technique, no deep needling near the scapula"
SYMPTOM_NOTES = "Bruise the size of a coin below my left shoulder blade"
CANCEL_REASON = "My anticoagulation clinic moved my INR check"
# Standard LogRecord attributes; anything else on a record came in through `extra=`.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> Iterator[str]:
        """Everything a handler could write: the formatted message with any traceback, the
        raw arguments, and whatever extra attributes the record carries."""
        for record in self.records:
            yield self.format(record)
            yield repr(record.args)
            for name, value in vars(record).items():
                if name not in STANDARD:
                    yield f"{name}={value!r}"


@contextmanager
def every_log_record() -> Iterator[Everything]:
    """Every logger at DEBUG, except those the settings deliberately keep quieter (see below)."""
    handler = Everything()
    quiet = set(settings.LOGGING["loggers"])
    loggers = [logging.getLogger()] + [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and not any(name == q or name.startswith(q + ".") for q in quiet)
    ]
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
        for logger, level in levels:
            logger.setLevel(level)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response["Content-Type"].startswith("application/json") else response


def sign_in(client: APIClient) -> tuple[str, str]:
    ok(client.post("/api/v1/auth/patient/start", {"email": EMAIL}, format="json"), 202)
    code = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert code is not None
    # A short code is refused before it is checked (a wrong one would start django-otp's delay).
    ok(client.post("/api/v1/auth/patient/verify", {"email": EMAIL, "code": code.group(1)[:5]}, format="json"), 400)
    token = ok(client.post("/api/v1/auth/patient/verify", {"email": EMAIL, "code": code.group(1)}, format="json"))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    return code.group(1), token["token"]


def hold(client: APIClient, kind: int, *, skip: int = 0) -> dict[str, Any]:
    now = timezone.now()
    slots = ok(
        client.get(
            "/api/v1/slots",
            {"appointment_type": str(kind), "start": now.isoformat(), "end": (now + timedelta(days=14)).isoformat()},
        )
    )
    body = {"appointment_type": kind, "start": slots[skip]["start"]}
    return dict(ok(client.post("/api/v1/appointments", body, format="json", HTTP_IDEMPOTENCY_KEY=f"k{skip}"), 201))


def journey(client: APIClient) -> list[str]:
    """Sign in by code, fill the profile, hold, screen, sign, get reviewed, read it all back,
    check in after the visit, cancel another visit; the outbox is sent along the way."""
    demo = seed_demo_clinic()
    secrets = list(sign_in(client))
    ok(client.patch("/api/v1/me", {**PROFILE, "phone": "+44 7400 123456"}, format="json"))
    ok(client.patch("/api/v1/me", {"phone": "+44 7400 12345"}, format="json"), 400)  # a digit short
    visit = hold(client, demo.needling.pk)

    questionnaire = ok(client.get("/api/v1/consent/questionnaire", {"clinic": demo.clinic.slug}))
    answers = {**clear_answers(demo.questionnaire), "medicines": MEDICINES}
    screening = ok(
        client.post(
            "/api/v1/screenings",
            {"questionnaire_version": questionnaire["id"], "answers": answers, "appointment": visit["id"]},
            format="json",
        ),
        201,
    )
    form = ok(client.get("/api/v1/consent/form", {"clinic": demo.clinic.slug, "appointment": visit["id"]}))
    signed = {
        "form_version": form["id"],
        "screening": screening["id"],
        "appointment": visit["id"],
        "typed_name": PROFILE["legal_name"],
        "acknowledgements": [a["id"] for a in form["acknowledgements"]],
        "e_records_accepted": True,
    }
    ok(client.post("/api/v1/consents", {**signed, "typed_name": "Quinn Harpe"}, format="json"), 400)  # a typo
    consent = ok(client.post("/api/v1/consents", signed, format="json"), 201)

    staff = verified_staff_client(User.objects.get(email=ADMIN_EMAIL))
    review = {"decision": "approve", "note": REVIEW_NOTE}
    ok(staff.post(f"/api/v1/staff/appointments/{visit['id']}/review", review, content_type="application/json"))
    ok(staff.get(f"/api/v1/staff/appointments/{visit['id']}"))
    ok(staff.get(f"/api/v1/staff/appointments/{visit['id']}/consent-text"))

    for path in ("/api/v1/me", "/api/v1/appointments", "/api/v1/consents", f"/api/v1/consents/{consent['id']}"):
        ok(client.get(path))
    ok(client.get(f"/api/v1/consents/{consent['id']}/pdf"))
    ok(client.get(f"/api/v1/appointments/{visit['id']}/ics"))
    other = hold(client, demo.plain.pk, skip=20)
    ok(client.post(f"/api/v1/appointments/{other['id']}/cancel", {"reason": CANCEL_REASON}, format="json"))
    dispatch.dispatch_due()

    after = Appointment.objects.get(pk=visit["id"]).end + timedelta(hours=2)
    with time_machine.travel(after, tick=False):
        check_in = {"pain_now": 3, "side_effects": ["bruising", "breathlessness"], "notes": SYMPTOM_NOTES}
        ok(client.post(f"/api/v1/appointments/{visit['id']}/symptoms", check_in, format="json"), 201)
        dispatch.dispatch_due()
    return secrets


def test_a_booking_journey_through_the_api_logs_no_personal_or_health_data() -> None:
    with every_log_record() as logs:
        secrets = journey(APIClient())

    personal: list[str] = [
        EMAIL,
        EMAIL.lower(),
        PROFILE["legal_name"],
        PROFILE["preferred_name"],
        PROFILE["date_of_birth"],
        PROFILE["phone"],
        "7400 123456",
        "7400123456",
        "Quinn Harpe",  # the mistyped signature
        MEDICINES,
        REVIEW_NOTE,
        SYMPTOM_NOTES,
        CANCEL_REASON,
        *secrets,  # the sign-in code and the API token
    ]
    assert logs.records, "the journey should log something (its 400s at least); is the handler attached?"
    leaks = [(needle, text) for text in logs.texts() for needle in personal if needle.lower() in text.lower()]
    assert not leaks, "personal data in the logs:\n" + "\n".join(f"{n!r} in {t[:300]!r}" for n, t in leaks)


def test_a_refused_email_address_is_not_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(message: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 no such user") for address in message.to})

    with every_log_record() as logs:
        journey(APIClient())
        monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
        Notification.objects.filter(channel=Channel.EMAIL).update(
            status=Notification.Status.PENDING, due_at=timezone.now(), next_attempt_at=timezone.now()
        )
        dispatch.dispatch_due()

    assert not [text for text in logs.texts() if EMAIL.lower() in text.lower()]


def test_sql_is_never_logged_whatever_the_log_level() -> None:
    # Statements carry names, emails and answers in their parameters: the SQL logger stays
    # at WARNING even when LOG_LEVEL=DEBUG.
    level = logging.getLevelName(settings.LOGGING["loggers"]["django.db.backends"]["level"])
    assert level >= logging.WARNING
