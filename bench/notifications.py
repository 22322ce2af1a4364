"""Dispatch 10,000 due notifications with 1, then 2, then 4 worker processes.

    .venv/bin/python -m bench.notifications              # 10,000 rows, 1, 2 and 4 workers
    .venv/bin/python -m bench.notifications --rows 2000 --workers 1,2

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/acus_bench_notify),
created and migrated if missing; never DATABASE_URL. Email goes to Django's in-memory
backend, so what is measured is the outbox: claiming with SELECT ... FOR UPDATE SKIP
LOCKED, the re-checks, rendering text and HTML (and the calendar file of each
confirmation) and the compare-and-set that records each send.

Each round empties the outbox, inserts the rows (all due now: a confirmation, pre-visit
information, an email reminder and aftercare for each of rows/4 appointments), starts
the worker processes, waits until each has Django set up and its URLconf loaded (as a
running worker has), then starts the clock and lets them go. A worker calls dispatch_due
in a loop until it finds nothing to claim and reports the notification ids it sent; the
round's duplicates are ids sent more than once, and the database must show every row sent.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from datetime import timedelta
from typing import Any

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/acus_bench_notify")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

from bench.common import (
    ensure_database,
    load_average,
    migrate,
    process_tree_cpu_seconds,
    setup_django,
    write_result,
)

CLINIC_SLUG = "acus-bench-notify"
PRACTITIONERS = 10
KINDS = ("confirmation", "pre_visit", "reminder", "aftercare")


def _worker(name: str, ready: Any, go: Any, results: Any) -> None:
    """One dispatcher process: set up, wait for the start, dispatch until nothing is left."""
    setup_django()
    from django.core import mail
    from django.db import connection
    from django.urls import get_resolver

    from notifications.dispatch import dispatch_due

    connection.ensure_connection()
    # A running worker has its URLconf loaded (messages carry links): importing it takes ~3 s
    # of the first message otherwise, which a short round would count as dispatch time.
    get_resolver().url_patterns  # noqa: B018
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    ready.set()
    go.wait()
    started = time.perf_counter()
    cpu_started, db_cpu_started = time.process_time(), process_tree_cpu_seconds(backend)
    handled = 0
    while True:
        done = dispatch_due(worker=name, budget=timedelta(minutes=10))
        handled += done
        if done == 0:
            break
    seconds = time.perf_counter() - started
    # CPU, the steadier figure on a shared machine: this process's, and its PostgreSQL backend's
    # read from /proc (the bench runs beside a local server).
    cpu = time.process_time() - cpu_started
    db_cpu = process_tree_cpu_seconds(backend) - db_cpu_started
    sent = [int(message.extra_headers["X-Acus-Notification"]) for message in mail.outbox]
    results.put({"worker": name, "seconds": seconds, "handled": handled, "sent": sent, "cpu": cpu, "db_cpu": db_cpu})


def _appointments(count: int) -> list[int]:
    """`count` confirmed appointments a week or more ahead; seeded once, grown when more are needed."""
    from django.db import transaction

    from booking.models import Appointment, Clinic

    with transaction.atomic():
        clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first() or _clinic()
        have = Appointment.objects.filter(clinic=clinic).count()
        if have < count:
            _add_appointments(clinic, first=have, count=count - have)
    ids = Appointment.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True)
    return list(ids[:count])


def _clinic() -> Any:
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from booking.models import AppointmentType, Clinic, Practitioner

    clinic = Clinic.objects.create(
        name="Bench Notify Clinic", slug=CLINIC_SLUG, time_zone="Europe/London", jurisdiction="GB"
    )
    AppointmentType.objects.create(clinic=clinic, name="Dry needling", duration_minutes=45, involves_needling=True)
    staff = User.objects.bulk_create(
        [
            User(email=f"bench-prac-{n}@example.com", role=User.Role.PRACTITIONER, password=make_password(None))
            for n in range(PRACTITIONERS)
        ]
    )
    people = [Practitioner(user=user, display_name=f"Practitioner {n}") for n, user in enumerate(staff)]
    Practitioner.objects.bulk_create(people)
    return clinic


def _add_appointments(clinic: Any, *, first: int, count: int) -> None:
    """Appointments number first .. first+count-1: one an hour per practitioner, so none overlap."""
    from datetime import UTC, datetime, time

    from django.contrib.auth.hashers import make_password

    from accounts.models import Patient, User
    from booking.models import Appointment, Practitioner

    kind = clinic.appointment_types.get()
    people = list(Practitioner.objects.filter(user__email__startswith="bench-prac-").order_by("pk"))
    numbers = range(first, first + count)
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"bench-patient-{n}@example.com", password=password) for n in numbers], batch_size=2000
    )
    patients = Patient.objects.bulk_create(
        [Patient(user=user, legal_name=f"Patient {n}") for n, user in zip(numbers, users, strict=True)],
        batch_size=2000,
    )
    day_one = datetime.combine(clinic.created_at.date() + timedelta(days=7), time(8, 0), tzinfo=UTC)
    rows = []
    for n, patient in zip(numbers, patients, strict=True):
        start = day_one + timedelta(hours=n // PRACTITIONERS)
        end = start + timedelta(minutes=45)
        rows.append(
            Appointment(
                patient=patient,
                practitioner=people[n % PRACTITIONERS],
                clinic=clinic,
                appointment_type=kind,
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end,
                status=Appointment.Status.CONFIRMED,
                time_zone=clinic.time_zone,
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=2000)


def _fill_outbox(appointment_ids: list[int]) -> int:
    from django.utils import timezone

    from notifications.models import Notification

    Notification.objects.all().delete()
    now = timezone.now()
    rows = [
        Notification(
            appointment_id=pk, appointment_version=1, kind=kind, channel="email", due_at=now, next_attempt_at=now
        )
        for pk in appointment_ids
        for kind in KINDS
    ]
    Notification.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def run_round(appointment_ids: list[int], workers: int) -> dict[str, Any]:
    from django.db import connection

    total = _fill_outbox(appointment_ids)
    load_before = load_average()
    connection.close()  # the children make their own
    context = mp.get_context("spawn")
    ready = [context.Event() for _ in range(workers)]
    go = context.Event()
    results = context.Queue()
    processes = [context.Process(target=_worker, args=(f"bench-{n}", ready[n], go, results)) for n in range(workers)]
    for process in processes:
        process.start()
    for event in ready:
        if not event.wait(timeout=120):
            raise SystemExit("a worker did not start")
    started = time.perf_counter()
    go.set()
    reports = [results.get(timeout=600) for _ in processes]
    wall = time.perf_counter() - started
    for process in processes:
        process.join(timeout=60)
    sent_ids = [pk for report in reports for pk in report["sent"]]
    statuses = _statuses()
    return {
        "workers": workers,
        "rows": total,
        "wall_seconds": round(wall, 2),
        "throughput_per_second": round(total / wall, 1),
        "sent": len(sent_ids),
        "duplicates": len(sent_ids) - len(set(sent_ids)),
        "rows_by_status": statuses,
        "cpu_ms_per_message": round(1000 * sum(r["cpu"] for r in reports) / total, 2),
        "db_cpu_ms_per_message": round(1000 * sum(r["db_cpu"] for r in reports) / total, 2),
        "load_average_before_after": [load_before, load_average()],
        "per_worker": [
            {"worker": r["worker"], "sent": len(r["sent"]), "seconds": round(r["seconds"], 2)} for r in reports
        ],
    }


def _statuses() -> dict[str, int]:
    from django.db.models import Count

    from notifications.models import Notification

    return {row["status"]: row["n"] for row in Notification.objects.values("status").annotate(n=Count("id"))}


def worker_counts(text: str) -> list[int]:
    """ "1,2,4" -> [1, 2, 4]; each a whole number of at least 1."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of worker counts: {text!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"worker counts are whole numbers of at least 1, not {text!r}")
    return counts


def table(rounds: list[dict[str, Any]]) -> str:
    """One line a round: what bench/README.md's table holds."""
    head = f"{'workers':>7} {'rows':>6} {'seconds':>8} {'messages/s':>10} {'duplicates':>10} {'all sent':>8}"
    lines = [head + " CPU ms/message (worker + db) load before"]
    for r in rounds:
        all_sent = "yes" if r["rows_by_status"] == {"sent": r["rows"]} else "NO"
        lines.append(
            f"{r['workers']:>7} {r['rows']:>6} {r['wall_seconds']:>8} {r['throughput_per_second']:>10} "
            f"{r['duplicates']:>10} {all_sent:>8} {r['cpu_ms_per_message']:>14} + {r['db_cpu_ms_per_message']:<10} "
            f"{r['load_average_before_after'][0]}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="notifications per round (a multiple of 4)")
    parser.add_argument(
        "--workers",
        type=worker_counts,
        nargs="+",
        default=[[1, 2, 4]],
        help="worker processes, one round each: 1,2,4 (or 1 2 4)",
    )
    args = parser.parse_args(argv)
    if args.rows % len(KINDS):
        parser.error(f"--rows must be a multiple of {len(KINDS)}")
    ensure_database()
    setup_django()
    migrate()
    appointment_ids = _appointments(args.rows // len(KINDS))
    rounds = []
    for workers in [n for counts in args.workers for n in counts]:
        outcome = run_round(appointment_ids, workers)
        rounds.append(outcome)
        print(
            f"{workers} worker(s): {outcome['rows']} rows in {outcome['wall_seconds']} s "
            f"({outcome['throughput_per_second']}/s), sent {outcome['sent']}, "
            f"duplicates {outcome['duplicates']}, rows {outcome['rows_by_status']}, "
            f"load {outcome['load_average_before_after']}"
        )
    print()
    print(table(rounds))
    path = write_result("notifications", {"rounds": rounds})
    print(f"results: {path}")
    bad = [r for r in rounds if r["duplicates"] or r["rows_by_status"] != {"sent": r["rows"]}]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
