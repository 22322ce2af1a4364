"""booking.schedule_cache.busy_counts: how many appointments occupy each practitioner's time in
a range, which "any" uses to give a start to the least busy practitioner. Counted from the
stored days (a day wholly inside the range from its totals, the edge days appointment by
appointment), it must equal the busy list load_schedules reads from the tables."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Patient
from booking import schedule_cache, selectors
from booking.free_starts import PAD
from booking.models import Appointment
from tests.booking.factories import insert_appointment, make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    schedule_cache.clear()
    yield
    schedule_cache.clear()


def test_busy_counts_equal_the_busy_lists_read_from_the_tables(patient: Patient, other_patient: Patient) -> None:
    """ "Any" gives a start to the least busy practitioner by these counts. Appointments that
    cross UTC midnight, holds expiring on either side of `now`, and ranges that begin and end
    at any minute: each count equals the busy list load_schedules reads from the tables."""
    clinic = make_clinic()
    visit = make_type(clinic, minutes=60, needling=True)
    physio, other = make_practitioner(clinic, name="Robin Physio"), make_practitioner(clinic, name="Sam Other")
    rng = random.Random(7)
    base = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    monday = datetime.combine(today + timedelta(days=14 - today.weekday()), time(), tzinfo=UTC)  # in a week or two
    for who in (physio, other):
        for slot in rng.sample(range(7 * 8), 30):  # 3-hour steps over a week, some across midnight
            start = monday + timedelta(hours=3 * slot, minutes=rng.choice([-30, 0, 30]))
            held = rng.random() < 0.4
            insert_appointment(
                patient if who == physio else other_patient,
                who,
                visit,
                start,
                status=Appointment.Status.HELD if held else Appointment.Status.CONFIRMED,
                hold_expires_at=base + timedelta(minutes=rng.randint(-30, 30)) if held else None,
            )
    versions = {physio.pk: 0, other.pk: 0}  # nothing changes in between: one stamp for every day
    for step in range(80):
        now = base + timedelta(minutes=rng.randint(-40, 40))
        # Half the edges fall beside a UTC midnight, inside the appointments that cross it.
        lo = monday + timedelta(minutes=rng.randint(-6 * 60, 6 * 24 * 60))
        hi = lo + timedelta(minutes=rng.randint(1, 5 * 24 * 60))
        if step % 2:
            lo = lo.replace(hour=0, minute=0) + timedelta(minutes=rng.choice([-20, 0, 10, 20]))
            hi = hi.replace(hour=0, minute=0) + timedelta(days=1, minutes=rng.choice([-20, 0, 10, 20]))
        counts = schedule_cache.busy_counts(clinic=clinic, versions=versions, day_versions={}, lo=lo, hi=hi, now=now)
        with transaction.atomic():
            tables = selectors.load_schedules(
                clinic=clinic, practitioner_ids=list(versions), start=lo + PAD, end=hi - PAD, now=now
            )
        assert counts == {pid: len(schedule.busy) for pid, schedule in tables.items()}, f"step {step}"
