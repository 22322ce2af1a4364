"""Signed, expiring check-in links: no sign-in needed, nothing to guess.

The token carries the appointment's id and version, signed with SECRET_KEY and a
salt of its own, and stamped with the time it was made. It works for the clinic's
checkin_link_days; a tampered token, one for an older version of the appointment
or one past its age is refused."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from booking.models import Appointment
from notifications.selectors import settings_for

SALT = "notifications.checkin"


class BadLink(Exception):
    """Tampered, malformed, or for an appointment that changed since."""


class ExpiredLink(Exception):
    def __init__(self, appointment: Appointment) -> None:
        super().__init__("check-in link expired")
        self.appointment = appointment


def make_token(appointment: Appointment) -> str:
    return signing.dumps({"a": appointment.pk, "v": appointment.version}, salt=SALT, compress=True)


def checkin_url(appointment: Appointment) -> str:
    return settings.SITE_URL + reverse("notifications:checkin", args=[make_token(appointment)])


def read_token(token: str) -> Appointment:
    """The appointment the link is for; raises BadLink or ExpiredLink."""
    try:
        payload = signing.loads(token, salt=SALT)
        appointment_id, version = int(payload["a"]), int(payload["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadLink from None
    appointment = (
        Appointment.objects.select_related("clinic", "patient", "practitioner__user").filter(pk=appointment_id).first()
    )
    if appointment is None or appointment.version != version:
        raise BadLink
    max_age = settings_for(appointment.clinic).checkin_link_age
    try:
        signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredLink(appointment) from None
    return appointment
