"""Warm-up: the workers' first requests, not counted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from django.utils import timezone

from bench.http_booking.client import API, Client, call_summary, slots_path
from booking.models import AppointmentType, Clinic


def warm_up(port: int, clinic: Clinic, tokens: dict[int, str], workers: int) -> dict[str, Any]:
    """Each worker's first requests import and build much of the app (~0.8 s on this machine):
    send a few rounds of GET /slots and of an invalid POST (400, books nothing) first, not counted."""
    kind = AppointmentType.objects.filter(clinic=clinic).order_by("position").first()
    assert kind is not None
    token = next(iter(tokens.values()))
    now = timezone.now()

    def one(_: int) -> Client:
        client = Client(port)
        client.request("GET", slots_path(kind.pk, "any", now, now + timedelta(days=7)), token=token)
        client.request("POST", f"{API}/appointments", token=token, body={})
        client.close()
        return client

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        calls = [c for client in pool.map(one, range(workers * 4)) for c in client.calls]
    return call_summary(calls)
