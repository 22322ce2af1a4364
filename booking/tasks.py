from __future__ import annotations

from celery import shared_task

from booking import services


@shared_task(name="booking.expire_stale_holds", ignore_result=True)
def expire_stale_holds() -> int:
    """Beat job: holds that ran out become cancelled (reason hold_expired)."""
    return services.release_expired_holds()
