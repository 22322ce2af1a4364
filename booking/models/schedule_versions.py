"""Counters that move whenever anything a practitioner's free time is made of changes.

Database triggers (migrations 0012 and 0014, calendars 0002 and 0003) bump them in the same
transaction as the change, whatever writes it (the services, the admin, bulk updates, raw
SQL), so a new number becomes visible exactly when the change commits.
booking/schedule_cache.py keys its cached schedules on them:

- ScheduleVersion, per practitioner: what shapes every day (working hours, credentials, a
  calendar connection and its pause); on SQLite also everything else.
- ScheduleDayVersion, per practitioner and UTC day (PostgreSQL): what occupies a span
  (appointments, time off, busy time from calendars) bumps only the days the span touches,
  before and after the change. A hold then leaves the practitioner's other days cached."""

from __future__ import annotations

from django.db import models


class ScheduleVersion(models.Model):
    # A plain id, not a foreign key: the trigger writes it, and a deleted practitioner's
    # row only lingers harmlessly.
    practitioner_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.practitioner_id}@{self.version}"


class ScheduleDayVersion(models.Model):
    pk = models.CompositePrimaryKey("practitioner_id", "day")
    practitioner_id = models.BigIntegerField()
    day = models.DateField()  # a UTC date
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.practitioner_id}/{self.day}@{self.version}"
