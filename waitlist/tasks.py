"""The waitlist's Celery tasks (beat jobs in config/schedule.py)."""

from __future__ import annotations

from celery import shared_task

from waitlist.services import entries


@shared_task(name="waitlist.end_past_entries", ignore_result=True)
def end_past_entries() -> int:
    """Beat job: entries whose last day is over end (status ended)."""
    return entries.end_past()
