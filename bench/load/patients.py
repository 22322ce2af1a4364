"""The simulated patients: each a thread with its own connection, token and random stream."""

from __future__ import annotations

import random
import threading
import time as clock
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from bench.http_booking.client import API, Client, slot_list

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
