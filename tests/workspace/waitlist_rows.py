"""Waitlist rows written with the ORM for the staff pages' tests: entries, freed times and the
offers the offers part's services would create (written directly until that part is merged)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from accounts.models import Patient
from booking.models import AppointmentType, Practitioner
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment, make_clinic, make_practitioner, make_type
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


def known_period(desk: Desk, day: date = TUESDAY) -> None:
    """Five freed times in the period: three cancellations (two filled after 10 and 30 minutes),
    one move (filled after 60 minutes), one expired hold (not filled); plus one freed before
    the period and one at another clinic, which do not count."""
    patient = make_patient()
    for n, (cause, minutes) in enumerate(
        [
            (FreedSlot.Cause.CANCELLED, 10),
            (FreedSlot.Cause.CANCELLED, 30),
            (FreedSlot.Cause.CANCELLED, None),
            (FreedSlot.Cause.MOVED, 60),
            (FreedSlot.Cause.HOLD_EXPIRED, None),
        ]
    ):
        start = desk.at(f"{9 + n:02d}:00", day)
        freed_at = NOW - timedelta(hours=n + 1)
        filled: dict[str, Any] = {}
        if minutes is not None:
            visit = insert_appointment(patient, desk.alex, desk.plain, start)
            filled = {
                "outcome": FreedSlot.Outcome.FILLED,
                "filled_at": freed_at + timedelta(minutes=minutes),
                "filled_by": visit,
            }
        make_freed(desk.alex, start, cause=cause, freed_at=freed_at, **filled)
    make_freed(desk.alex, desk.at("16:00", TUESDAY), freed_at=NOW - timedelta(days=30))
    elsewhere = make_clinic(name="Elsewhere", slug=f"elsewhere-{day.isoformat()}")
    make_type(elsewhere)
    make_freed(make_practitioner(elsewhere), desk.at("16:00", TUESDAY), freed_at=NOW - timedelta(hours=1))
