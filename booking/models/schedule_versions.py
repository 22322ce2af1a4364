"""A counter per practitioner that moves whenever anything their free time is made of changes.

Database triggers (migration 0012, and calendars 0002 for busy time from calendars) bump it
in the same transaction as the change: an appointment, time off, working hours, a credential,
a calendar's busy ranges or its pause. Every write path counts, the services, the admin, bulk
updates and raw SQL alike, and the new number becomes visible exactly when the change
commits. booking/schedule_cache.py keys its cached schedules on it."""

from __future__ import annotations

from django.db import models


class ScheduleVersion(models.Model):
    # A plain id, not a foreign key: the trigger writes it, and a deleted practitioner's
    # row only lingers harmlessly.
    practitioner_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.practitioner_id}@{self.version}"
