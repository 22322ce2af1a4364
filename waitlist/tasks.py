"""The waitlist's Celery tasks (beat jobs in config/schedule.py)."""

from __future__ import annotations

from celery import shared_task

from waitlist.models import FreedSlot
from waitlist.services import entries, offers


@shared_task(name="waitlist.end_past_entries", ignore_result=True)
def end_past_entries() -> int:
    """Beat job: entries whose last day is over end (status ended)."""
    return entries.end_past()


@shared_task(name="waitlist.fill_slot", ignore_result=True)
def fill_slot(slot_id: int) -> int:
    """Queued after a freed time commits (waitlist.services.freeing): offer it to the
    waitlist's matches. Returns how many offers were made; a slot no longer open makes none
    (offer_slot decides), so running it twice is harmless."""
    slot = FreedSlot.objects.filter(pk=slot_id, outcome=FreedSlot.Outcome.OPEN).first()
    if slot is None:
        return 0
    return len(offers.offer_slot(slot))


@shared_task(name="waitlist.pass_on_expired", ignore_result=True)
def pass_on_expired() -> int:
    """Beat job (every minute): offers that ran out end as expired (a sequential offer's hold is
    released) and their times go to the next patient on the waitlist. Safe to run at once on
    several workers: expired offers are taken with SKIP LOCKED and a slot is offered under its lock."""
    return offers.pass_on_expired()
