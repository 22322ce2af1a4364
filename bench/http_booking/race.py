"""(c1) the race: many clients, each its own patient and connection, POST the same slot at once."""

from __future__ import annotations

import random
import threading
import time as clock
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from bench.http_booking.client import API, Client, call_summary, slot_list, slots_path
from bench.http_booking.data import patients_free_during
from booking.models import Appointment, AppointmentType, Clinic, Practitioner


def race_for_one_slot(
    port: int, clinic: Clinic, tokens: dict[int, str], clients: int, rng: random.Random, deadline: float
) -> dict[str, Any]:
    kind = AppointmentType.objects.get(clinic=clinic, name="Follow-up dry needling")
    practitioner = Practitioner.objects.filter(clinics=clinic).order_by("id")[1]
    now = timezone.now()
    probe = Client(port)
    any_token = next(iter(tokens.values()))
    status, data = probe.request(
        "GET", slots_path(kind.pk, practitioner.pk, now, now + timedelta(days=28)), token=any_token
    )
    slots = slot_list(data)
    if status != 200 or not slots:
        raise RuntimeError(f"c1: GET slots answered {status} with {len(slots)} slots: {str(data)[:300]}")
    slot = slots[len(slots) // 2]
    start = datetime.fromisoformat(slot["start"])
    patients = patients_free_during(start, datetime.fromisoformat(slot["end"]), tokens)
    racers = rng.sample(patients, clients)
    body = {"appointment_type": kind.pk, "practitioner": practitioner.pk, "start": slot["start"]}
    barrier = threading.Barrier(clients, timeout=60)
    keys = {pid: str(uuid.uuid4()) for pid in racers}
    answers: dict[int, tuple[int, Any]] = {}

    def run(pid: int) -> Client:
        client = Client(port)
        client.connect()
        barrier.wait()
        if clock.monotonic() < deadline:
            answers[pid] = client.request("POST", f"{API}/appointments", token=tokens[pid], body=body, key=keys[pid])
        client.close()
        return client

    print(f"c1: {clients} clients race for {slot['start']} with practitioner {practitioner.pk} ({kind.name})")
    began = clock.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        finished = list(pool.map(run, racers))
    wall = clock.perf_counter() - began
    calls = [c for client in finished for c in client.calls]

    winners = [pid for pid, (st, _) in answers.items() if st == 201]
    replay: dict[str, Any] = {}
    if len(winners) == 1:
        pid = winners[0]
        first_id = answers[pid][1]["id"]
        again = Client(port)
        st, data = again.request("POST", f"{API}/appointments", token=tokens[pid], body=body, key=keys[pid])
        replay = {"status": st, "same_id": isinstance(data, dict) and data.get("id") == first_id}
    live_here = Appointment.objects.filter(practitioner=practitioner, status__in=Appointment.LIVE, start=start).count()
    summary = call_summary(calls)
    ok = (
        len(winners) == 1
        and summary["statuses"].get("409 slot_unavailable", 0) == clients - 1
        and summary["server_errors"] == 0
        and live_here == 1
        and replay.get("status") == 200
        and replay.get("same_id") is True
    )
    return {
        "slot": slot,
        "clients": clients,
        "wall_seconds": round(wall, 2),
        **summary,
        "successes": len(winners),
        "live_appointments_at_slot": live_here,
        "idempotent_retry": replay,
        "verdict": "PASS" if ok else "FAIL",
    }
