"""Calendar sync's Celery tasks (beat jobs in config/schedule.py). They take ids and call the
services, and are safe to run twice: a connection another worker is syncing is skipped (its lease)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from calendars.services import sync


@shared_task(name="calendars.sync_connection", ignore_result=True)
def sync_connection(connection_id: int) -> bool:
    """Read one calendar's busy time now (on demand, or queued by sync_due)."""
    return sync.sync_connection(connection_id)


@shared_task(name="calendars.sync_due", ignore_result=True)
def sync_due(minutes: int = 10) -> int:
    """Beat job (every minute): queue a sync of every calendar not paused that was last tried
    more than `minutes` ago. Failing calendars are due too, so a calendar whose server stays down
    is retried, and is found stale (and people told) while nothing else changes."""
    due = sync.due_connections(now=timezone.now(), every=timedelta(minutes=minutes))
    for connection_id in due:
        sync_connection.delay(connection_id)
    return len(due)
