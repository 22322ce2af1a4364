"""Beat job: warn clinic admins by email 30 days before a dry-needling credential expires.

Registered as `booking.check_credential_expiry`, its name from before it moved here, so
the beat schedule and any queued call keep working; Celery's autodiscovery finds it. Safe to run
twice, or more often than daily: a notice row per credential and expiry date is
written first and committed, then each is claimed and sent at most once."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from workspace import expiry

log = logging.getLogger(__name__)


@shared_task(name="booking.check_credential_expiry", ignore_result=True)
def check_credential_expiry() -> int:
    """Plan the notices (committed on return), then send each one not sent yet."""
    due = expiry.plan_expiry_notices(today=timezone.localdate())
    sent = 0
    for notice_id in due:
        try:
            sent += expiry.send_expiry_notice(notice_id)
        except Exception:
            # One bad address must not hold up the others; the next run retries it.
            log.exception("credential expiry notice %s could not be sent", notice_id)
    return sent
