"""The day and week calendars: the user's appointments in a range, and local days."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from accounts.models import User
from booking.models import Appointment, Clinic, Practitioner
from workspace.selectors.badges import Entry, entries
from workspace.selectors.visibility import staff_appointments

Status = Appointment.Status
# Holds that never became a booking are not the practitioner's business.
ABANDONED = Q(status=Status.HELD) | Q(
    status=Status.CANCELLED, cancel_reason__in=["hold_expired", "replaced by another time", "screening_blocked"]
)


def calendar(
    user: User,
    *,
    start: datetime,
    end: datetime,
    clinic: Clinic | None = None,
    practitioner: Practitioner | None = None,
) -> list[Entry]:
    """The user's appointments that overlap [start, end), oldest first."""
    appointments = staff_appointments(user).filter(start__lt=end, end__gt=start).exclude(ABANDONED)
    if clinic is not None:
        appointments = appointments.filter(clinic=clinic)
    if practitioner is not None:
        appointments = appointments.filter(practitioner=practitioner)
    return entries(appointments.order_by("start", "pk"))


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as UTC instants (23 or 25 hours long on DST days)."""
    return datetime.combine(day, time(0), zone), datetime.combine(day + timedelta(days=1), time(0), zone)


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def by_local_day(found: list[Entry], days: list[date], zone: ZoneInfo) -> list[tuple[date, list[Entry]]]:
    grouped: dict[date, list[Entry]] = defaultdict(list)
    for entry in found:
        grouped[entry.appointment.start.astimezone(zone).date()].append(entry)
    return [(day, grouped.get(day, [])) for day in days]
