"""(c2) random bookings: GET slots, then POST a random one, by concurrent clients; then the SQL checks."""

from __future__ import annotations

import random
import threading
import time as clock
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from django.utils import timezone

from bench.common import check_overlaps
from bench.http_booking.client import API, Client, call_summary, practitioner_id, slot_list, slots_path
from bench.http_booking.cpu import PostgresCpu, _cpu
from bench.http_booking.server import Server
from booking.models import Appointment, AppointmentType, Clinic, Practitioner


def random_bookings(
    server: Server,
    clinic: Clinic,
    tokens: dict[int, str],
    attempts: int,
    clients: int,
    days: int,
    rng_seed: int,
    deadline: float,
) -> dict[str, Any]:
    types = list(AppointmentType.objects.filter(clinic=clinic, active=True).values_list("id", flat=True))
    practitioners = list(Practitioner.objects.filter(clinics=clinic, active=True).values_list("id", flat=True))
    patient_ids = sorted(tokens)
    lock = threading.Lock()
    issued = 0
    no_slots: list[int] = []  # which attempts found no free slot at all

    def next_attempt() -> int | None:
        nonlocal issued
        with lock:
            if issued >= attempts or clock.monotonic() >= deadline:
                return None
            issued += 1
            return issued

    def run(index: int) -> Client:
        rng = random.Random(rng_seed * 1000 + index)
        client = Client(port)
        while (number := next_attempt()) is not None:
            pid = rng.choice(patient_ids)
            type_id = rng.choice(types)
            who = rng.choice(practitioners)
            now = timezone.now()
            status, data = client.request(
                "GET", slots_path(type_id, who, now, now + timedelta(days=days)), token=tokens[pid]
            )
            slots = slot_list(data) if status == 200 else []
            if not slots:
                with lock:
                    no_slots.append(number)
                continue
            slot = rng.choice(slots)
            body = {"appointment_type": type_id, "practitioner": practitioner_id(slot), "start": slot["start"]}
            client.request("POST", f"{API}/appointments", token=tokens[pid], body=body, key=str(uuid.uuid4()))
        client.close()
        return client

    print(f"c2: {attempts} attempts by {clients} clients (GET slots over {days} days, then POST a random one)")
    port = server.port
    run_started = timezone.now()
    cpu_before = _cpu(server)
    with PostgresCpu() as postgres_cpu:
        began = clock.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            finished = list(pool.map(run, range(clients)))
        wall = clock.perf_counter() - began
    cpu = {k: v - cpu_before[k] for k, v in _cpu(server).items()}
    cpu["postgres"] = postgres_cpu.seconds
    calls = [c for client in finished for c in client.calls]
    posts = [c for c in calls if c.method == "POST"]
    created = sum(1 for c in posts if c.status == 201)
    new_holds = Appointment.objects.filter(
        clinic=clinic, status=Appointment.Status.HELD, created_at__gte=run_started
    ).count()
    overlaps = check_overlaps(live_only=True)
    gets, post_summary = call_summary(calls, "GET"), call_summary(calls, "POST")
    ok = (
        issued == attempts
        and gets["server_errors"] == 0
        and post_summary["server_errors"] == 0
        and gets["no_answer"] == 0
        and post_summary["no_answer"] == 0
        and not any(overlaps.values())
        and new_holds == created
    )
    return {
        "attempts": issued,
        "attempts_asked": attempts,
        "clients": clients,
        "days": days,
        "wall_seconds": round(wall, 2),
        "attempts_per_second": round(issued / wall, 1),
        "posts_per_second": round(len(posts) / wall, 1),
        "requests_per_second": round(len(calls) / wall, 1),
        "attempts_without_slots": len(no_slots),
        # The calendar fills up as the run goes on: how many found nothing, per quarter of the run.
        "attempts_without_slots_by_quarter": [
            sum(1 for n in no_slots if q * issued < 4 * n <= (q + 1) * issued) for q in range(4)
        ],
        "get": gets,
        "post": post_summary,
        "holds_created": created,
        "new_holds_in_database": new_holds,
        "overlaps_among_live": overlaps,
        "cpu": {
            "gunicorn_seconds": round(cpu["server"], 1),
            "gunicorn_ms_per_request": round(cpu["server"] * 1000 / max(1, len(calls)), 1),
            # Backends that lived through the run; gunicorn keeps its connections (CONN_MAX_AGE).
            "postgres_backends_seconds": round(cpu["postgres"], 1),
            "load_generator_seconds": round(cpu["client"], 1),
            "machine_busy_percent": round(100 * cpu["busy"] / max(1, cpu["total"]), 1),
        },
        "verdict": "PASS" if ok else "FAIL",
    }
