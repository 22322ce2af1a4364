"""The appointment's calendar file, read back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation
from icalendar import Calendar
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.ics import appointment_calendar
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SUMMER_MONDAY = datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)  # 08:00 UTC: the clocks went forward the day before


@pytest.fixture(autouse=True)
def _frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(name="Harbour Physiotherapy", address="12 Quay Street, Bristol BS1 4DJ")


@pytest.fixture
def kind(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, name="Follow-up sports massage", minutes=30)


@pytest.fixture
def alex(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Alex Morgan")


@pytest.fixture
def appointment(patient: Patient, kind: AppointmentType, alex: Practitioner) -> Appointment:
    return services.hold_appointment(patient, appointment_type=kind, start=SUMMER_MONDAY)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_it_is_one_event_with_a_stable_uid_and_the_clinics_zone(appointment: Appointment) -> None:
    calendar = parse(appointment_calendar(appointment))

    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"appointment-{appointment.pk}@acus"
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == SUMMER_MONDAY
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert event.decoded("DTEND") == SUMMER_MONDAY + timedelta(minutes=30)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert event["SUMMARY"] == "Follow-up sports massage at Harbour Physiotherapy"
    assert event["LOCATION"] == "12 Quay Street, Bristol BS1 4DJ"
    description = str(event["DESCRIPTION"])
    assert "Alex Morgan" in description
    assert settings.SITE_URL in description
    assert "+44 117 496 0123" in description


def test_it_says_nothing_about_the_patient(appointment: Appointment, patient: Patient) -> None:
    text = appointment_calendar(appointment).decode()

    for private in (patient.legal_name, patient.user.email):
        assert private not in text


@pytest.mark.parametrize(
    ("act", "status"),
    [
        (None, "TENTATIVE"),
        ("confirm", "CONFIRMED"),
        ("cancel", "CANCELLED"),
    ],
)
def test_its_status_follows_the_appointment(
    appointment: Appointment, patient: Patient, act: str | None, status: str
) -> None:
    if act == "confirm":
        appointment = services.confirm_appointment(appointment, actor=patient.user)
    elif act == "cancel":
        appointment = services.cancel_appointment(appointment, actor=patient.user)

    [event] = parse(appointment_calendar(appointment)).walk("VEVENT")

    assert event["STATUS"] == status


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(appointment: Appointment, patient: Patient) -> None:
    before = parse(appointment_calendar(appointment)).walk("VEVENT")[0]
    moved = services.reschedule_appointment(appointment, actor=patient.user, start=SUMMER_MONDAY + timedelta(hours=2))

    after = parse(appointment_calendar(moved)).walk("VEVENT")[0]

    assert after["UID"] == before["UID"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (1, 2)
    assert after.decoded("DTSTART") == SUMMER_MONDAY + timedelta(hours=2)


def test_the_same_appointment_gives_the_same_file(appointment: Appointment) -> None:
    assert appointment_calendar(appointment) == appointment_calendar(Appointment.objects.get(pk=appointment.pk))


def test_a_patient_downloads_the_file(patient_api: APIClient, appointment: Appointment) -> None:
    response = patient_api.get(f"/api/v1/appointments/{appointment.pk}/ics", HTTP_ACCEPT="text/calendar")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="acus-appointment-{appointment.pk}.ics"'
    [event] = parse(response.content).walk("VEVENT")
    assert event["UID"] == f"appointment-{appointment.pk}@acus"


def test_errors_stay_json_even_when_a_calendar_is_asked_for(patient_api: APIClient) -> None:
    response = patient_api.get("/api/v1/appointments/999999/ics", HTTP_ACCEPT="text/calendar")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_stranger_cannot_download_it(stranger: APIClient, appointment: Appointment) -> None:
    response = stranger.get(f"/api/v1/appointments/{appointment.pk}/ics")

    assert response.status_code == 401
    assert b"VCALENDAR" not in response.content


@pytest.mark.parametrize(
    ("language", "summary", "with_line"),
    [
        ("es", "Follow-up sports massage en Harbour Physiotherapy", "Con Alex Morgan."),
        ("fr", "Follow-up sports massage à Harbour Physiotherapy", "Avec Alex Morgan."),
    ],
)
def test_its_words_are_in_the_active_language(
    appointment: Appointment, language: str, summary: str, with_line: str
) -> None:
    """The page or the message that carries the file activates the patient's language."""
    with translation.override(language):
        [event] = parse(appointment_calendar(appointment)).walk("VEVENT")

    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]).splitlines()[0] == with_line
    assert "sign in" not in str(event["DESCRIPTION"])
