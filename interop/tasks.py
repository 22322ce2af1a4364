from __future__ import annotations

from celery import shared_task

from interop import publishing


@shared_task(name="interop.publish", ignore_result=True)
def publish() -> int:
    """Beat job: regenerate the SMART Scheduling Links files of clinics whose free time changed."""
    return publishing.publish_due()
