"""Waitlist rows written with the ORM for the staff pages' tests: entries, freed times and the
offers the offers part's services would create (written directly until that part is merged)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from accounts.models import Patient
from booking.models import AppointmentType, Practitioner
from tests.workspace.factories import MONDAY, NOW, Desk
from waitlist.models import Entry, FreedSlot, Offer

TUESDAY = MONDAY + timedelta(days=1)


def make_entry(
    desk: Desk,
    patient: Patient,
    *,
    practitioner: Practitioner | None = None,
    joined_minutes_ago: int = 60,
    appointment_type: AppointmentType | None = None,
    first: date = MONDAY,
    last: date = MONDAY + timedelta(days=13),
    **fields: Any,
) -> Entry:
    return Entry.objects.create(
        patient=patient,
        clinic=desk.clinic,
        appointment_type=appointment_type or desk.needling,
        practitioner=practitioner,
        first_day=first,
        last_day=last,
        notice_minutes=fields.pop("notice_minutes", 120),
        joined_at=NOW - timedelta(minutes=joined_minutes_ago),
        **fields,
    )


def make_freed(practitioner: Practitioner, start: datetime, minutes: int = 40, **fields: Any) -> FreedSlot:
    clinic = practitioner.clinics.get()
    fields.setdefault("cause", FreedSlot.Cause.CANCELLED)
    return FreedSlot.objects.create(
        clinic=clinic, practitioner=practitioner, start=start, end=start + timedelta(minutes=minutes), **fields
    )


def make_offer(slot: FreedSlot, entry: Entry, **fields: Any) -> Offer:
    created = fields.pop("created_at", slot.freed_at)
    return Offer.objects.create(
        slot=slot,
        entry=entry,
        start=slot.start,
        appointment_type=entry.appointment_type,
        practitioner=slot.practitioner,
        token_hash=secrets.token_hex(32),
        created_at=created,
        expires_at=fields.pop("expires_at", created + timedelta(minutes=30)),
        **fields,
    )
