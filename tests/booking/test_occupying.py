"""booking.occupying.blocking: the appointments whose blocked time overlaps a range, asked so
that PostgreSQL reads them through the no-double-booking constraint's GiST index. It must
find exactly what the plain column test finds, and on PostgreSQL the plan must use that
index rather than read every appointment of the practitioner."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Practitioner
from booking.occupying import blocking
from tests.accounts.factories import make_patient
from tests.booking.factories import appointment_row, make_clinic, make_practitioner, make_type
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db

START = datetime(2027, 3, 1, tzinfo=UTC)


def fill(visit: AppointmentType, people: list[Practitioner], patients: list[Patient], count: int) -> None:
    """`count` appointments per practitioner on a 2-hour grid over the weeks from START (some
    across midnight), in every status; each practitioner sees their own patient."""
    rng = random.Random(3)
    statuses = list(Appointment.Status)  # live ones and every other
    rows = []
    for who, patient in zip(people, patients, strict=True):
        for slot in rng.sample(range(count * 2), count):
            start = START + timedelta(hours=2 * slot, minutes=rng.choice([-30, 0, 15]))
            rows.append(appointment_row(patient, who, visit, start, status=rng.choice(statuses)))
    Appointment.objects.bulk_create(rows)


def practitioners_and_patients(n: int) -> tuple[AppointmentType, list[Practitioner], list[Patient]]:
    clinic = make_clinic()
    visit = make_type(clinic, minutes=60)
    people = [make_practitioner(clinic, name=f"Physio {k}") for k in range(n)]
    return visit, people, [make_patient(f"p{k}@example.com") for k in range(n)]


def test_blocking_finds_exactly_what_the_column_test_finds() -> None:
    visit, people, patients = practitioners_and_patients(2)
    fill(visit, people, patients, 60)
    rng = random.Random(5)
    edges = list(Appointment.objects.values_list("blocked_start", flat=True))  # ranges that end exactly on one
    for step in range(120):
        lo = rng.choice(edges) if step % 3 == 0 else START + timedelta(minutes=rng.randint(-600, 12 * 24 * 60))
        hi = rng.choice([e for e in edges if e > lo] or [lo + timedelta(minutes=1)]) if step % 3 == 1 else None
        hi = hi or lo + timedelta(minutes=rng.randint(1, 3 * 24 * 60))
        choices: list[int | list[int]] = [people[0].pk, [people[1].pk], [p.pk for p in people]]
        ids = rng.choice(choices)
        found = set(Appointment.objects.filter(blocking(ids, lo, hi)).values_list("pk", flat=True))
        expected = set(
            Appointment.objects.filter(
                practitioner_id__in=ids if isinstance(ids, list) else [ids],
                status__in=Appointment.LIVE,
                blocked_start__lt=hi,
                blocked_end__gt=lo,
            ).values_list("pk", flat=True)
        )
        assert found == expected, f"step {step}"


@pytest.mark.parametrize("ids", ["one", "one in a list", "several"])
def test_postgres_reads_the_range_through_the_exclusion_index(ids: str) -> None:
    need_postgres()
    visit, people, patients = practitioners_and_patients(6)
    fill(visit, people, patients, 1000)  # years of them: reading them all is what to avoid
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE booking_appointment")
    asked: dict[str, int | list[int]] = {
        "one": people[0].pk,
        "one in a list": [people[0].pk],
        "several": [people[1].pk, people[2].pk],
    }
    who = asked[ids]
    lo = START + timedelta(days=40)
    plan = Appointment.objects.filter(blocking(who, lo, lo + timedelta(days=3))).explain()
    lines = plan.splitlines()
    scan = next(n for n, line in enumerate(lines) if "Index Scan on appt_no_practitioner_overlap" in line)
    # The practitioner and the range both bound the walk (an id of another type than bigint
    # leaves the index the range alone), and no btree of every appointment of the practitioner.
    assert "practitioner_id" in lines[scan + 1] and "tstzrange" in lines[scan + 1], plan
    assert "booking_appointment_practitioner_id" not in plan, plan
