"""One load phase against one running gunicorn: the patients, the clock, CPU and the SQL checks."""

from __future__ import annotations

import argparse
import random
import threading
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from bench.common import check_overlaps
from bench.http_booking.cpu import PostgresCpu, _cpu
from bench.http_booking.data import RELEASED, release_bench_holds
from bench.http_booking.server import Server
from bench.load.patients import ENDPOINTS, Patient, Plan
from bench.load.report import endpoint_summary, timeline
from booking.models import Appointment, Clinic


@contextmanager
def keeping_free(clinic: Clinic, after: float) -> Iterator[list[int]]:
    """With `after` > 0: every second, release the bench's holds older than `after` seconds, as
    expiry would. Without it the 4-week window fills up within a phase: fewer lists find a
    slot, fewer patients hold one, and each phase ends on a lighter mix than it began
    (bench/README, "Issue 22, fifth pass"). Yields the list that counts what it released."""
    released = [0]
    stop = threading.Event()

    def release() -> None:
        try:
            while not stop.wait(1.0):
                released[0] += release_bench_holds(clinic, made_before=timezone.now() - timedelta(seconds=after))
        finally:
            connection.close()  # this thread's own

    thread = threading.Thread(target=release, daemon=True) if after > 0 else None
    if thread:
        thread.start()
    try:
        yield released
    finally:
        stop.set()
        if thread:
            thread.join(timeout=30)


def run_load(server: Server, clinic: Clinic, tokens: dict[int, str], args: argparse.Namespace) -> dict[str, Any]:
    plan = Plan(
        clinic_id=clinic.pk,
        duration=args.duration,
        days=args.days,
        window_days=args.window_days,
        book=args.book,
        any_practitioner=args.any_practitioner,
        list_appointments=args.list,
        think=args.think,
    )
    seeder = random.Random(args.rng_seed)
    chosen = seeder.sample(sorted(tokens), args.patients)
    run_started = timezone.now()
    began = clock.monotonic()
    hard_stop = began + args.ramp + args.hard_limit
    patients = [
        Patient(
            server.port,
            tokens[pid],
            random.Random(args.rng_seed * 1000 + i),
            plan,
            began,
            began + args.ramp + args.duration,
        )
        for i, pid in enumerate(chosen)
    ]
    ramp = f" after a {args.ramp:.0f} s ramp that is not counted" if args.ramp else ""
    print(f"load: {args.patients} patients for {args.duration:.0f} s{ramp} (hard stop {args.hard_limit:.0f} s)")
    with keeping_free(clinic, args.keep_free) as released:
        for patient in patients:
            patient.thread.start()
        # The ramp: the same load, uncounted, so that every worker's memory holds what steady
        # traffic keeps there (bench/README, "Issue 22, fifth pass"). CPU is counted from its end.
        clock.sleep(max(0.0, began + args.ramp - clock.monotonic()))
        counted_from = clock.monotonic()
        cpu_before = _cpu(server)
        with PostgresCpu() as postgres_cpu:
            for patient in patients:
                patient.thread.join(timeout=max(0.0, hard_stop - clock.monotonic()))
            wall = clock.monotonic() - counted_from
    stuck = sum(1 for p in patients if p.thread.is_alive())
    cpu = {k: v - cpu_before[k] for k, v in _cpu(server).items()}
    every = [s for p in patients for s in list(p.samples)]
    samples = [s for s in every if s.at >= args.ramp]
    # Requests still in flight after the duration finish in the tail; throughput uses the whole wall.
    per_endpoint = {e: endpoint_summary([s for s in samples if s.endpoint == e], wall) for e in ENDPOINTS}
    total = endpoint_summary(samples, wall)
    # Errors, holds and overlaps are checked over the ramp too.
    whole = endpoint_summary(every, wall + args.ramp)
    created = sum(1 for s in every if s.endpoint == "POST appointments" and s.status == 201)
    # Holds made in this phase, whether still held or already released by keeping_free.
    new_holds = Appointment.objects.filter(
        Q(status=Appointment.Status.HELD) | Q(status=Appointment.Status.CANCELLED, cancel_reason=RELEASED),
        clinic=clinic,
        created_at__gte=run_started,
    ).count()
    overlaps = check_overlaps(live_only=True)
    failures = [p.failure for p in patients if p.failure]
    ok = (
        whole["server_errors_5xx"] == 0
        and whole["no_answer"] == 0
        and not any(overlaps.values())
        and new_holds == created
        and stuck == 0
        and not failures
    )
    return {
        "patients": args.patients,
        "duration_seconds": args.duration,
        "ramp_seconds": args.ramp,
        "keep_free_seconds": args.keep_free,
        "holds_released_during": released[0],
        "timeline": timeline(every),
        "ramp_and_counted": {k: whole.get(k) for k in ("requests", "server_errors_5xx", "no_answer", "latency_ms")},
        "hard_limit_seconds": args.hard_limit,
        "wall_seconds": round(wall, 2),
        "plan": plan.__dict__,
        "requests": total["requests"],
        "requests_per_second": total["per_second"],
        "requests_per_second_without_429": round((total["requests"] - total["throttled_429"]) / wall, 1),
        "statuses": total["statuses"],
        "throttled_429": total["throttled_429"],
        "server_errors_5xx": total["server_errors_5xx"],
        "no_answer": total["no_answer"],
        "latency_ms_all": total.get("latency_ms", {}),
        "endpoints": per_endpoint,
        "holds_created": created,
        "new_holds_in_database": new_holds,
        "overlaps_among_live": overlaps,
        "threads_stuck_at_hard_stop": stuck,
        "thread_failures": failures,
        "cpu": {
            "gunicorn_seconds": round(cpu["server"], 1),
            "postgres_backends_seconds": round(postgres_cpu.seconds, 1),
            "load_generator_seconds": round(cpu["client"], 1),
            "machine_busy_percent": round(100 * cpu["busy"] / max(1, cpu["total"]), 1),
        },
        "verdict": "PASS" if ok else "FAIL",
    }
