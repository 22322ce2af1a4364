"""Fill the bench database: one clinic, 20 practitioners, ~2,000 patients, 50,000 appointments.

    .venv/bin/python -m bench.seed            # create acus_bench if missing, migrate, seed once
    .venv/bin/python -m bench.seed --reset    # drop and recreate acus_bench first

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/acus_bench),
never DATABASE_URL, so the development database is safe.

Rows go in with bulk_create in batches. That bypasses booking.services on purpose: one
transaction per appointment through hold/confirm would take many minutes for 50,000 rows,
and the services are not what is being measured. What the services would guarantee is kept
by construction: appointments are laid out on each practitioner's own wall-clock grid
(working hours in Europe/London, 15-minute steps, buffers included), so no two of one
practitioner overlap, and a patient has at most one appointment per local day. The
PostgreSQL exclusion constraints (booking migration 0002) would reject any overlap of live
appointments, and the seed checks both invariants over all rows at the end. No
AppointmentEvent rows are written for seeded appointments.

Idempotent: a second run finds the clinic and changes nothing (use --reset to start over).
Everything is in one transaction, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import CLINIC_SLUG, bench_database_url, check_overlaps, ensure_database, setup_django

setup_django()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Patient, User  # noqa: E402
from booking.models import (  # noqa: E402
    Appointment,
    AppointmentType,
    Clinic,
    Credential,
    Practitioner,
    WorkingHours,
)

ZONE = ZoneInfo("Europe/London")
STEP = timedelta(minutes=15)
BATCH = 2000

# name, minutes, buffer before, buffer after, needling: the same three treatments as the demo.
TYPES = [
    ("Initial assessment with dry needling", 60, 0, 15, True),
    ("Follow-up dry needling", 30, 0, 10, True),
    ("Assessment without needling", 45, 0, 10, False),
]
# How often each type is booked, in the order above.
TYPE_WEIGHTS = [0.3, 0.5, 0.2]

# Weekly shapes, Monday to Friday: (morning start, lunch start, lunch end, evening end).
SHIFTS = [
    (time(8, 0), time(12, 0), time(13, 0), time(16, 30)),
    (time(8, 30), time(12, 30), time(13, 30), time(17, 0)),
    (time(9, 0), time(12, 30), time(13, 30), time(17, 30)),
    (time(9, 30), time(13, 0), time(14, 0), time(18, 0)),
]


@dataclass(frozen=True)
class SeedSize:
    practitioners: int = 20
    patients: int = 2000
    appointments: int = 50_000
    days_back: int = 365
    days_ahead: int = 365
    rng_seed: int = 2026


@dataclass
class _Planned:
    practitioner_index: int
    type_index: int
    start: datetime  # UTC
    end: datetime
    blocked_start: datetime
    blocked_end: datetime
    local_day: date


def seed(size: SeedSize | None = None, *, reset: bool = False, verbose: bool = True) -> dict[str, Any]:
    """Create (or reset) the bench database, migrate it and seed it. Returns a summary."""
    size = size or SeedSize()
    say = print if verbose else (lambda *a, **k: None)
    created = ensure_database(drop_first=reset)
    say(f"database {bench_database_url()}: {'created' if created else 'exists'}")
    started = clock.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    say(f"migrated in {clock.perf_counter() - started:.1f} s")

    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is not None:
        counts = _counts(clinic)
        say(f"already seeded: {counts}; nothing to do (pass --reset to start again)")
        return {"seeded": False, **counts}

    started = clock.perf_counter()
    with transaction.atomic():
        clinic = _seed(size, say)
    seconds = clock.perf_counter() - started
    say(f"seeded in {seconds:.1f} s")

    with connection.cursor() as cursor:  # fresh planner statistics, outside the transaction
        for table in ("booking_appointment", "accounts_user", "accounts_patient"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    counts = _counts(clinic)
    problems = check_overlaps(live_only=False)
    say(f"rows: {counts}")
    say(f"overlap check over all appointments: {problems}")
    if any(problems.values()):
        raise SystemExit("the seed produced overlapping appointments")
    return {"seeded": True, "seconds": round(seconds, 1), **counts, "overlaps": problems}


def _counts(clinic: Clinic) -> dict[str, Any]:
    by_status = {
        row["status"]: row["n"]
        for row in Appointment.objects.filter(clinic=clinic).values("status").annotate(n=Count("id")).order_by()
    }
    return {
        "practitioners": Practitioner.objects.filter(clinics=clinic).count(),
        "patients": Patient.objects.filter(user__email__endswith="@bench.acus.example").count(),
        "appointments": sum(by_status.values()),
        "by_status": by_status,
    }


def _seed(size: SeedSize, say: Any) -> Clinic:
    rng = random.Random(size.rng_seed)
    now = timezone.now()
    today = now.astimezone(ZONE).date()

    clinic = Clinic.objects.create(
        name="Bench Physiotherapy",
        slug=CLINIC_SLUG,
        time_zone="Europe/London",
        address="1 Benchmark Row, London",
        phone="+44 20 7946 0000",
        email="bench@bench.acus.example",
        jurisdiction="GB",
    )
    types = [
        AppointmentType.objects.create(
            clinic=clinic,
            name=name,
            duration_minutes=minutes,
            buffer_before_minutes=before,
            buffer_after_minutes=after,
            involves_needling=needling,
            position=position,
        )
        for position, (name, minutes, before, after, needling) in enumerate(TYPES)
    ]
    admin = User.objects.create(
        email="bench-admin@bench.acus.example",
        role=User.Role.CLINIC_ADMIN,
        is_staff=True,
        password=make_password(None),
    )

    # Practitioners, their hours and credentials.
    staff_users = User.objects.bulk_create(
        [
            User(
                email=f"bench-practitioner-{i:02d}@bench.acus.example",
                role=User.Role.PRACTITIONER,
                password=make_password(None),
            )
            for i in range(size.practitioners)
        ]
    )
    practitioners = Practitioner.objects.bulk_create(
        [Practitioner(user=u, display_name=f"Bench Practitioner {i:02d}") for i, u in enumerate(staff_users)]
    )
    Practitioner.clinics.through.objects.bulk_create(
        [Practitioner.clinics.through(practitioner_id=p.pk, clinic_id=clinic.pk) for p in practitioners]
    )
    Practitioner.appointment_types.through.objects.bulk_create(
        [
            Practitioner.appointment_types.through(practitioner_id=p.pk, appointmenttype_id=t.pk)
            for p in practitioners
            for t in types
        ]
    )
    shifts = [SHIFTS[i % len(SHIFTS)] for i in range(size.practitioners)]
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(practitioner=p, clinic=clinic, weekday=weekday, start=window_start, end=window_end)
            for p, shift in zip(practitioners, shifts, strict=True)
            for weekday in range(5)
            for window_start, window_end in ((shift[0], shift[1]), (shift[2], shift[3]))
        ]
    )
    valid_from = date(today.year - 3, 1, 1)
    valid_until = date(today.year + 2, 12, 31)
    Credential.objects.bulk_create(
        [
            Credential(
                practitioner=p,
                kind=kind,
                jurisdiction="GB",
                number=f"{prefix}{p.pk:06d}",
                issuer=issuer,
                valid_from=valid_from,
                valid_until=valid_until,
                verified_by=admin,
                verified_at=now,
            )
            for p in practitioners
            for kind, prefix, issuer in (
                (Credential.Kind.LICENCE, "PH", "Health and Care Professions Council"),
                (Credential.Kind.DRY_NEEDLING, "DN", "Acupuncture Association of Chartered Physiotherapists"),
            )
        ]
    )
    say(f"clinic, {len(types)} types, {len(practitioners)} practitioners with hours and credentials")

    # Patients.
    patient_users = User.objects.bulk_create(
        [
            User(
                email=f"bench-patient-{i:05d}@bench.acus.example",
                role=User.Role.PATIENT,
                password=make_password(None),
            )
            for i in range(size.patients)
        ],
        batch_size=BATCH,
    )
    patients = Patient.objects.bulk_create(
        [
            Patient(
                user=u,
                legal_name=f"Bench Patient {i:05d}",
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)),
            )
            for i, u in enumerate(patient_users)
        ],
        batch_size=BATCH,
    )
    say(f"{len(patients)} patients")

    # Appointments.
    plan = _plan_appointments(size, shifts, types, today, rng)
    patient_of = _assign_patients(plan, len(patients), rng)
    rows = []
    for planned, patient_index in zip(plan, patient_of, strict=True):
        patient = patients[patient_index]
        status, cancelled = _status(planned, now, rng)
        created_at = min(now, planned.start - timedelta(days=rng.randint(1, 45), minutes=rng.randrange(600)))
        rows.append(
            Appointment(
                patient=patient,
                practitioner=practitioners[planned.practitioner_index],
                clinic=clinic,
                appointment_type=types[planned.type_index],
                start=planned.start,
                end=planned.end,
                blocked_start=planned.blocked_start,
                blocked_end=planned.blocked_end,
                status=status,
                time_zone=clinic.time_zone,
                cancel_reason="cancelled by patient" if cancelled else "",
                cancelled_by_id=patient.user_id if cancelled else None,
                cancelled_at=created_at + (planned.start - created_at) / 2 if cancelled else None,
                created_at=created_at,
            )
        )
    for first in range(0, len(rows), BATCH):
        Appointment.objects.bulk_create(rows[first : first + BATCH])
    say(f"{len(rows)} appointments")
    return clinic


def _plan_appointments(
    size: SeedSize, shifts: list[tuple[time, time, time, time]], types: list[AppointmentType], today: date, rng: Any
) -> list[_Planned]:
    """Lay appointments end to end on every practitioner's grid, then keep a random
    sample of the wanted size: dropping some only leaves gaps, never overlaps."""
    candidates: list[_Planned] = []
    first_day = today - timedelta(days=size.days_back)
    last_day = today + timedelta(days=size.days_ahead)
    for index, shift in enumerate(shifts):
        day = first_day
        while day <= last_day:
            if day.weekday() < 5:
                for window_start, window_end in ((shift[0], shift[1]), (shift[2], shift[3])):
                    candidates.extend(_fill_window(index, day, window_start, window_end, types, rng))
            day += timedelta(days=1)
    if len(candidates) < size.appointments:
        raise SystemExit(f"the working hours hold only {len(candidates)} appointments; asked for {size.appointments}")
    chosen = rng.sample(candidates, size.appointments)
    chosen.sort(key=lambda p: (p.start, p.practitioner_index))
    return chosen


def _fill_window(
    practitioner_index: int, day: date, window_start: time, window_end: time, types: list[AppointmentType], rng: Any
) -> list[_Planned]:
    out: list[_Planned] = []
    cursor = datetime.combine(day, window_start)  # naive local wall-clock, on the 15-minute grid
    last = datetime.combine(day, window_end)
    while True:
        if rng.random() < 0.1:  # now and then a gap, so the grid offsets vary
            cursor += STEP
        type_index = rng.choices(range(len(types)), weights=TYPE_WEIGHTS)[0]
        kind = types[type_index]
        before = timedelta(minutes=kind.buffer_before_minutes)
        duration = timedelta(minutes=kind.duration_minutes)
        after = timedelta(minutes=kind.buffer_after_minutes)
        start = cursor + before
        end = start + duration
        if end > last:  # the engine requires the visit (not the after-buffer) to fit the window
            break
        start_utc = start.replace(tzinfo=ZONE).astimezone(UTC)
        end_utc = end.replace(tzinfo=ZONE).astimezone(UTC)
        out.append(
            _Planned(
                practitioner_index=practitioner_index,
                type_index=type_index,
                start=start_utc,
                end=end_utc,
                blocked_start=start_utc - before,
                blocked_end=end_utc + after,
                local_day=day,
            )
        )
        # The next start: after this one's buffer, rounded up to the grid.
        cursor = end + after
        over = (cursor - datetime.combine(day, window_start)) % STEP
        if over:
            cursor += STEP - over
    return out


def _assign_patients(plan: list[_Planned], patient_count: int, rng: Any) -> list[int]:
    """A random patient for each appointment, at most one appointment per patient per day."""
    taken: set[tuple[int, date]] = set()
    out = []
    for planned in plan:
        for _ in range(200):
            candidate = rng.randrange(patient_count)
            if (candidate, planned.local_day) not in taken:
                break
        else:
            raise SystemExit(f"no free patient on {planned.local_day}; seed more patients")
        taken.add((candidate, planned.local_day))
        out.append(candidate)
    return out


def _status(planned: _Planned, now: datetime, rng: Any) -> tuple[str, bool]:
    r = rng.random()
    S = Appointment.Status
    if planned.end <= now:  # the past: mostly completed
        status = S.COMPLETED if r < 0.86 else S.NO_SHOW if r < 0.90 else S.CANCELLED
    elif planned.start <= now:  # in progress
        status = S.CONFIRMED
    else:  # the future: mostly confirmed
        status = S.CONFIRMED if r < 0.89 else S.PENDING_REVIEW if r < 0.91 else S.CANCELLED
    return status, status == S.CANCELLED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--practitioners", type=int, default=SeedSize.practitioners)
    parser.add_argument("--patients", type=int, default=SeedSize.patients)
    parser.add_argument("--appointments", type=int, default=SeedSize.appointments)
    parser.add_argument("--rng-seed", type=int, default=SeedSize.rng_seed)
    args = parser.parse_args(argv)
    size = SeedSize(
        practitioners=args.practitioners,
        patients=args.patients,
        appointments=args.appointments,
        rng_seed=args.rng_seed,
    )
    seed(size, reset=args.reset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
