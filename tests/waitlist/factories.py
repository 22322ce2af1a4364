"""What the waitlist's tests make: a wish to join with, and entries written straight to the
table (as another part would)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from accounts.models import Patient
from booking.models import AppointmentType, Practitioner
from tests.workspace.factories import MONDAY, NOW, Desk
from waitlist.models import Entry, FreedSlot
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


def join(patient: Patient, appointment_type: AppointmentType, *, joined: datetime = NOW, **fields: Any) -> Entry:
    """The row the entries part's join() writes."""
    values: dict[str, Any] = {
        "first_day": MONDAY,
        "last_day": MONDAY + timedelta(days=30),
        "notice_minutes": 120,
        "joined_at": joined,
    }
    return Entry.objects.create(
        patient=patient, clinic=appointment_type.clinic, appointment_type=appointment_type, **{**values, **fields}
    )


def freed_slot(desk: Desk, start: datetime, end: datetime, practitioner: Practitioner | None = None) -> FreedSlot:
    return FreedSlot.objects.create(
        clinic=desk.clinic,
        practitioner=practitioner or desk.alex,
        start=start,
        end=end,
        cause=FreedSlot.Cause.CANCELLED,
        freed_at=NOW,
    )
