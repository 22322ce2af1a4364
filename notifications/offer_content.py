"""The names a waitlist offer's templates may use (waitlist_offer.*).

The link carries the offer's secret, which only the outbox row's context holds until it is sent;
it goes into the message and nowhere else (never a log line)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from core import formats
from notifications.models import Notification
from notifications.selectors import offer_zone


def offer_link(secret: str) -> str:
    try:
        path = reverse("waitlist:offer", args=[secret])
    except NoReverseMatch:  # the page's agreed path, until the page is merged
        path = f"/waitlist/offers/{secret}/"
    return settings.SITE_URL + path


def values(notification: Notification) -> dict[str, Any]:
    offer = notification.offer
    assert offer is not None
    zone = offer_zone(offer)
    clinic = offer.appointment_type.clinic
    patient = offer.entry.patient
    start = offer.start.astimezone(zone)
    expires = offer.expires_at.astimezone(zone)
    return {
        "patient_name": patient.display_name,
        "practitioner_name": offer.practitioner.display_name,
        "treatment": offer.appointment_type.shown_name,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "clinic_address": clinic.address,
        "when": f"{formats.full_date_at(start)} ({zone.key})",
        "expires": f"{formats.full_date_at(expires)} ({zone.key})",
        "expires_time": formats.clock(expires),
        "zone": zone.key,
        "site_url": settings.SITE_URL,
        "offer_url": offer_link(str(notification.context.get("secret", ""))),
    }
