"""How fast is the patient's course page with a long course (issue 18: 20 visits and 200 scores
render in under 50 ms of server time)?

    .venv/bin/python -m bench.course                 # seed once if missing, 5 warm-ups, 50 timed
    .venv/bin/python -m bench.course --repetitions 100 --quiet-load 1.0

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/acus_bench_course),
created and migrated if missing; never DATABASE_URL. The seed (one transaction, skipped when the
clinic exists; --reset drops the database first) writes one plan of care with 20 weekly visits
(10 done, 10 to come), 200 scores (100 NPRS, 100 PSFS, each with its change worked out by
care.scoring), a check-in after each visit done, a health answer before each later visit and
one home exercise ticked on most days. Rows go in directly, bypassing the services on purpose:
what is measured is the page, not the writes.

Each timed call is a GET of /care/plans/<pk>/ through Django's test client (URL resolution,
middleware, the session, the view, course_for, the charts and the template), timed with
time.perf_counter() inside CaptureQueriesContext, which also gives the query count and the
database's share. DEBUG is on (so queries are recorded); figures with DEBUG off are a little lower.
Writes bench/results/course-<time>.json and course-latest.json; exits 1 if the median misses 50 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from typing import Any

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/acus_bench_course")

from bench.common import ensure_database, load_average, migrate, setup_django, summary_ms, wait_for_quiet, write_result

CLINIC_SLUG = "acus-bench-course"
VISITS = 20
SCORES_PER_INSTRUMENT = 100
TARGET_MEDIAN_MS = 50.0
GOALS = ["Turn my head when driving", "Sleep through the night", "Work at my desk for two hours"]


def _people() -> tuple[Any, Any, Any, Any]:
    from django.contrib.auth.hashers import make_password

    from accounts.models import Patient, User
    from booking.models import AppointmentType, Clinic, Practitioner

    clinic = Clinic.objects.create(name="Bench Course Clinic", slug=CLINIC_SLUG, time_zone="Europe/London")
    kind = AppointmentType.objects.create(
        clinic=clinic, name="Dry needling", duration_minutes=45, involves_needling=True
    )
    password = make_password(None)
    staff = User.objects.create(email="bench-course-prac@example.com", role=User.Role.PRACTITIONER, password=password)
    practitioner = Practitioner.objects.create(user=staff, display_name="Bench Practitioner")
    practitioner.clinics.add(clinic)
    practitioner.appointment_types.add(kind)
    user = User.objects.create(email="bench-course-patient@example.com", password=password)
    patient = Patient.objects.create(user=user, legal_name="Bench Patient")
    return clinic, kind, practitioner, patient


def _seed() -> int:
    """The plan's id: seeded now, or found from an earlier run."""
    from django.db import transaction

    from care.models import CarePlan

    existing = CarePlan.objects.filter(clinic__slug=CLINIC_SLUG).first()
    if existing is not None:
        return existing.pk
    with transaction.atomic():
        return _seed_course()


def _seed_course() -> int:
    from booking.models import Appointment, SymptomReport
    from care.models import CarePlan, CourseVisit, Exercise, ExerciseLog, HealthChangeAnswer, PlanExercise

    clinic, kind, practitioner, patient = _people()
    today = datetime.now(UTC).date()
    first_day = today - timedelta(weeks=VISITS // 2)
    plan = CarePlan.objects.create(
        patient=patient, practitioner=practitioner, clinic=clinic, appointment_type=kind,
        problem="Neck pain after long days at the desk", body_region="neck", goals=GOALS,
        sessions_planned=VISITS, spacing_days=7, measures=["nprs", "psfs"], review_on=today + timedelta(days=30),
        status="active", created_by=practitioner.user,
    )  # fmt: skip
    visits = []
    for n in range(VISITS):
        start = datetime.combine(first_day + timedelta(weeks=n), time(9, 0), tzinfo=UTC)
        end = start + timedelta(minutes=45)
        done = start.date() < today
        visits.append(
            Appointment.objects.create(
                patient=patient,
                practitioner=practitioner,
                clinic=clinic,
                appointment_type=kind,
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end,
                time_zone=clinic.time_zone,
                status=Appointment.Status.COMPLETED if done else Appointment.Status.CONFIRMED,
            )
        )
    CourseVisit.objects.bulk_create([CourseVisit(plan=plan, appointment=a, number=n + 1) for n, a in enumerate(visits)])
    past = [a for a in visits if a.start.date() < today]
    SymptomReport.objects.bulk_create(
        [SymptomReport(appointment=a, pain_now=4, side_effects=["soreness"], created_at=a.end) for a in past]
    )
    HealthChangeAnswer.objects.bulk_create(
        [
            HealthChangeAnswer(
                appointment=a,
                plan=plan,
                since=past[0].start.date(),
                changed=False,
                outcome="unchanged",
                answered_by=patient.user,
                answered_at=a.start - timedelta(hours=2),
            )
            for a in past[1:]
        ]
    )
    _scores(plan, first_day)
    exercise = Exercise.objects.create(clinic=clinic, name="Chin tucks", instructions="Pull your chin in gently.")
    prescription = PlanExercise.objects.create(plan=plan, exercise=exercise, start_on=first_day)
    days = [first_day + timedelta(days=d) for d in range((today - first_day).days + 1) if d % 7 != 3]
    ExerciseLog.objects.bulk_create([ExerciseLog(prescription=prescription, day=day) for day in days])
    return plan.pk


def _scores(plan: Any, first_day: Any) -> None:
    from care import scoring
    from care.builtin_instruments import BUILT_IN
    from care.models import OutcomeScore

    rows = []
    start = datetime.combine(first_day, time(8, 0), tzinfo=UTC)
    for code in ("nprs", "psfs"):
        instrument = BUILT_IN[code]
        baseline = None
        for n in range(SCORES_PER_INSTRUMENT):
            value = 8 - (n * 5) // SCORES_PER_INSTRUMENT if code == "nprs" else 2 + (n * 6) // SCORES_PER_INSTRUMENT
            answers = {goal: value for goal in GOALS} if instrument.patient_named else {"pain": value}
            score = scoring.score(instrument, answers)
            baseline = score if baseline is None else baseline
            change = scoring.change(instrument, baseline, score)
            rows.append(
                OutcomeScore(
                    plan=plan,
                    instrument=code,
                    timepoint="baseline" if n == 0 else "checkin",
                    answers=answers,
                    score=score,
                    baseline=baseline,
                    change=round(change.improvement, 2),
                    change_percent=None if change.improvement_percent is None else round(change.improvement_percent, 1),
                    meaningful=n > 0 and change.meaningful,
                    threshold=change.threshold.code,
                    threshold_source=change.source,
                    answered_by=plan.patient.user,
                    answered_at=start + timedelta(hours=16 * n),
                )
            )
    OutcomeScore.objects.bulk_create(rows)


def _measure(plan_id: int, repetitions: int, warmups: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from care.models import CarePlan

    # The test client's host; not setup_test_environment(), whose template instrumentation would
    # copy every context and be measured too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    plan = CarePlan.objects.select_related("patient__user").get(pk=plan_id)
    client = Client()
    client.force_login(plan.patient.user)
    url = f"/care/plans/{plan_id}/"
    seconds, database, queries = [], [], set()
    for n in range(warmups + repetitions):
        with CaptureQueriesContext(connection) as captured:
            started = clock.perf_counter()
            response = client.get(url)
            elapsed = clock.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        if n >= warmups:
            seconds.append(elapsed)
            database.append(sum(float(q["time"]) for q in captured.captured_queries))
            queries.add(len(captured))
    html = response.content.decode()
    return {
        "page": summary_ms(seconds),
        "database": summary_ms(database),
        "queries": sorted(queries),
        "bytes": len(response.content),
        "visits_shown": html.count('class="visit visit--'),
        "table_rows_shown": html.count("<tr"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=50)
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument("--reset", action="store_true", help="drop the bench database and seed again")
    parser.add_argument("--quiet-load", type=float, default=None, help="wait until the 1-minute load is below this")
    parser.add_argument("--quiet-wait", type=float, default=600)
    args = parser.parse_args(argv)
    ensure_database(drop_first=args.reset)
    setup_django()
    migrate()
    plan_id = _seed()
    if args.quiet_load is not None:
        wait_for_quiet(args.quiet_load, args.quiet_wait)
    load_before = load_average()
    result = _measure(plan_id, args.repetitions, args.warmups)
    result.update({"load_before": load_before, "load_after": load_average(), "target_median_ms": TARGET_MEDIAN_MS})
    path = write_result("course", result)
    page = result["page"]
    print(
        f"course page, {VISITS} visits and {2 * SCORES_PER_INSTRUMENT} scores: median {page['median']} ms, "
        f"p95 {page['p95']} ms, database median {result['database']['median']} ms, queries {result['queries']}, "
        f"{result['visits_shown']} visits shown; load {load_before[0]:.2f} -> {result['load_after'][0]:.2f}; {path}"
    )
    ok = page["median"] < TARGET_MEDIAN_MS
    print("target median < 50 ms:", "pass" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
