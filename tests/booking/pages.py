"""Shared set-up for the page tests (and the browser journeys): a clinic taking
bookings, its consent documents, and small helpers that walk the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from booking.selectors import OfferedSlot
from booking.views.common import next_free_times, slot_code
from consent import content, services
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.consent.factories import QUESTIONS, form_content

BACKEND = "django.contrib.auth.backends.ModelBackend"
TOKEN = "tap-once-0123456789"


@dataclass
class Journey:
    clinic: Clinic
    needling: AppointmentType
    plain: AppointmentType
    alex: Practitioner
    priya: Practitioner


def make_journey_clinic(*, demo_content: bool = False, **clinic_fields: Any) -> Journey:
    """A clinic open every day 09:00-17:00 (London), two practitioners, a needling and a
    plain treatment, and a published consent form and questionnaire."""
    fields = {
        "name": "Harbour Physiotherapy",
        "address": "12 Quay Street, Bristol BS1 4DJ",
        "phone": "+44 117 496 0123",
        **clinic_fields,
    }
    clinic = make_clinic(**fields)
    needling = make_type(
        clinic,
        minutes=30,
        after=10,
        needling=True,
        name="Follow-up dry needling",
        description="A shorter visit to check progress and needle again.",
    )
    plain = make_type(
        clinic, minutes=45, name="Assessment without needling", description="Hands-on treatment, no needles."
    )
    alex = make_practitioner(clinic, name="Alex Morgan", weekdays=range(7))
    priya = make_practitioner(clinic, name="Priya Shah", weekdays=range(7))
    if demo_content:
        services.publish_consent_form(scope=clinic.slug, **content.demo_consent_form())
        services.publish_questionnaire(scope=clinic.slug, **content.demo_questionnaire())
    else:
        services.publish_consent_form(scope=clinic.slug, **form_content())
        services.publish_questionnaire(
            scope=clinic.slug,
            title="Health check",
            items=QUESTIONS,
            combined_rules=[
                {
                    "when": {"context:minor": True},
                    "outcome": "review",
                    "code": "minor",
                    "explanation": "A parent or guardian must give permission.",
                }
            ],
        )
    return Journey(clinic, needling, plain, alex, priya)


def sign_in(client: Client, patient: Patient) -> Client:
    client.force_login(patient.user, backend=BACKEND)
    return client


def free_slots(kind: AppointmentType, practitioner: Practitioner | None = None, limit: int = 6) -> list[OfferedSlot]:
    """Free times, leaving out any that the clinic's notice limit would reach within minutes."""
    now = timezone.now()
    safe = now + kind.clinic.policy.min_notice + timedelta(minutes=10)
    found = next_free_times(kind, practitioner, now, limit=limit + 60)
    return [slot for slot in found if slot.start > safe][:limit]


def hold(client: Client, kind: AppointmentType, slot: OfferedSlot, *, who: str = "any", token: str = TOKEN) -> Any:
    return client.post(f"/book/{kind.pk}/hold/", {"start": slot_code(slot.start), "practitioner": who, "token": token})


def held(patient: Patient) -> Appointment:
    return Appointment.objects.filter(patient=patient).latest("created_at", "id")


DETAILS = {"legal_name": "Pat Example", "date_of_birth": "1990-01-01", "phone": "+447911123456"}
ANSWERS_CLEAR = {"needle_fear": "no", "diabetes": "no"}
ANSWERS_REVIEW = {"needle_fear": "no", "diabetes": "yes"}
ANSWERS_BLOCK = {"needle_fear": "yes", "diabetes": "no"}


def signature(name: str = "Pat Example", **extra: Any) -> dict[str, Any]:
    return {"ack_read": "on", "ack_asked": "on", "e_records_accepted": "on", "typed_name": name, **extra}


def screening_id(response: Any) -> int:
    match = re.search(r"screening=(\d+)", response["Location"])
    assert match, response["Location"]
    return int(match.group(1))


def expire(appointment: Appointment) -> None:
    """Let a hold run out without waiting (a test-only shortcut past the services)."""
    Appointment.objects.filter(pk=appointment.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))


def walk_to_consent(
    client: Client, journey: Journey, patient: Patient, answers: dict[str, str], details: dict[str, str] | None = None
) -> tuple[int, int]:
    """Hold the first free needling time, give details, answer; return (appointment id, screening id)."""
    slot = free_slots(journey.needling)[0]
    assert hold(client, journey.needling, slot).status_code == 302
    appointment = held(patient)
    response = client.post(f"/appointments/{appointment.pk}/details/", details or DETAILS)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(f"/appointments/{appointment.pk}/screening/", answers)
    assert response.status_code == 302, response.content.decode()[:2000]
    return appointment.pk, screening_id(response)


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def book_needling(client: Client, journey: Journey, patient: Patient) -> Appointment:
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})
    return Appointment.objects.get(pk=pk)


def later_slots(journey: Journey, days: int = 3) -> list:
    after = timezone.now() + timedelta(days=days)
    return [s for s in free_slots(journey.needling, journey.alex, limit=200) if s.start > after]
