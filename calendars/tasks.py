"""Calendar sync's Celery tasks (beat jobs in config/schedule.py)."""

from __future__ import annotations

from celery import shared_task

from calendars.services import copies


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
