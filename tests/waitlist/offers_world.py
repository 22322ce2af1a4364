"""A clinic with a waitlist for the offer tests: freed slots and entries written with the ORM (the
matching part computes matches; here they are made directly and handed to make_offers)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from notifications.models import Notification
from tests.booking.factories import local
from waitlist.models import Entry, FreedSlot, Offer, Reach
from waitlist.selectors.matching import Match


def weekday_ahead(clinic: Clinic, days: int = 2) -> date:
    """A working weekday at least `days` ahead in the clinic's zone."""
    day = timezone.now().astimezone(ZoneInfo(clinic.time_zone)).date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def free_slot(practitioner: Practitioner, kind: AppointmentType, start: datetime) -> FreedSlot:
    return FreedSlot.objects.create(
        clinic=kind.clinic,
        practitioner=practitioner,
        start=start,
        end=start + timedelta(minutes=kind.duration_minutes),
        cause=FreedSlot.Cause.CANCELLED,
    )


def add_entry(patient: Patient, kind: AppointmentType, *, notice: int = 60, reach: str = Reach.EMAIL) -> Entry:
    today = timezone.now().date()
    return Entry.objects.create(
        patient=patient,
        clinic=kind.clinic,
        appointment_type=kind,
        first_day=today,
        last_day=today + timedelta(days=30),
        notice_minutes=notice,
        reach_by=reach,
    )


def matches(entries: list[Entry], slot: FreedSlot) -> list[Match]:
    return [Match(entry, entry.appointment_type, slot.start) for entry in entries]


def secret_of(offer: Offer) -> str:
    """The link's secret, as the sender will read it from the outbox row."""
    return str(Notification.objects.get(offer=offer).context["secret"])


def at(clinic: Clinic, day: date, hh_mm: str) -> datetime:
    return local(clinic, day, hh_mm)
