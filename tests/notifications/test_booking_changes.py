"""Booking changes write, cancel and skip outbox rows in the booking's own transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from accounts.models import Patient, User
from booking import services as booking_services
from booking.models import AppointmentType, Clinic, Practitioner
from notifications.dispatch import dispatch_due
from notifications.models import Channel, Kind, Notification
from tests.booking.factories import local
from tests.notifications.helpers import NOW, book, cancel, hold, hours, no_show, plan_of, reschedule, rows

pytestmark = pytest.mark.django_db
Status = Notification.Status
EMAIL, SMS = Channel.EMAIL, Channel.SMS
TUESDAY, FRIDAY = date(2026, 6, 2), date(2026, 6, 5)


class Boom(Exception):
    pass


def dispatch_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return dispatch_due()


def test_a_confirmed_booking_plans_its_messages(
    frozen: object, sms_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, FRIDAY, "14:00")  # 13:00 UTC

    appointment = book(sms_patient, visit, start, now=NOW)

    assert plan_of(appointment) == [
        (Kind.CONFIRMATION, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, start - hours(48)),
        (Kind.REMINDER, EMAIL, start - hours(24)),
        (Kind.REMINDER, SMS, start - hours(2)),
        (Kind.AFTERCARE, EMAIL, start + hours(2)),
        (Kind.CHECKIN, EMAIL, start + hours(49)),
    ]
    assert {n.appointment_version for n in rows(appointment)} == {1}


def test_a_hold_plans_nothing_until_it_is_confirmed(
    frozen: object, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    held = hold(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)

    assert rows(held) == []


def test_a_booking_that_rolls_back_leaves_no_rows(
    frozen: object, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    with pytest.raises(Boom), transaction.atomic():
        appointment = book(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)
        assert rows(appointment), "written inside the booking's transaction"
        raise Boom

    assert Notification.objects.count() == 0


def test_the_same_change_twice_writes_each_row_once(
    frozen: object, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    from booking.signals import Change, appointment_changed

    appointment = book(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)
    before = plan_of(appointment)

    appointment_changed.send(sender=None, appointment=appointment, change=Change.CONFIRMED, actor=None)

    assert plan_of(appointment) == before


def test_booked_one_hour_ahead_it_confirms_and_prepares_at_once(
    frozen: object, sms_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = NOW + hours(1)

    appointment = book(sms_patient, visit, start, now=NOW)

    assert plan_of(appointment) == [
        (Kind.CONFIRMATION, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, NOW),
        (Kind.AFTERCARE, EMAIL, start + hours(2)),
        (Kind.CHECKIN, EMAIL, start + hours(49)),
    ]
    assert dispatch_at(NOW) == 2
    assert [m.subject for m in mail.outbox] == [
        "Booked: Follow-up treatment, Monday, 1 June 2026, 10:00 (Europe/London)",
        "How to prepare for your visit on Monday, 1 June 2026, 10:00 (Europe/London)",
    ]


def test_cancelled_after_the_reminder_went(
    patient: Patient, practitioner: User, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "14:00")
    with time_machine.travel(NOW, tick=False):
        appointment = book(patient, visit, start, now=NOW)
    reminder_time = start - hours(24)
    dispatch_at(reminder_time)
    later = reminder_time + hours(1)

    with time_machine.travel(later, tick=False):
        cancel(appointment, now=later, actor=practitioner, override=True, reason="Practitioner unwell")

    statuses = {n.kind: n.status for n in rows(appointment)}
    assert statuses == {
        Kind.CONFIRMATION: Status.SENT,
        Kind.PRE_VISIT: Status.SENT,
        Kind.REMINDER: Status.SENT,
        Kind.AFTERCARE: Status.CANCELLED,
        Kind.CHECKIN: Status.CANCELLED,
        Kind.CANCELLATION: Status.PENDING,
    }
    mail.outbox.clear()
    dispatch_at(later)
    assert len(mail.outbox) == 1
    assert "Practitioner unwell" in mail.outbox[0].body
    assert dispatch_at(start + hours(60)) == 0, "no aftercare or check-in for a visit that did not happen"


def test_rescheduled_twice_only_the_latest_version_is_sent(
    frozen: object, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    appointment = book(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)
    dispatch_due()  # the confirmation
    appointment = reschedule(appointment, local(clinic, date(2026, 6, 6), "10:00"), now=NOW)
    appointment = reschedule(appointment, local(clinic, date(2026, 6, 7), "11:00"), now=NOW)

    by_version = {(n.appointment_version, n.kind): n.status for n in rows(appointment)}
    assert by_version[(1, Kind.CONFIRMATION)] == Status.SENT
    assert {s for (v, _), s in by_version.items() if v == 1 and _ != Kind.CONFIRMATION} == {Status.CANCELLED}
    assert {s for (v, _), s in by_version.items() if v == 2} == {Status.CANCELLED}
    start = local(clinic, date(2026, 6, 7), "11:00")
    assert plan_of(appointment) == [
        (Kind.RESCHEDULE, EMAIL, NOW),
        (Kind.PRE_VISIT, EMAIL, start - hours(48)),
        (Kind.REMINDER, EMAIL, start - hours(24)),
        (Kind.AFTERCARE, EMAIL, start + hours(2)),
        (Kind.CHECKIN, EMAIL, start + hours(49)),
    ]
    assert {n.appointment_version for n in rows(appointment, status=Status.PENDING)} == {3}
    mail.outbox.clear()
    dispatch_due()
    assert ["Sunday, 7 June 2026, 11:00 (Europe/London)" in m.subject for m in mail.outbox] == [True]


def test_a_no_show_skips_aftercare_and_the_check_in(
    patient: Patient, practitioner: User, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    with time_machine.travel(NOW, tick=False):
        appointment = book(patient, visit, start, now=NOW)
    at_visit = start + hours(0.5)

    with time_machine.travel(at_visit, tick=False):
        no_show(appointment, now=at_visit, actor=practitioner)

    statuses = {n.kind: n.status for n in rows(appointment)}
    assert statuses[Kind.AFTERCARE] == statuses[Kind.CHECKIN] == Status.SKIPPED
    assert dispatch_at(start + hours(60)) == 3, "only the confirmation, pre-visit and reminder were left"


def test_cancelling_a_hold_tells_nobody(
    frozen: object, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    held = hold(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)

    cancel(held, now=NOW)

    assert rows(held) == []


def test_holds_that_run_out_tell_nobody(
    frozen: object, patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    held = hold(patient, visit, local(clinic, FRIDAY, "10:00"), now=NOW)

    booking_services.release_expired_holds(now=NOW + hours(1))

    assert rows(held) == []


def test_a_visit_after_the_clocks_go_forward_is_planned_in_real_hours(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    booked = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # Friday, GMT
    start = local(clinic, date(2026, 3, 30), "10:00")  # Monday, BST

    with time_machine.travel(booked, tick=False):
        appointment = book(patient, visit, start, now=booked)

    due = {n.kind: n.due_at for n in rows(appointment)}
    assert due[Kind.REMINDER] == datetime(2026, 3, 29, 9, 0, tzinfo=UTC), "24 real hours: 10:00 BST on Sunday"
    assert due[Kind.PRE_VISIT] == datetime(2026, 3, 28, 9, 0, tzinfo=UTC), "48 real hours: 09:00 GMT on Saturday"
