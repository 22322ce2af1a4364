"""The event Acus writes for a visit: when, where and (as the clinic chose) who, in the
practitioner's language; never the treatment, the answers, or the patient's contact details."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from calendars.models import EventDetail
from calendars.visit_event import Visit, initials, visit_ics
from tests.accounts.factories import make_patient, make_staff
from tests.calendars.push_world import calendar_url, connect, push, show, week_ahead
from tests.calendars.servers import Radicale
from tests.workspace.factories import REVIEW, Desk, book_needling, make_desk

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
VISIT = Visit(
    appointment_id=7,
    start=datetime(2026, 6, 3, 9, 0, tzinfo=UTC),
    end=datetime(2026, 6, 3, 9, 45, tzinfo=UTC),
    version=3,
    tentative=False,
    patient_name="Jane Doe",
    clinic_name="Harbour Physiotherapy",
)


def summary_of(ics: bytes) -> str:
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    return str(event["summary"])


@pytest.mark.parametrize(
    ("language", "detail", "expected"),
    [
        ("es", EventDetail.BUSY, "Visita de Acus"),
        ("es", EventDetail.INITIALS, "Visita de Acus: J. D."),
        ("fr", EventDetail.BUSY, "Visite Acus"),
        ("fr", EventDetail.FULL_NAME, "Visite Acus : Jane Doe"),
        ("", EventDetail.BUSY, "Acus visit"),
    ],
)
def test_the_words_are_in_the_practitioner_s_language(language: str, detail: str, expected: str) -> None:
    assert summary_of(visit_ics(VISIT, detail=detail, language=language, now=NOW)) == expected


def test_the_active_language_is_left_as_it_was() -> None:
    from django.utils import translation

    visit_ics(VISIT, detail=EventDetail.BUSY, language="fr", now=NOW)
    assert translation.get_language() == "en-gb"


def test_initials_take_the_first_letters_of_at_most_three_names() -> None:
    assert initials("Jane Doe") == "J. D."
    assert initials("Anne-Marie de la Cruz") == "A. M. D."
    assert initials("") == ""


def test_a_patient_without_a_name_shows_as_a_plain_visit() -> None:
    nameless = Visit(**{**VISIT.__dict__, "patient_name": ""})
    assert summary_of(visit_ics(nameless, detail=EventDetail.FULL_NAME, language="", now=NOW)) == "Acus visit"


def test_the_event_is_in_utc_with_the_visit_s_version() -> None:
    [event] = Calendar.from_ical(visit_ics(VISIT, detail=EventDetail.BUSY, language="", now=NOW)).walk("VEVENT")
    assert event.decoded("dtstart") == VISIT.start
    assert event.decoded("dtend") == VISIT.end
    assert b"DTSTART:20260603T090000Z" in visit_ics(VISIT, detail=EventDetail.BUSY, language="", now=NOW)
    assert event.decoded("sequence") == 3
    assert str(event["transp"]) == "OPAQUE"


@pytest.mark.django_db
@pytest.mark.parametrize("detail", list(EventDetail))
def test_the_written_event_carries_no_health_data(radicale: Radicale, detail: str) -> None:
    desk: Desk = make_desk(make_staff(User.Role.CLINIC_ADMIN))
    show(desk, detail)
    calendar = connect(radicale, desk.alex)
    patient = make_patient(
        "jane.doe@example.com", legal_name="Jane Doe", phone="+447911123456", date_of_birth=date(1984, 2, 29)
    )
    visit = book_needling(desk, patient, desk.at("10:00", week_ahead(desk)), answers=REVIEW, booked_at=timezone.now())
    push()

    [raw] = radicale.objects(calendar_url(calendar)).values()
    text = raw.decode().replace("\r\n ", "").lower()  # unfolded
    for secret in (
        "Follow-up dry needling",
        "needling",
        "jane.doe@example.com",
        "+447911123456",
        "7911123456",
        "1984",
        "warfarin",
        "diabetes",
    ):
        assert secret.lower() not in text, secret
    assert f"acus-visit-{visit.pk}@" in text
