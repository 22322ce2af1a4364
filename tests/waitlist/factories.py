"""What the waitlist's tests make: a wish to join with, and entries written straight to the
table (as another part would)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from accounts.models import Patient
from booking.models import AppointmentType, Practitioner
from tests.workspace.factories import MONDAY, Desk
from waitlist.models import Entry
from waitlist.services.entries import EntryInput


def wish(desk: Desk, **changes: Any) -> EntryInput:
    """Plain visits with anyone, weekday mornings, from Monday 1 June for two weeks."""
    base = EntryInput(
        appointment_type=desk.plain,
        practitioner=None,
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=13),
        weekdays=[0, 2, 4],
        parts_of_day=["morning"],
        notice_minutes=120,
        reach_by="email",
    )
    return replace(base, **changes)


def insert_entry(
    patient: Patient,
    kind: AppointmentType,
    *,
    first_day: date = MONDAY,
    last_day: date | None = None,
    practitioner: Practitioner | None = None,
    **fields: Any,
) -> Entry:
    return Entry.objects.create(
        patient=patient,
        clinic=kind.clinic,
        appointment_type=kind,
        practitioner=practitioner,
        first_day=first_day,
        last_day=last_day or first_day + timedelta(days=13),
        notice_minutes=fields.pop("notice_minutes", 120),
        **fields,
    )
