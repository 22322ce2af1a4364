"""How long does booking a six-visit series take, against one single booking?

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/acus_series_bench \\
        .venv/bin/python -m bench.series            # 5 warm-ups, then 30 timed rounds

Each round (untimed set-up first) makes a fresh practitioner (working 08:00-18:00 every day,
Europe/London), a fresh patient and an active plan of six weekly sessions of a 45-minute
treatment without needling, then times, each inside CaptureQueriesContext:

  single  booking.services.hold_appointment + confirm_appointment of one visit, the write a
          patient's ordinary booking makes once they picked a time;
  series  care.services.series.book_series for the six sessions (it proposes again from the
          free slots, locks, checks, inserts and confirms all six in one transaction);
  propose care.services.series.propose_series alone (what the proposal page and API do).

Target: series median < 3 x single median. Needs only migrate: the script makes its own clinic
("acus-bench-series") in the bench database, which is created if missing. DEBUG is on (queries
are recorded). Each confirmation writes an outbox row whose commit nudges the notifications
worker through the broker (REDIS_URL): six nudges for a series, one for a single booking;
--no-nudge leaves them out to show the booking code alone. Writes bench/results/series-<time>.json.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time as clock
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from bench.common import ensure_database, load_average, migrate, setup_django, summary_ms, write_result

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Patient, User  # noqa: E402
from booking import services as booking  # noqa: E402
from booking.models import AppointmentType, Clinic, Practitioner, WorkingHours  # noqa: E402
from care.models import CarePlan, PlanStatus  # noqa: E402
from care.services import series  # noqa: E402

SLUG = "acus-bench-series"
RATIO_TARGET = 3.0
_run = uuid.uuid4().hex[:8]  # emails stay unique across runs
_seq = itertools.count(1)


def _clinic() -> tuple[Clinic, AppointmentType]:
    clinic, _ = Clinic.objects.get_or_create(
        slug=SLUG,
        defaults={"name": "Series bench clinic", "time_zone": "Europe/London", "jurisdiction": "GB"},
    )
    kind, _ = AppointmentType.objects.get_or_create(
        clinic=clinic, name="Follow-up treatment", defaults={"duration_minutes": 45, "buffer_after_minutes": 10}
    )
    return clinic, kind


def _practitioner(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    n = next(_seq)
    user = User.objects.create_user(f"bench-series-{_run}-p{n}@example.com", role=User.Role.PRACTITIONER)
    practitioner = Practitioner.objects.create(user=user, display_name=f"Bench practitioner {n}")
    practitioner.clinics.add(clinic)
    practitioner.appointment_types.add(kind)
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, clinic=clinic, weekday=d, start=time(8), end=time(18)) for d in range(7)
    )
    return practitioner


def _patient() -> Patient:
    n = next(_seq)
    user = User.objects.create_user(f"bench-series-{_run}-{n}@example.com", role=User.Role.PATIENT)
    return Patient.objects.create(user=user, legal_name=f"Bench Patient{n}", date_of_birth=date(1980, 1, 1))


def _plan(clinic: Clinic, kind: AppointmentType, practitioner: Practitioner, patient: Patient) -> CarePlan:
    return CarePlan.objects.create(
        patient=patient,
        practitioner=practitioner,
        clinic=clinic,
        appointment_type=kind,
        problem="Bench",
        body_region="neck",
        sessions_planned=6,
        spacing_days=7,
        review_on=date.today() + timedelta(days=90),
        status=PlanStatus.ACTIVE,
        created_by=practitioner.user,
    )


def _timed(call: Callable[[], Any]) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        began = clock.perf_counter()
        call()
        elapsed = clock.perf_counter() - began
    return elapsed, len(ctx.captured_queries)


def _round(clinic: Clinic, kind: AppointmentType) -> dict[str, tuple[float, int]]:
    now = timezone.now()
    weekday, at = (now.weekday() + 2) % 7, time(14)
    single_practitioner, series_practitioner = _practitioner(clinic, kind), _practitioner(clinic, kind)
    first = datetime.combine(now.date() + timedelta(days=2), at, clinic.zone)
    one = _patient()

    def single() -> None:
        held = booking.hold_appointment(one, appointment_type=kind, start=first, practitioner=single_practitioner)
        booking.confirm_appointment(held, actor=one.user)

    plan = _plan(clinic, kind, series_practitioner, _patient())
    out = {"single": _timed(single)}
    out["propose"] = _timed(lambda: series.propose_series(plan, weekday=weekday, time_of_day=at))
    booked: list[series.Booked] = []
    out["series"] = _timed(
        lambda: booked.append(series.book_series(plan, actor=plan.patient.user, weekday=weekday, time_of_day=at))
    )
    assert len(booked[0].visits) == 6
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument(
        "--no-nudge",
        action="store_true",
        help="NOTIFICATIONS_NUDGE off: no broker publish per confirmation (one per visit otherwise)",
    )
    args = parser.parse_args(argv)
    if args.no_nudge:
        settings.NOTIFICATIONS_NUDGE = False

    ensure_database()
    migrate()
    clinic, kind = _clinic()
    load_before = load_average()
    samples: dict[str, list[tuple[float, int]]] = {"single": [], "propose": [], "series": []}
    for i in range(args.warmups + args.rounds):
        result = _round(clinic, kind)
        if i >= args.warmups:
            for name, sample in result.items():
                samples[name].append(sample)
    rows: dict[str, dict[str, Any]] = {
        name: {"ms": summary_ms([s for s, _ in values]), "queries": max(q for _, q in values)}
        for name, values in samples.items()
    }
    ratio = rows["series"]["ms"]["median"] / rows["single"]["ms"]["median"]
    print(f"{args.rounds} rounds after {args.warmups} warm-ups (ms)")
    print(f"{'':<9}{'median':>8}{'p95':>8}{'queries':>9}")
    for name, row in rows.items():
        print(f"{name:<9}{row['ms']['median']:>8.1f}{row['ms']['p95']:>8.1f}{row['queries']:>9}")
    verdict = "PASS" if ratio < RATIO_TARGET else "FAIL"
    print(f"series / single = {ratio:.2f} (target < {RATIO_TARGET}): {verdict}")
    print(f"load average before {load_before}, after {load_average()} (other work skews the figures)")
    path = write_result(
        "series",
        {
            "command": "python -m bench.series " + " ".join(argv if argv is not None else sys.argv[1:]),
            "rounds": args.rounds,
            "nudge": not args.no_nudge,
            "warmups": args.warmups,
            "results": rows,
            "ratio": round(ratio, 2),
            "verdict": verdict,
            "load_average_before": load_before,
            "load_average_after": load_average(),
        },
    )
    print(f"written: {path}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
