"""Staffing: working hours, upcoming time off and credentials (the schedule and credentials pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from booking.models import Clinic, Credential, Practitioner, TimeOff, WorkingHours


def working_hours(practitioner: Practitioner, clinic: Clinic) -> list[WorkingHours]:
    return list(WorkingHours.objects.filter(practitioner=practitioner, clinic=clinic).order_by("weekday", "start"))


def upcoming_time_off(practitioner: Practitioner, now: datetime | None = None) -> list[TimeOff]:
    now = now or timezone.now()
    return list(TimeOff.objects.filter(practitioner=practitioner, end__gt=now).order_by("start"))


def credentials_of(practitioners: Any) -> list[Credential]:
    return list(
        Credential.objects.filter(practitioner__in=practitioners)
        .select_related("practitioner")
        .order_by("practitioner__display_name", "kind", "-valid_from")
    )
