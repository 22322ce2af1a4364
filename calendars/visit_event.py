"""The iCalendar event of one Acus visit, as written to a practitioner's own calendar.

Pure: plain values in (a Visit), bytes out; no database. The event says when and where the
practitioner is busy and, as the clinic chose (CalendarSettings.event_detail), who with: nothing
else. Never the treatment, the answers to the health questions, notes, or the patient's contact
details: a practitioner's calendar is hosted by someone else and shared with family, assistants
and phones, and health data never leaves Acus. The link leads back to the visit in the workspace,
behind sign-in, for everything else.

The UID is stable for the appointment's life and SEQUENCE follows its version, so a move updates
the same event in every calendar app instead of adding a second one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from booking.models import Appointment
from calendars.models import EventDetail
from calendars.uids import visit_uid

PRODUCT_ID = "-//Acus//Visit copy//EN"


@dataclass(frozen=True)
class Visit:
    """What the event may show of an appointment, and nothing more."""

    appointment_id: int
    start: datetime
    end: datetime
    version: int
    tentative: bool
    patient_name: str  # the name staff see: legal name, else preferred name ("" when neither)
    clinic_name: str

    @classmethod
    def of(cls, appointment: Appointment) -> Visit:
        """From an appointment loaded with its patient and clinic (select_related)."""
        patient = appointment.patient
        return cls(
            appointment_id=appointment.pk,
            start=appointment.start,
            end=appointment.end,
            version=appointment.version,
            tentative=appointment.status == Appointment.Status.PENDING_REVIEW,
            patient_name=(patient.legal_name or patient.preferred_name).strip(),
            clinic_name=appointment.clinic.name,
        )


def initials(name: str) -> str:
    """ "Jane Doe" -> "J. D."; "Anne-Marie de la Cruz" -> "A. M. D." (at most three letters)."""
    letters = [word[0].upper() for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return " ".join(f"{letter}." for letter in letters[:3])


def summary(visit: Visit, detail: str) -> str:
    """In the active language."""
    if detail == EventDetail.INITIALS:
        who = initials(visit.patient_name)
    elif detail == EventDetail.FULL_NAME:
        who = visit.patient_name
    else:
        who = ""
    if not who:
        return _("Acus visit")
    return _("Acus visit: %(patient)s") % {"patient": who}


def visit_link(appointment_id: int) -> str:
    return settings.SITE_URL + reverse("staff:appointment", args=[appointment_id])


def visit_ics(visit: Visit, *, detail: str, language: str, now: datetime) -> bytes:
    """The calendar object (one VEVENT) for a PUT, its words in `language` (the practitioner's)."""
    link = visit_link(visit.appointment_id)
    with translation.override(language or settings.LANGUAGE_CODE):
        title = summary(visit, detail)
        description = _("Open this visit in Acus: %(link)s") % {"link": link}
    event = Event()
    event.add("uid", visit_uid(visit.appointment_id))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", visit.start.astimezone(UTC))
    event.add("dtend", visit.end.astimezone(UTC))
    event.add("sequence", visit.version)
    event.add("status", "TENTATIVE" if visit.tentative else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("summary", title)
    event.add("location", visit.clinic_name)
    event.add("description", description)
    event.add("url", link)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return bytes(calendar.to_ical())
