"""Reads about offers: each offer's history for staff (sent, opened, claimed, expired)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from booking.models import Clinic, Practitioner
from waitlist.models import Entry, FreedSlot, Offer


def offer_history(
    clinic: Clinic,
    *,
    practitioner: Practitioner | None = None,
    day: date | None = None,
    entry: Entry | None = None,
    slot: FreedSlot | None = None,
) -> QuerySet[Offer]:
    """A clinic's offers, newest first, with what a history line shows; narrowed to one
    practitioner, one local day of the offered time, one entry or one freed time."""
    offers = Offer.objects.filter(slot__clinic=clinic).select_related(
        "entry__patient", "appointment_type", "practitioner", "slot", "claimed", "offered_by"
    )
    if practitioner is not None:
        offers = offers.filter(practitioner=practitioner)
    if entry is not None:
        offers = offers.filter(entry=entry)
    if slot is not None:
        offers = offers.filter(slot=slot)
    if day is not None:
        start, end = _day_bounds(day, ZoneInfo(clinic.time_zone))
        offers = offers.filter(start__gte=start, start__lt=end)
    return offers.order_by("-created_at", "-pk")


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(0), zone), datetime.combine(day + timedelta(days=1), time(0), zone)


def open_offers_of(patient_id: int) -> QuerySet[Offer]:
    """The patient's offers still waiting for an answer."""
    return Offer.objects.filter(entry__patient_id=patient_id, status__in=(Offer.Status.QUEUED, Offer.Status.SENT))
