"""Booking over HTTP against a real gunicorn: a race for one slot, then random bookings.

    .venv/bin/python -m bench.seed                 # once
    .venv/bin/python -m bench.http_booking         # ~1-3 minutes; aborts after --time-limit s

It starts `.venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:<free port> --workers 4`
itself (DEBUG=0, a random SECRET_KEY and ANCHOR_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0,
DATABASE_URL = the bench database, no REDIS_URL, ACUS_VAR_DIR a temporary folder), waits
for /healthz and always stops it at the end. Its log goes to bench/results/gunicorn-latest.log.

Patients authenticate with DRF tokens created directly in the bench database. GET /slots
also carries the patient's token: anonymous slot requests are throttled per address
(core.throttling.ScopedThrottle; rates in settings, 120/minute), and every client here has the address 127.0.0.1.

(c1) 50 clients, each its own patient and its own connection, race for ONE slot through
     POST /api/v1/appointments: expected exactly one 201, 49 409 slot_unavailable, no 5xx.
     The winner then retries with the same Idempotency-Key: expected 200 and the same id.
(c2) 2,000 booking attempts by 20 concurrent clients: each attempt is GET /slots for a
     random treatment and practitioner over the next 28 days, then POST of a random slot
     from the answer, as a random patient. Throughput, p50/p95 latency and status counts.
     Then SQL: no two live appointments of one practitioner overlap (blocked_start,
     blocked_end), no patient has two overlapping live appointments, and the new holds in
     the database number exactly the 201s.

Holds left by an earlier run are cancelled (reason bench_cleanup) before and after, so
reruns start from the seeded state. Writes bench/results/http_booking-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time as clock
from typing import Any

from django.db import connection

from bench.common import (
    CLINIC_SLUG,
    REPO_DIR,
    RESULTS_DIR,
    load_average,
    migrate,
    wait_for_quiet,
    write_result,
)
from bench.http_booking.data import release_bench_holds, tokens_for_patients
from bench.http_booking.race import race_for_one_slot
from bench.http_booking.random_bookings import random_bookings
from bench.http_booking.server import _sigterm, gunicorn
from bench.http_booking.warm_up import warm_up
from booking.models import Clinic

API_URLS_FILE = REPO_DIR / "booking" / "api" / "urls.py"


def wait_for_api(minutes: float, every: float) -> bool:
    deadline = clock.monotonic() + minutes * 60
    while True:
        urls = (REPO_DIR / "config" / "urls.py").read_text()
        if API_URLS_FILE.exists() and "booking.api.urls" in urls:
            return True
        if clock.monotonic() >= deadline:
            return False
        print(f"waiting for {API_URLS_FILE} (and its include in config/urls.py); next look in {every:.0f} s")
        clock.sleep(min(every, max(1.0, deadline - clock.monotonic())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--race-clients", type=int, default=50)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for c1 + c2 together")
    parser.add_argument("--rng-seed", type=int, default=7)
    parser.add_argument("--redis-url", help="give gunicorn a REDIS_URL (cache and throttles shared by workers)")
    parser.add_argument("--wait-for-api", type=float, default=0.0, help="minutes to wait for booking/api/urls.py")
    parser.add_argument("--poll-seconds", type=float, default=120.0)
    parser.add_argument(
        "--quiet-load", type=float, default=0.0, help="first wait until the 1-min load average is below this"
    )
    parser.add_argument("--quiet-wait", type=float, default=600.0, help="seconds to wait for --quiet-load at most")
    args = parser.parse_args(argv)
    if args.redis_url and not args.redis_url.startswith("redis://127.0.0.1"):
        raise SystemExit("--redis-url must be a redis://127.0.0.1... address")
    signal.signal(signal.SIGTERM, _sigterm)

    if not wait_for_api(args.wait_for_api, args.poll_seconds):
        print(f"the booking API is not there ({API_URLS_FILE} missing or not included): nothing measured")
        return 2
    migrate()
    clinic = Clinic.objects.filter(slug=CLINIC_SLUG).first()
    if clinic is None:
        raise SystemExit("the bench clinic is missing: run `.venv/bin/python -m bench.seed` first")
    tokens = tokens_for_patients(clinic)
    released = release_bench_holds(clinic)
    print(f"{len(tokens)} patient tokens; {released} holds from earlier runs released")
    connection.close()  # the threads below use their own connections

    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait)
    rng = random.Random(args.rng_seed)
    result: dict[str, Any] = {
        "waited_for_quiet": quiet if args.quiet_load else None,
        "command": "python -m bench.http_booking " + " ".join(argv if argv is not None else sys.argv[1:]),
        "workers": args.workers,
        "redis": bool(args.redis_url),
        "load_average_before": load_average(),
    }
    log_path = RESULTS_DIR / "gunicorn-latest.log"
    try:
        with gunicorn(args.workers, args.redis_url, log_path, startup_timeout=60) as server:
            port = server.port
            result["warm_up"] = warm_up(port, clinic, tokens, args.workers)
            print(f"warm-up: {result['warm_up']['statuses']}")
            deadline = clock.monotonic() + args.time_limit
            result["c1"] = race_for_one_slot(port, clinic, tokens, args.race_clients, rng, deadline)
            print(json.dumps(result["c1"], indent=2, default=str))
            result["c2"] = random_bookings(
                server, clinic, tokens, args.attempts, args.clients, args.days, args.rng_seed, deadline
            )
            print(json.dumps(result["c2"], indent=2, default=str))
        result["load_average_after"] = load_average()
        result["server_log_tracebacks"] = log_path.read_text().count("Traceback")
    finally:
        release_bench_holds(clinic)
    path = write_result("http_booking", result)
    print(f"written: {path}")
    verdicts = [result[k]["verdict"] for k in ("c1", "c2")]
    print(f"c1 {verdicts[0]}, c2 {verdicts[1]}")
    return 0 if all(v == "PASS" for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
