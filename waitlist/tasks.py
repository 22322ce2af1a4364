from __future__ import annotations

from celery import shared_task

from waitlist.services import offers


@shared_task(name="waitlist.pass_on_expired", ignore_result=True)
def pass_on_expired() -> int:
    """Beat job (every minute): offers that ran out end as expired (a sequential offer's hold is
    released) and their times go to the next patient on the waitlist. Safe to run at once on
    several workers: expired offers are taken with SKIP LOCKED and a slot is offered under its lock."""
    return offers.pass_on_expired()
