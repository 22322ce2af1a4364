"""What the push tests make: a practitioner's calendar in the real Radicale chosen as their write
target (the row the connections part writes), visits booked a week ahead through booking's real
services, and the sweep that writes the copies."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from icalendar import Calendar

from accounts.models import Patient
from booking import services
from booking.models import Appointment, Practitioner
from calendars import secrets
from calendars.models import CalendarSettings, Connection, VisitCopy
from calendars.services import copies
from calendars.uids import visit_uid
from tests.calendars.servers import USER, Radicale
from tests.workspace.factories import Desk


def connect(radicale: Radicale, practitioner: Practitioner, *, user: str = USER, write: bool = True) -> Connection:
    """The row connections.connect_caldav writes (without its discovery and first sync)."""
    url, username, password = radicale.new_calendar(user=user)
    return Connection.objects.create(
        practitioner=practitioner,
        kind=Connection.Kind.CALDAV,
        name="Work",
        host=urlsplit(url).netloc,
        secret=secrets.seal({"url": url, "username": username, "password": password}),
        write_visits=write,
    )


def calendar_url(connection: Connection) -> str:
    return secrets.unseal(connection.secret)["url"]


def uids_in(radicale: Radicale, connection: Connection) -> set[str]:
    return radicale.list_uids(calendar_url(connection), user=secrets.unseal(connection.secret)["username"])


def event_in(radicale: Radicale, connection: Connection, visit: Appointment) -> dict[str, object]:
    """The visit's event as Radicale holds it: its properties by name."""
    raw = radicale.objects(calendar_url(connection), user=secrets.unseal(connection.secret)["username"])
    [event] = Calendar.from_ical(raw[visit_uid(visit.pk)]).walk("VEVENT")
    return {
        "start": event.decoded("dtstart"),
        "end": event.decoded("dtend"),
        "summary": str(event["summary"]),
        "status": str(event["status"]),
        "sequence": int(event.decoded("sequence")),
        "location": str(event["location"]),
        "description": str(event["description"]),
    }


def week_ahead(desk: Desk, days: int = 7) -> date:
    return timezone.now().astimezone(desk.clinic.zone).date() + timedelta(days=days)


def book(desk: Desk, patient: Patient, start: datetime, practitioner: Practitioner | None = None) -> Appointment:
    """Held and confirmed now, on the real clock (the copy is due at once)."""
    held = services.hold_appointment(
        patient, appointment_type=desk.plain, start=start, practitioner=practitioner or desk.alex
    )
    return services.confirm_appointment(held, actor=patient.user)


def hold(desk: Desk, patient: Patient, start: datetime) -> Appointment:
    return services.hold_appointment(patient, appointment_type=desk.plain, start=start, practitioner=desk.alex)


def show(desk: Desk, detail: str) -> None:
    CalendarSettings.objects.update_or_create(clinic=desk.clinic, defaults={"event_detail": detail})


def push() -> int:
    """The beat sweep, as the worker runs it."""
    return copies.push_due()


def copy_of(visit: Appointment, connection: Connection) -> VisitCopy:
    return VisitCopy.objects.get(appointment=visit, connection=connection)
