"""An appointment as an iCalendar file (RFC 5545) a patient adds to their calendar.

Its words (SUMMARY, DESCRIPTION) are in the active language: the patient's own, as the
page or the message that carries the file activates it.

The file says what, where, when and with whom, and how to change it; nothing about
the patient or their health beyond the treatment's name. The UID stays the same for
the life of the appointment and SEQUENCE follows its version, so a calendar app
replaces the event when a patient imports the file again after a reschedule."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from booking.models import Appointment

PRODUCT_ID = "-//Acus//Booking//EN"

_STATUS = {
    Appointment.Status.HELD: "TENTATIVE",
    Appointment.Status.PENDING_REVIEW: "TENTATIVE",
    Appointment.Status.CONFIRMED: "CONFIRMED",
    Appointment.Status.COMPLETED: "CONFIRMED",
    Appointment.Status.NO_SHOW: "CONFIRMED",
    Appointment.Status.DECLINED: "CANCELLED",
    Appointment.Status.CANCELLED: "CANCELLED",
}


def appointment_uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@acus"


def appointment_calendar(appointment: Appointment) -> bytes:
    """A calendar with one event, its times in the clinic's zone (with a VTIMEZONE)."""
    zone = appointment.zone
    clinic = appointment.clinic
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.version)
    # When this state of the appointment came to be, so the same state gives the same file.
    event.add("dtstamp", appointment.updated_at)
    event.add("created", appointment.created_at)
    event.add("last-modified", appointment.updated_at)
    event.add("dtstart", appointment.start.astimezone(zone))
    event.add("dtend", appointment.end.astimezone(zone))
    event.add(
        "summary",
        _("%(treatment)s at %(clinic)s")
        % {"treatment": appointment.appointment_type.shown_name, "clinic": clinic.name},
    )
    if clinic.address:
        event.add("location", clinic.address)
    event.add("description", _description(appointment))
    event.add("status", _STATUS[Appointment.Status(appointment.status)])
    event.add("url", settings.SITE_URL + "/")
    event.add("transp", "OPAQUE")

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    year = appointment.start.astimezone(zone).year
    # The zone's rules around the visit only; the default span (1970-2038) is long.
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return bytes(calendar.to_ical())


def _description(appointment: Appointment) -> str:
    clinic = appointment.clinic
    lines = [_("With %(name)s.") % {"name": appointment.practitioner.display_name}]
    if appointment.status in (Appointment.Status.CANCELLED, Appointment.Status.DECLINED):
        lines.append(_("This appointment is cancelled."))
    lines.append(_("To cancel or change it, sign in at %(url)s") % {"url": f"{settings.SITE_URL}/"})
    if clinic.phone:
        hours = clinic.cancellation_window_hours
        lines.append(
            ngettext(
                "Within %(hours)s hour of the visit, please call %(clinic)s on %(phone)s.",
                "Within %(hours)s hours of the visit, please call %(clinic)s on %(phone)s.",
                hours,
            )
            % {"hours": hours, "clinic": clinic.name, "phone": clinic.phone}
        )
    return "\n".join(lines)
