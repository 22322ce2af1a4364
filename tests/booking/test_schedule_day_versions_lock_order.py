"""Writes to one practitioner's days queue on the practitioner's own version row, so they cannot
deadlock on each other's day rows (booking/schedule_triggers.py, PostgreSQL).

The crossing that would deadlock without it: a calendar sync stores busy time on day 3 and then
day 10 in one transaction, while a visit moves from day 10 to day 3 in one statement, whose
trigger bumps the old day (10) before the new one (3). Each would hold one day row and wait for
the other's. The test makes the crossing happen for certain: the sync holds day 3, the move is
seen waiting for a lock, and only then does the sync go on to day 10."""

from __future__ import annotations

import threading
import time as clock
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Practitioner, ScheduleDayVersion
from calendars.models import BusyRange, Connection
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def day_version(physio: Practitioner, at: datetime) -> int:
    found = ScheduleDayVersion.objects.filter(practitioner_id=physio.pk, day=at.astimezone(UTC).date())
    return found.values_list("version", flat=True).first() or 0


def a_move_is_waiting_for_a_lock(timeout: float = 20) -> bool:
    deadline = clock.monotonic() + timeout
    with connection.cursor() as cursor:
        while clock.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE \"booking_appointment\"%%'"
            )
            if cursor.fetchone()[0]:
                return True
            clock.sleep(0.05)
    return False


def test_a_sync_and_a_move_crossing_the_same_days_both_commit(patient: Patient) -> None:
    need_postgres()
    clinic = make_clinic()
    visit: AppointmentType = make_type(clinic, minutes=60)
    physio = make_practitioner(clinic, name="Robin Physio")
    calendar = Connection.objects.create(
        practitioner=physio, kind=Connection.Kind.ICS, name="Personal", host="calendar.example.com", secret="sealed"
    )
    midnight = datetime.combine(timezone.now().date() + timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    day3, day10 = midnight + timedelta(days=3, hours=9), midnight + timedelta(days=10, hours=9)
    hour = timedelta(hours=1)
    moving = Appointment.objects.create(
        patient=patient,
        practitioner=physio,
        clinic=clinic,
        appointment_type=visit,
        start=day10,
        end=day10 + hour,
        blocked_start=day10,
        blocked_end=day10 + hour,
        status=Appointment.Status.CONFIRMED,
        time_zone=clinic.time_zone,
    )
    before = (day_version(physio, day3), day_version(physio, day10))
    holds_day3, go_on = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def sync() -> None:
        try:
            with transaction.atomic():
                BusyRange.objects.create(connection=calendar, practitioner=physio, start=day3, end=day3 + hour)
                holds_day3.set()
                if not go_on.wait(timeout=30):
                    raise TimeoutError("the move was never seen waiting")
                BusyRange.objects.create(
                    connection=calendar, practitioner=physio, start=day10 + 2 * hour, end=day10 + 3 * hour
                )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    def move() -> None:
        try:
            holds_day3.wait(timeout=30)
            Appointment.objects.filter(pk=moving.pk).update(
                start=day3 + 2 * hour, end=day3 + 3 * hour, blocked_start=day3 + 2 * hour, blocked_end=day3 + 3 * hour
            )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync), threading.Thread(target=move)]
    for thread in threads:
        thread.start()
    assert holds_day3.wait(timeout=30)
    waited = a_move_is_waiting_for_a_lock()
    go_on.set()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert failures == []  # no deadlock_detected, no timeout
    assert waited, "the move never queued behind the sync: the crossing did not happen"
    # Each day moved twice: once for the busy time stored on it, once for the visit leaving or arriving.
    assert (day_version(physio, day3), day_version(physio, day10)) == (before[0] + 2, before[1] + 2)
    assert Appointment.objects.get(pk=moving.pk).start == day3 + 2 * hour
