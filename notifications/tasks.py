from __future__ import annotations

from celery import shared_task

from notifications import dispatch


@shared_task(name="notifications.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    """Beat job (every 30 s) and the after-commit nudge: send what is due.

    Safe to run twice or at once on several workers: rows are leased, not queued."""
    return dispatch.dispatch_due()
