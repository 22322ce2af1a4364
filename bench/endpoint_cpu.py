"""CPU per request of each endpoint of the bench.load mix, in process, through the WSGI app.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/acus_bench_speed \\
        .venv/bin/python -m bench.endpoint_cpu [--requests 300] [--redis-url redis://127.0.0.1:6379/5]
        [--profile slots] [--mix VISITS]

Django is set up as bench.load's gunicorn runs it (DEBUG off, the same settings and
throttle rates), and each endpoint is called through config.wsgi.application with seeded
patients' tokens, as bench.load's patients call it: 20 untimed calls, then N timed ones; the
process CPU time per call is printed. No socket, no gunicorn, no PostgreSQL CPU: this is the
Django side of a request, the part issue 22's changes move, measured one endpoint at a time.
POST appointments holds a slot from a fresh slot list of its own treatment; the holds are
released at the end. `--profile NAME` prints that endpoint's cProfile (CPU clock) as well.
`--mix VISITS` runs bench.load's visits one after another instead (holds then fall between
slot lists, as under load) and prints each endpoint's CPU per call and the mix's per request.
At the end it prints the garbage collector's pauses during the timed calls (gc.callbacks): the
longest full collection is a pause every request queued behind that worker waits out.
Run `.venv/bin/python -m bench.seed` first with the same BENCH_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from bench.common import BENCH_THROTTLES, CLINIC_SLUG, HOST, server_env

Call = Callable[[], tuple[int, bytes]]


class Collections:
    """The garbage collector's pauses by generation, counted while `on`."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.on = False
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        elif self.on:
            self.pauses[info["generation"]].append(time.perf_counter() - self._began)

    def summary(self) -> str:
        every = [p for pauses in self.pauses.values() for p in pauses]
        full = self.pauses[2]
        return (
            f"garbage collector during the timed calls: {len(every)} collections, "
            f"{1000 * sum(every):.0f} ms in all, longest {1000 * max(every, default=0):.1f} ms; "
            f"full collections {len(full)}, longest {1000 * max(full, default=0):.1f} ms; "
            f"objects tracked {len(gc.get_objects())}, frozen {gc.get_freeze_count()}"
        )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="timed calls per endpoint")
    parser.add_argument("--redis-url", help="the cache for the throttles, as bench.load --redis-url")
    parser.add_argument("--profile", metavar="ENDPOINT", help="also print this endpoint's cProfile")
    parser.add_argument("--rng-seed", type=int, default=11)
    parser.add_argument(
        "--mix", type=int, metavar="VISITS", help="instead, VISITS visits of bench.load's mix, one after another"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # Settings as bench.load's gunicorn has them, before anything sets Django up (importing
    # bench.http_booking would, with the development settings).
    os.environ.update(server_env(tempfile.mkdtemp(prefix="acus-bench-var-"), args.redis_url, dict(BENCH_THROTTLES)))
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.http_booking.data import release_bench_holds, tokens_for_patients
    from booking.models import Clinic
    from config.wsgi import application

    clinic = Clinic.objects.get(slug=CLINIC_SLUG)
    tokens = list(tokens_for_patients(clinic).values())
    connection.close()
    rng = random.Random(args.rng_seed)

    def call(path: str, method: str = "GET", body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        route, _, query = path.partition("?")
        data = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": HOST,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": HOST,
            "REMOTE_ADDR": HOST,
            "HTTP_AUTHORIZATION": f"Token {rng.choice(tokens)}",
            "HTTP_ACCEPT": "application/json",
            "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4()),
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            statuses.append(status)
            return lambda chunk: None  # WSGI's write(): Django never calls it

        answer = application(environ, start_response)
        content = b"".join(answer)
        answer.close()
        return int(statuses[0].split()[0]), content

    treatments = [t["id"] for t in json.loads(call(f"/api/v1/appointment-types?clinic={clinic.pk}")[1])]
    people = [p["id"] for p in json.loads(call(f"/api/v1/practitioners?clinic={clinic.pk}")[1])]

    def slots_path(kind: int) -> str:
        start = timezone.now() + timedelta(hours=rng.uniform(0, 24 * 25))
        who: int | str = "any" if rng.random() < 0.5 else rng.choice(people)
        end = start + timedelta(days=3)
        query = {"appointment_type": kind, "practitioner": who, "start": start.isoformat(), "end": end.isoformat()}
        return f"/api/v1/slots?{urlencode(query)}"

    def hold() -> tuple[int, bytes]:
        kind = rng.choice(treatments)
        found = json.loads(call(slots_path(kind))[1]) or [{}]
        slot = rng.choice(found)
        body = {"appointment_type": kind, "practitioner": slot.get("practitioner"), "start": slot.get("start")}
        return timed(lambda: call("/api/v1/appointments", "POST", body))

    spent = [0.0]

    def timed(request: Call) -> tuple[int, bytes]:
        began = time.process_time()
        try:
            return request()
        finally:
            spent[0] += time.process_time() - began

    endpoints: dict[str, Call] = {
        "appointment-types": lambda: timed(lambda: call(f"/api/v1/appointment-types?clinic={clinic.pk}")),
        "practitioners": lambda: timed(lambda: call(f"/api/v1/practitioners?clinic={clinic.pk}")),
        "slots": lambda: timed(lambda: call(slots_path(rng.choice(treatments)))),
        "POST appointments": hold,
        "GET appointments": lambda: timed(lambda: call("/api/v1/appointments")),
    }
    collections = Collections()
    gc.callbacks.append(collections)
    if args.mix:
        try:
            return mix(args.mix, clinic.pk, call, slots_path, treatments, rng, collections)
        finally:
            print(f"holds released: {release_bench_holds(clinic)}")
    print(f"CPU per request, in process ({args.requests} timed calls each, after 20 untimed)")
    try:
        for name, endpoint in endpoints.items():
            for _ in range(20):
                endpoint()
            spent[0] = 0.0
            statuses: dict[int, int] = {}
            profile = cProfile.Profile(time.process_time) if name == args.profile else None
            collections.on = True
            for _ in range(args.requests):
                if profile:
                    profile.enable()
                status, _body = endpoint()
                if profile:
                    profile.disable()
                statuses[status] = statuses.get(status, 0) + 1
            collections.on = False
            print(f"{name:20s} {1000 * spent[0] / args.requests:7.2f} ms   {dict(sorted(statuses.items()))}")
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        print(collections.summary())
    finally:
        print(f"holds released: {release_bench_holds(clinic)}")
    return 0


def mix(
    visits: int,
    clinic_id: int,
    call: Callable[..., tuple[int, bytes]],
    slots_path: Callable[[int], str],
    treatments: list[int],
    rng: random.Random,
    collections: Collections,
) -> int:
    """bench.load's visit, one after another: the catalogue, a slot list, a hold of one of its
    slots (30 %), the patient's list (20 %). Unlike the endpoints one at a time, holds fall
    between slot lists here, so what a hold makes the schedule and slot caches read again counts."""
    spent: dict[str, float] = {}
    counts: dict[str, int] = {}

    def timed(name: str, *request: Any) -> tuple[int, bytes]:
        began = time.process_time()
        try:
            return call(*request)
        finally:
            if collections.on:
                spent[name] = spent.get(name, 0.0) + time.process_time() - began
                counts[name] = counts.get(name, 0) + 1

    for n in range(20 + visits):
        collections.on = n >= 20
        timed("appointment-types", f"/api/v1/appointment-types?clinic={clinic_id}")
        timed("practitioners", f"/api/v1/practitioners?clinic={clinic_id}")
        kind = rng.choice(treatments)
        status, body = timed("slots", slots_path(kind))
        found = json.loads(body) if status == 200 else []
        if found and rng.random() < 0.3:
            slot = rng.choice(found)
            hold = {"appointment_type": kind, "practitioner": slot["practitioner"], "start": slot["start"]}
            timed("POST appointments", "/api/v1/appointments", "POST", hold)
        if rng.random() < 0.2:
            timed("GET appointments", "/api/v1/appointments")
    collections.on = False
    print(f"CPU per request, in process, {visits} visits of bench.load's mix (after 20 untimed)")
    for name, seconds in spent.items():
        print(f"{name:20s} {1000 * seconds / counts[name]:7.2f} ms   {counts[name]} calls")
    total = sum(counts.values())
    print(f"{'all':20s} {1000 * sum(spent.values()) / total:7.2f} ms   {total} calls")
    print(collections.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
