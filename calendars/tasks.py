"""Calendar sync's Celery tasks (beat jobs in config/schedule.py). They take ids and call the
services, and are safe to run twice: a connection another worker is syncing is skipped, and a
copy another worker is writing too (their leases)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from calendars.services import copies, sync


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


@shared_task(name="calendars.push_copy", ignore_result=True)
def push_copy(copy_id: int) -> bool:
    """Queued after a visit's change commits: bring its copy in one calendar up to date. Safe to
    run twice or on two workers at once (a lease; put and delete by a stable UID)."""
    return copies.write_copy(copy_id)


@shared_task(name="calendars.push_due", ignore_result=True)
def push_due() -> int:
    """Beat job (every minute): every copy behind its visit and past its backoff, written, so a
    nudge lost with the broker or a calendar that was down is caught up."""
    return copies.push_due()
