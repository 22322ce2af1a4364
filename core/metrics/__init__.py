"""Prometheus metrics: the families (families.py), counting after commit (below), the request
middleware (middleware.py), who may scrape (access.py), what a scrape returns (scrape.py) and
the per-process files of multiprocess mode (processes.py). README, "Metrics", is the guide."""

from __future__ import annotations

from django.db import transaction
from prometheus_client import Counter

from core.metrics.families import (
    BOOKINGS,
    CANCELLATIONS,
    HOLDS,
    HOLDS_EXPIRED,
    MESSAGES_FAILED,
    MESSAGES_SENT,
    SCREENINGS,
    SEND_ERRORS,
    SIGNATURES,
)
from core.metrics.scrape import register

__all__ = [
    "BOOKINGS",
    "CANCELLATIONS",
    "HOLDS",
    "HOLDS_EXPIRED",
    "MESSAGES_FAILED",
    "MESSAGES_SENT",
    "SCREENINGS",
    "SEND_ERRORS",
    "SIGNATURES",
    "count_after_commit",
    "register",
]


def count_after_commit(counter: Counter, amount: float = 1, **labels: str) -> None:
    """Count once the caller's transaction commits: a booking rolled back counts nothing.
    Outside a transaction (autocommit) it counts at once."""
    if amount <= 0:
        return
    child = counter.labels(**labels) if labels else counter
    transaction.on_commit(lambda: child.inc(amount))
