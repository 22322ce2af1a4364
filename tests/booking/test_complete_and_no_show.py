"""Marking a visit completed or a no-show: only a confirmed one, and only once it has started."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from accounts.models import Patient, User
from booking import errors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType
from tests.booking.factories import book, local, make_clinic, make_practitioner, make_type, minutes

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
TUESDAY = date(2026, 6, 2)
Status = Appointment.Status
Mark = Callable[..., Appointment]
MARKS = [
    pytest.param(services.mark_completed, Status.COMPLETED, AppointmentEvent.Action.COMPLETED, id="completed"),
    pytest.param(services.mark_no_show, Status.NO_SHOW, AppointmentEvent.Action.NO_SHOW, id="no-show"),
]


@pytest.fixture
def visit(db: None) -> AppointmentType:
    clinic = make_clinic()
    kind = make_type(clinic, minutes=45)
    make_practitioner(clinic)
    return kind


@pytest.fixture
def confirmed(patient: Patient, visit: AppointmentType) -> Appointment:
    return book(patient, visit, local(visit.clinic, TUESDAY, "10:00"), now=NOW)


@pytest.mark.parametrize(("mark", "status", "action"), MARKS)
def test_staff_mark_a_visit_that_has_started(
    mark: Mark, status: str, action: str, practitioner: User, confirmed: Appointment
) -> None:
    mark(confirmed, actor=practitioner, now=confirmed.start + minutes(50))

    confirmed.refresh_from_db()
    assert confirmed.status == status
    event = confirmed.events.get(action=action)
    assert event.actor == practitioner


@pytest.mark.parametrize(("mark", "status", "action"), MARKS)
def test_it_can_be_marked_from_the_moment_it_starts(
    mark: Mark, status: str, action: str, practitioner: User, confirmed: Appointment
) -> None:
    mark(confirmed, actor=practitioner, now=confirmed.start)

    confirmed.refresh_from_db()
    assert confirmed.status == status


@pytest.mark.parametrize(("mark", "status", "action"), MARKS)
def test_it_refuses_before_the_start(
    mark: Mark, status: str, action: str, practitioner: User, confirmed: Appointment
) -> None:
    with pytest.raises(errors.InvalidTransition) as caught:
        mark(confirmed, actor=practitioner, now=confirmed.start - minutes(1))

    assert caught.value.code == "invalid_status"
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED
    assert not confirmed.events.filter(action=action).exists()


@pytest.mark.parametrize(("mark", "status", "action"), MARKS)
@pytest.mark.parametrize(
    "other", [Status.HELD, Status.PENDING_REVIEW, Status.CANCELLED, Status.DECLINED, Status.COMPLETED, Status.NO_SHOW]
)
def test_it_refuses_anything_but_a_confirmed_appointment(
    mark: Mark, status: str, action: str, other: str, practitioner: User, confirmed: Appointment
) -> None:
    expiry = confirmed.start if other == Status.HELD else None
    Appointment.objects.filter(pk=confirmed.pk).update(status=other, hold_expires_at=expiry)

    with pytest.raises(errors.InvalidTransition):
        mark(confirmed, actor=practitioner, now=confirmed.start + minutes(50))

    confirmed.refresh_from_db()
    assert confirmed.status == other
