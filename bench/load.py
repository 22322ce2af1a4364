"""Load: 50 simulated patients browse slots and book for 60 s against gunicorn and PostgreSQL.

    .venv/bin/python -m bench.seed     # once, if acus_bench is missing
    .venv/bin/python -m bench.load     # ~1.5 minutes; the load phase stops hard at 120 s

Reuses bench.http_booking: it starts gunicorn (4 workers, DEBUG=0) on the bench database,
waits for /healthz, creates DRF tokens for the seeded patients, warms the workers and
always stops gunicorn at the end.

Each simulated patient is a thread with its own keep-alive connection and its own token
(so the throttles count per patient, not per address). Until --duration seconds have
passed it loops:

    GET  /api/v1/appointment-types?clinic=<id>
    GET  /api/v1/practitioners?clinic=<id>
    GET  /api/v1/slots  a random treatment, a random 3-day window in the next 28 days,
                        any practitioner or a random one offering the treatment
    POST /api/v1/appointments  with probability --book, one of the returned slots,
                        with a fresh Idempotency-Key
    GET  /api/v1/appointments  with probability --list

Throttles (core.throttling.ScopedThrottle; rates in settings): slots 120/minute per caller, holds 30/hour per
patient. Without --redis-url the cache is per gunicorn worker (LocMemCache), so each worker
counts on its own. 429s are reported apart: they are expected behaviour, not errors.

Reported: total requests, throughput, p50/p95/p99 per endpoint, status counts, 5xx and
no-answer counts (both must be 0), and SQL: no two live appointments of one practitioner
overlap on blocked_start/blocked_end, no patient has two overlapping live appointments.
Holds are cancelled (reason bench_cleanup) before and after, as in bench.http_booking.
Writes bench/results/load-<time>.json (and load-latest.json).
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import threading
import time as clock
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone

from bench.common import (
    CLINIC_SLUG,
    RESULTS_DIR,
    check_overlaps,
    load_average,
    migrate,
    percentile,
    wait_for_quiet,
    write_result,
)
from bench.http_booking.client import API, Client, slot_list
from bench.http_booking.cpu import PostgresCpu, _cpu
from bench.http_booking.data import release_bench_holds, tokens_for_patients
from bench.http_booking.server import Server, _sigterm, gunicorn
from bench.http_booking.warm_up import warm_up

# Importing bench.http_booking (above) has set Django up, so models can be imported here.
from booking.models import Appointment, Clinic

ENDPOINTS = [
    "GET appointment-types",
    "GET practitioners",
    "GET slots",
    "POST appointments",
    "GET appointments",
]


@dataclass(frozen=True)
class Sample:
    endpoint: str
    status: int  # 0: no HTTP answer
    code: str
    seconds: float
    at: float  # seconds since the load phase began


@dataclass(frozen=True)
class Plan:
    clinic_id: int
    duration: float
    days: int
    window_days: int
    book: float
    any_practitioner: float
    list_appointments: float
    think: float


class Patient:
    """One simulated patient: a thread, a connection, a token and its own random stream."""

    def __init__(self, port: int, token: str, rng: random.Random, plan: Plan, began: float, stop_at: float) -> None:
        self.client = Client(port, timeout=30.0)
        self.token = token
        self.rng = rng
        self.plan = plan
        self.began = began
        self.stop_at = stop_at
        self.samples: list[Sample] = []
        self.failure = ""
        self.thread = threading.Thread(target=self.run, daemon=True)

    def call(
        self, endpoint: str, method: str, path: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any]:
        status, data = self.client.request(method, path, token=self.token, body=body, key=key)
        last = self.client.calls[-1]
        self.samples.append(Sample(endpoint, last.status, last.code, last.seconds, clock.monotonic() - self.began))
        return status, data

    def running(self) -> bool:
        return clock.monotonic() < self.stop_at

    def run(self) -> None:
        try:
            while self.running():
                self.visit()
        except Exception as exc:
            self.failure = f"{type(exc).__name__}: {exc}"
        finally:
            self.client.close()

    def visit(self) -> None:
        plan, rng = self.plan, self.rng
        clinic = urlencode({"clinic": plan.clinic_id})
        status, types = self.call("GET appointment-types", "GET", f"{API}/appointment-types?{clinic}")
        if status != 200 or not types or not self.running():
            return
        status, people = self.call("GET practitioners", "GET", f"{API}/practitioners?{clinic}")
        if status != 200 or not self.running():
            return
        kind = int(rng.choice(types)["id"])
        offering = [int(p["id"]) for p in people or [] if kind in p.get("appointment_types", [])]
        who: int | str = "any" if not offering or rng.random() < plan.any_practitioner else rng.choice(offering)
        now = timezone.now()
        start = now + timedelta(hours=rng.uniform(0, 24 * (plan.days - plan.window_days)))
        query = urlencode(
            {
                "appointment_type": kind,
                "practitioner": who,
                "start": start.isoformat(),
                "end": (start + timedelta(days=plan.window_days)).isoformat(),
            }
        )
        status, data = self.call("GET slots", "GET", f"{API}/slots?{query}")
        slots = slot_list(data) if status == 200 else []
        if slots and self.running() and rng.random() < plan.book:
            slot = rng.choice(slots)
            body = {"appointment_type": kind, "practitioner": int(slot["practitioner"]), "start": slot["start"]}
            self.call("POST appointments", "POST", f"{API}/appointments", body=body, key=str(uuid.uuid4()))
        if self.running() and rng.random() < plan.list_appointments:
            self.call("GET appointments", "GET", f"{API}/appointments")
        if plan.think > 0 and self.running():
            clock.sleep(rng.uniform(0, 2 * plan.think))


def endpoint_summary(samples: list[Sample], wall: float) -> dict[str, Any]:
    ms = [s.seconds * 1000 for s in samples]
    counts = Counter(f"{s.status} {s.code}".strip() for s in samples)
    answered = [s.seconds * 1000 for s in samples if s.status not in (0, 429)]
    out: dict[str, Any] = {
        "requests": len(samples),
        "per_second": round(len(samples) / wall, 1) if wall else 0.0,
        "statuses": dict(sorted(counts.items())),
        "throttled_429": sum(1 for s in samples if s.status == 429),
        "server_errors_5xx": sum(1 for s in samples if s.status >= 500),
        "no_answer": sum(1 for s in samples if s.status == 0),
    }
    if ms:
        out["latency_ms"] = {
            "p50": round(percentile(ms, 0.50), 1),
            "p95": round(percentile(ms, 0.95), 1),
            "p99": round(percentile(ms, 0.99), 1),
            "max": round(max(ms), 1),
        }
    if answered and len(answered) != len(ms):
        out["latency_ms_without_429"] = {
            "p50": round(percentile(answered, 0.50), 1),
            "p95": round(percentile(answered, 0.95), 1),
            "p99": round(percentile(answered, 0.99), 1),
        }
    return out


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
    cpu_before = _cpu(server)
    began = clock.monotonic()
    hard_stop = began + args.hard_limit
    patients = [
        Patient(server.port, tokens[pid], random.Random(args.rng_seed * 1000 + i), plan, began, began + args.duration)
        for i, pid in enumerate(chosen)
    ]
    print(f"load: {args.patients} patients for {args.duration:.0f} s (hard stop {args.hard_limit:.0f} s)")
    with PostgresCpu() as postgres_cpu:
        for patient in patients:
            patient.thread.start()
        for patient in patients:
            patient.thread.join(timeout=max(0.0, hard_stop - clock.monotonic()))
        wall = clock.monotonic() - began
    stuck = sum(1 for p in patients if p.thread.is_alive())
    cpu = {k: v - cpu_before[k] for k, v in _cpu(server).items()}
    samples = [s for p in patients for s in list(p.samples)]
    # Requests still in flight after the duration finish in the tail; throughput uses the whole wall.
    per_endpoint = {e: endpoint_summary([s for s in samples if s.endpoint == e], wall) for e in ENDPOINTS}
    total = endpoint_summary(samples, wall)
    created = sum(1 for s in samples if s.endpoint == "POST appointments" and s.status == 201)
    new_holds = Appointment.objects.filter(
        clinic=clinic, status=Appointment.Status.HELD, created_at__gte=run_started
    ).count()
    overlaps = check_overlaps(live_only=True)
    failures = [p.failure for p in patients if p.failure]
    ok = (
        total["server_errors_5xx"] == 0
        and total["no_answer"] == 0
        and not any(overlaps.values())
        and new_holds == created
        and stuck == 0
        and not failures
    )
    return {
        "patients": args.patients,
        "duration_seconds": args.duration,
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


def print_table(load: dict[str, Any]) -> None:
    head = f"{'endpoint':<22} {'n':>6} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'429':>5} {'5xx':>4}"
    print(head)
    print("-" * len(head))
    rows = [*load["endpoints"].items(), ("ALL", {**load, "per_second": load["requests_per_second"]})]
    for name, row in rows:
        lat = row.get("latency_ms") or row.get("latency_ms_all") or {}
        print(
            f"{name:<22} {row['requests']:>6} {row['per_second']:>6} {lat.get('p50', '-'):>8} "
            f"{lat.get('p95', '-'):>8} {lat.get('p99', '-'):>8} {row['throttled_429']:>5} {row['server_errors_5xx']:>4}"
        )
    print()
    for name, row in load["endpoints"].items():
        print(f"{name:<22} {json.dumps(row['statuses'])}")
    print()
    print(
        f"total {load['requests']} requests in {load['wall_seconds']} s = {load['requests_per_second']} req/s "
        f"({load['requests_per_second_without_429']} without 429s); 429s {load['throttled_429']}, "
        f"5xx {load['server_errors_5xx']}, no answer {load['no_answer']}"
    )
    print(
        f"holds: {load['holds_created']} 201s, {load['new_holds_in_database']} new holds in the database; "
        f"overlaps among live: {load['overlaps_among_live']}; cpu: {load['cpu']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=50, help="concurrent simulated patients")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds the patients keep starting requests")
    parser.add_argument("--hard-limit", type=float, default=120.0, help="seconds after which the load phase ends")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--days", type=int, default=28, help="slot windows lie within this many days")
    parser.add_argument("--window-days", type=int, default=3)
    parser.add_argument("--book", type=float, default=0.3, help="probability of POSTing a returned slot")
    parser.add_argument("--any-practitioner", type=float, default=0.5, help="probability of practitioner=any")
    parser.add_argument("--list", type=float, default=0.2, help="probability of GET /appointments per visit")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause in seconds between visits")
    parser.add_argument("--rng-seed", type=int, default=11)
    parser.add_argument("--redis-url", help="give gunicorn a REDIS_URL (cache and throttles shared by workers)")
    parser.add_argument("--quiet-load", type=float, default=0.0, help="first wait until the 1-min load is below this")
    parser.add_argument("--quiet-wait", type=float, default=300.0)
    args = parser.parse_args(argv)
    if args.redis_url and not args.redis_url.startswith("redis://127.0.0.1"):
        raise SystemExit("--redis-url must be a redis://127.0.0.1... address")
    if not 0 < args.duration <= args.hard_limit or args.window_days >= args.days:
        raise SystemExit("need 0 < --duration <= --hard-limit and --window-days < --days")
    signal.signal(signal.SIGTERM, _sigterm)

    migrate()
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        raise SystemExit("the bench clinic is missing: run `.venv/bin/python -m bench.seed` first")
    tokens = tokens_for_patients(clinic)
    if len(tokens) < args.patients:
        raise SystemExit(f"only {len(tokens)} seeded patients, fewer than --patients {args.patients}")
    released = release_bench_holds(clinic)
    print(f"{len(tokens)} patient tokens; {released} holds from earlier runs released")
    connection.close()

    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait)
    result: dict[str, Any] = {
        "command": "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:]),
        "waited_for_quiet": quiet if args.quiet_load else None,
        "workers": args.workers,
        "redis": bool(args.redis_url),
        "load_average_before": load_average(),
    }
    print(f"load average before: {result['load_average_before']}")
    log_path = RESULTS_DIR / "gunicorn-load-latest.log"
    try:
        with gunicorn(args.workers, args.redis_url, log_path, startup_timeout=60) as server:
            result["warm_up"] = warm_up(server.port, clinic, tokens, args.workers)
            print(f"warm-up: {result['warm_up']['statuses']}")
            result["load"] = run_load(server, clinic, tokens, args)
        result["load_average_after"] = load_average()
        result["server_log_tracebacks"] = log_path.read_text().count("Traceback")
    finally:
        release_bench_holds(clinic)
    print()
    print_table(result["load"])
    print(f"load average before {result['load_average_before']}, after {result['load_average_after']}")
    print(f"tracebacks in the gunicorn log: {result['server_log_tracebacks']}")
    path = write_result("load", result)
    print(f"written: {path}")
    print(f"verdict: {result['load']['verdict']}")
    return 0 if result["load"]["verdict"] == "PASS" and result["server_log_tracebacks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
