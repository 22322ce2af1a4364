"""Issue 20: confirmed, moved and cancelled Acus visits appear, move and disappear in the
practitioner's chosen CalDAV calendar (a real Radicale), through the VisitCopy outbox."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.utils import timezone

from accounts.models import User
from booking import services
from calendars.models import EventDetail, VisitCopy
from calendars.services import connections
from calendars.uids import visit_uid
from tests.accounts.factories import make_patient, make_staff
from tests.calendars.push_world import (
    book,
    connect,
    copy_of,
    event_in,
    hold,
    push,
    show,
    uids_in,
    week_ahead,
)
from tests.calendars.servers import Radicale
from tests.workspace.factories import REVIEW, Desk, book_needling, make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


def test_a_booked_visit_is_in_the_calendar_at_its_utc_times(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    day = week_ahead(desk)
    visit = book(desk, make_patient(legal_name="Jane Doe"), desk.at("10:00", day))

    assert push() == 1

    assert uids_in(radicale, calendar) == {visit_uid(visit.pk)}
    event = event_in(radicale, calendar, visit)
    assert event["start"] == visit.start.astimezone(UTC)
    assert event["end"] == visit.end.astimezone(UTC)
    assert event["start"].tzinfo is not None and event["start"].utcoffset().total_seconds() == 0  # type: ignore[attr-defined]
    assert event["status"] == "CONFIRMED"
    assert event["sequence"] == visit.version
    assert event["location"] == "Harbour Physiotherapy"
    assert f"/staff/appointments/{visit.pk}/" in str(event["description"])
    row = copy_of(visit, calendar)
    assert (row.written, row.wanted, row.exists, row.attempts) == (row.wanted, row.wanted, True, 0)
    assert row.etag


@pytest.mark.parametrize(
    ("detail", "summary"),
    [
        (EventDetail.BUSY, "Acus visit"),
        (EventDetail.INITIALS, "Acus visit: J. D."),
        (EventDetail.FULL_NAME, "Acus visit: Jane Doe"),
    ],
)
def test_the_summary_shows_what_the_clinic_chose(desk: Desk, radicale: Radicale, detail: str, summary: str) -> None:
    show(desk, detail)
    calendar = connect(radicale, desk.alex)
    visit = book(desk, make_patient(legal_name="Jane Doe", preferred_name="Janey"), desk.at("10:00", week_ahead(desk)))

    push()

    assert event_in(radicale, calendar, visit)["summary"] == summary


def test_a_moved_visit_keeps_its_uid_with_new_times_and_one_event(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    day = week_ahead(desk)
    patient = make_patient()
    visit = book(desk, patient, desk.at("10:00", day))
    push()

    moved = services.reschedule_appointment(visit, actor=patient.user, start=desk.at("14:00", day))
    assert push() == 1

    assert uids_in(radicale, calendar) == {visit_uid(visit.pk)}
    event = event_in(radicale, calendar, moved)
    assert event["start"] == desk.at("14:00", day).astimezone(UTC)
    assert event["end"] == moved.end.astimezone(UTC)
    assert event["sequence"] == moved.version == 2


def test_a_visit_moved_to_another_practitioner_leaves_the_first_calendar_for_the_second(
    desk: Desk, radicale: Radicale
) -> None:
    alex_calendar = connect(radicale, desk.alex)
    priya_calendar = connect(radicale, desk.priya)
    day = week_ahead(desk)
    visit = book(desk, make_patient(), desk.at("10:00", day))
    push()
    assert uids_in(radicale, alex_calendar) == {visit_uid(visit.pk)}

    services.reschedule_appointment(visit, actor=desk.admin, start=desk.at("11:00", day), practitioner=desk.priya)
    assert push() == 2

    assert uids_in(radicale, alex_calendar) == set()
    assert uids_in(radicale, priya_calendar) == {visit_uid(visit.pk)}
    assert copy_of(visit, alex_calendar).exists is False
    assert event_in(radicale, priya_calendar, visit)["start"] == desk.at("11:00", day).astimezone(UTC)


def test_a_cancelled_visit_is_removed(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    patient = make_patient()
    visit = book(desk, patient, desk.at("10:00", week_ahead(desk)))
    other = book(desk, make_patient(), desk.at("12:00", week_ahead(desk)))
    push()

    services.cancel_appointment(visit, actor=patient.user)
    assert push() == 1

    assert uids_in(radicale, calendar) == {visit_uid(other.pk)}
    assert copy_of(visit, calendar).exists is False


def test_a_held_visit_never_appears(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    day = week_ahead(desk)
    held = hold(desk, make_patient(), desk.at("10:00", day))
    services.reschedule_appointment(held, actor=desk.admin, start=desk.at("11:00", day))

    assert push() == 0
    assert not VisitCopy.objects.filter(appointment=held).exists()
    assert uids_in(radicale, calendar) == set()


def test_a_visit_waiting_for_review_is_tentative_until_approved(desk: Desk, radicale: Radicale) -> None:
    from booking import consent_flow

    calendar = connect(radicale, desk.alex)
    visit = book_needling(
        desk, make_patient(), desk.at("10:00", week_ahead(desk)), answers=REVIEW, booked_at=timezone.now()
    )
    assert visit.status == visit.Status.PENDING_REVIEW
    push()
    assert event_in(radicale, calendar, visit)["status"] == "TENTATIVE"

    consent_flow.decide_review(visit, reviewer=desk.alex.user, approve=True, note="Diabetes is well controlled.")
    push()

    assert event_in(radicale, calendar, visit)["status"] == "CONFIRMED"


def test_a_calendar_not_chosen_for_visits_gets_none(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex, write=False)
    book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))

    assert push() == 0
    assert uids_in(radicale, calendar) == set()


def test_choosing_a_calendar_copies_the_upcoming_visits_and_removes_them_from_the_old_one(
    desk: Desk, radicale: Radicale
) -> None:
    old = connect(radicale, desk.alex)
    visits = [book(desk, make_patient(), desk.at(hh_mm, week_ahead(desk))) for hh_mm in ("10:00", "12:00")]
    push()
    new = connect(radicale, desk.alex, write=False)

    connections.set_write_target(connection=new, write=True, actor=desk.alex.user)
    assert push() == 4

    assert uids_in(radicale, old) == set()
    assert uids_in(radicale, new) == {visit_uid(v.pk) for v in visits}


def test_a_paused_calendar_keeps_its_copies_due_until_it_resumes(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    connections.set_paused(connection=calendar, paused=True, actor=desk.alex.user)
    visit = book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))

    assert push() == 0
    assert uids_in(radicale, calendar) == set()
    assert copy_of(visit, calendar).written == 0

    connections.set_paused(connection=calendar, paused=False, actor=desk.alex.user)
    assert push() == 1
    assert uids_in(radicale, calendar) == {visit_uid(visit.pk)}


def test_switching_writing_off_removes_the_copies(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex)
    book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))
    push()

    connections.set_write_target(connection=calendar, write=False, actor=desk.alex.user)
    assert push() == 1

    assert uids_in(radicale, calendar) == set()


def test_a_calendar_chosen_for_visits_gets_the_visits_booked_before(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex, write=False)
    earlier = book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))
    held = hold(desk, make_patient(), desk.at("12:00", week_ahead(desk)))
    assert push() == 0

    connections.set_write_target(connection=calendar, write=True, actor=desk.alex.user)
    assert push() == 1

    assert uids_in(radicale, calendar) == {visit_uid(earlier.pk)}
    assert not VisitCopy.objects.filter(appointment=held).exists()
