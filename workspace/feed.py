"""A practitioner's appointments as an iCalendar feed (RFC 5545) for their calendar app.

The feed is reached by a secret address, without signing in, so it carries no health
data: each event names the patient by initials and the appointment type only. The
UID stays the same for the life of an appointment and SEQUENCE follows its version.
Its words are in the active language: the view activates the practitioner's own."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import Patient
from booking.models import Appointment, Practitioner
from workspace.services import feed_token_hash

PRODUCT_ID = "-//Acus//Practitioner calendar//EN"
PAST = timedelta(days=30)
AHEAD = timedelta(days=180)
SHOWN = (
    Appointment.Status.PENDING_REVIEW,
    Appointment.Status.CONFIRMED,
    Appointment.Status.COMPLETED,
    Appointment.Status.NO_SHOW,
)


def practitioner_for_token(token: str) -> Practitioner | None:
    if not token or len(token) > 100:
        return None
    return Practitioner.objects.filter(feed_token_hash=feed_token_hash(token), active=True).first()


def initials(patient: Patient) -> str:
    name = patient.legal_name or patient.preferred_name
    letters = [word[0].upper() for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return ".".join(letters[:3]) + "." if letters else _("Patient")


def feed_calendar(practitioner: Practitioner, *, now: datetime) -> bytes:
    appointments = (
        Appointment.objects.filter(
            practitioner=practitioner, status__in=SHOWN, start__gte=now - PAST, start__lt=now + AHEAD
        )
        .select_related("patient", "appointment_type", "clinic")
        .order_by("start", "pk")
    )
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Acus: %(name)s") % {"name": practitioner.display_name})
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    years: set[int] = set()
    for appointment in appointments:
        calendar.add_component(_event(appointment))
        years.add(appointment.start.astimezone(appointment.zone).year)
    if years:
        calendar.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return bytes(calendar.to_ical())


def _event(appointment: Appointment) -> Event:
    zone = appointment.zone
    event = Event()
    event.add("uid", f"staff-appointment-{appointment.pk}@acus")
    event.add("sequence", appointment.version)
    event.add("dtstamp", appointment.updated_at)
    event.add("dtstart", appointment.start.astimezone(zone))
    event.add("dtend", appointment.end.astimezone(zone))
    event.add("summary", f"{initials(appointment.patient)} · {appointment.appointment_type.shown_name}")
    event.add("location", appointment.clinic.name)
    tentative = appointment.status == Appointment.Status.PENDING_REVIEW
    event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    event.add("url", settings.SITE_URL + reverse("staff:appointment", args=[appointment.pk]))
    event.add("transp", "OPAQUE")
    return event
