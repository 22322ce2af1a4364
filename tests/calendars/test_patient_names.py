"""A patient's name shows in the events of clinics that chose initials or full names: a change of
name rewrites those events, and an erasure takes the name out of them (even the legal name Acus
keeps for signed records). A save that leaves the names alone costs nothing and rewrites nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from calendars.models import EventDetail, VisitCopy
from compliance.erasure import carry_out_erasure
from tests.accounts.factories import make_patient, make_staff
from tests.calendars.push_world import book, connect, event_in, push, show, week_ahead
from tests.calendars.servers import Radicale
from tests.workspace.factories import Desk, make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


@pytest.mark.parametrize(
    ("detail", "before", "after"),
    [(EventDetail.FULL_NAME, "Jane Doe", "Jane Smith"), (EventDetail.INITIALS, "J. D.", "J. S.")],
)
def test_a_new_name_rewrites_the_events_that_show_it(
    desk: Desk, radicale: Radicale, detail: str, before: str, after: str
) -> None:
    show(desk, detail)
    calendar = connect(radicale, desk.alex)
    patient = make_patient(legal_name="Jane Doe")
    visit = book(desk, patient, desk.at("10:00", week_ahead(desk)))
    push()
    assert event_in(radicale, calendar, visit)["summary"] == f"Acus visit: {before}"

    patient.legal_name = "Jane Smith"
    patient.save()
    assert push() == 1

    assert event_in(radicale, calendar, visit)["summary"] == f"Acus visit: {after}"


def test_a_save_that_leaves_the_names_alone_rewrites_nothing(
    desk: Desk, radicale: Radicale, django_assert_num_queries: object
) -> None:
    show(desk, EventDetail.FULL_NAME)
    connect(radicale, desk.alex)
    patient = make_patient(legal_name="Jane Doe")
    book(desk, patient, desk.at("10:00", week_ahead(desk)))
    push()

    patient.phone = "+447911123456"
    with django_assert_num_queries(1):  # type: ignore[operator]
        patient.save(update_fields=["phone"])  # the names left out: not even read
    patient.save()  # the names read, and found unchanged
    assert push() == 0


def test_a_name_is_not_rewritten_where_the_clinic_shows_none(desk: Desk, radicale: Radicale) -> None:
    show(desk, EventDetail.BUSY)
    connect(radicale, desk.alex)
    patient = make_patient(legal_name="Jane Doe")
    book(desk, patient, desk.at("10:00", week_ahead(desk)))
    push()

    patient.legal_name = "Jane Smith"
    patient.save()
    assert push() == 0


@pytest.mark.parametrize("detail", [EventDetail.FULL_NAME, EventDetail.INITIALS])
def test_an_erased_patients_past_visits_no_longer_show_their_name(desk: Desk, radicale: Radicale, detail: str) -> None:
    show(desk, detail)
    calendar = connect(radicale, desk.alex)
    patient = make_patient(legal_name="Jane Doe", preferred_name="Janie")
    visit = book(desk, patient, desk.at("10:00", week_ahead(desk)))
    push()
    assert "J" in str(event_in(radicale, calendar, visit)["summary"])

    with time_machine.travel(timezone.now() + timedelta(days=9)):
        # The visit took place: erasure keeps it (and the legal name its records need).
        carry_out_erasure(patient, by=desk.admin, received_on=timezone.localdate())
        assert push() >= 1

    assert VisitCopy.objects.get(appointment=visit).exists
    assert event_in(radicale, calendar, visit)["summary"] == "Acus visit"
