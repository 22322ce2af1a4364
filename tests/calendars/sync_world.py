"""A clinic in London with one practitioner, hourly slots 09:00-17:00 on weekdays, and calendars
connected to the real Radicale or ICS server; the busy events the sync tests put there, and the
slots those events must remove, written out by hand (not computed by the code under test).

"Now" is Friday 20 March 2026, 12:00 UTC; the Europe/London clocks go forward on Sunday 29 March."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import User
from booking import selectors
from booking.models import AppointmentType, Clinic, Practitioner
from calendars.models import Connection
from tests.accounts.factories import make_staff
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.calendars.factories import make_connection

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
# The weeks the tests look at: Monday 23 March to Friday 17 April.
FIRST_DAY = date(2026, 3, 23)
LAST_DAY = date(2026, 4, 17)
HOURS = range(9, 17)  # slot starts, local: 09:00 ... 16:00, one hour each


@dataclass
class World:
    clinic: Clinic
    practitioner: Practitioner
    treatment: AppointmentType
    admin: User


def make_world(*, admin_language: str = "") -> World:
    clinic = make_clinic(time_zone="Europe/London", slot_step_minutes=60, min_notice_minutes=0)
    treatment = make_type(clinic, minutes=60)
    practitioner = make_practitioner(clinic)
    admin = make_staff(User.Role.CLINIC_ADMIN)
    if admin_language:
        User.objects.filter(pk=admin.pk).update(language=admin_language)
    clinic.admins.add(admin)
    return World(clinic, practitioner, treatment, admin)


def connect(world: World, *, kind: str, url: str, username: str = "", password: str = "") -> Connection:
    return make_connection(world.practitioner, kind=kind, url=url, username=username, password=password)


def offered(world: World) -> set[datetime]:
    """The start of every slot available_slots offers in the weeks looked at."""
    slots = selectors.available_slots(
        appointment_type=world.treatment,
        practitioner=world.practitioner,
        start=datetime.combine(FIRST_DAY, time(0), LONDON),
        end=datetime.combine(LAST_DAY + timedelta(days=1), time(0), LONDON),
        now=NOW,
    )
    return {slot.start.astimezone(UTC) for slot in slots}


def every_slot() -> set[datetime]:
    """All weekday hours in the weeks looked at, as if nothing were busy."""
    found = set()
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            found |= {datetime.combine(day, time(h), LONDON).astimezone(UTC) for h in HOURS}
        day += timedelta(days=1)
    return found


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LONDON).astimezone(UTC)


VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19810329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19961027T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

# One calendar object each (as a CalDAV server stores them); the ICS file holds them all.
EVENTS = {
    # Tuesday 24 March, 11:30-12:15 GMT: the 11:00 and 12:00 slots.
    "single": """BEGIN:VEVENT
UID:single@test
DTSTAMP:20260301T000000Z
DTSTART;TZID=Europe/London:20260324T113000
DTEND;TZID=Europe/London:20260324T121500
SUMMARY:Dentist
END:VEVENT
""",
    # Wednesdays 14:00-15:00 London time, four weeks across the clock change: 25 March (GMT),
    # 1 April moved to Thursday 2 April 09:00, 8 April cancelled, 15 April (BST, so 13:00 UTC).
    "weekly": """BEGIN:VEVENT
UID:weekly@test
DTSTAMP:20260301T000000Z
DTSTART;TZID=Europe/London:20260325T140000
DTEND;TZID=Europe/London:20260325T150000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/London:20260408T140000
SUMMARY:Ward round
END:VEVENT
BEGIN:VEVENT
UID:weekly@test
DTSTAMP:20260301T000000Z
RECURRENCE-ID;TZID=Europe/London:20260401T140000
DTSTART;TZID=Europe/London:20260402T090000
DTEND;TZID=Europe/London:20260402T100000
SUMMARY:Ward round (moved)
END:VEVENT
""",
    # Saturday 28 March 22:00 GMT to Monday 30 March 09:30 BST: only the 09:00 slot on Monday
    # (read as GMT, 09:30 would be 10:30 BST and take the 10:00 slot too).
    "across_dst": """BEGIN:VEVENT
UID:across-dst@test
DTSTAMP:20260301T000000Z
DTSTART;TZID=Europe/London:20260328T220000
DTEND;TZID=Europe/London:20260330T093000
SUMMARY:Conference
END:VEVENT
""",
    # All of Friday 27 March, in the clinic's zone.
    "all_day": """BEGIN:VEVENT
UID:all-day@test
DTSTAMP:20260301T000000Z
DTSTART;VALUE=DATE:20260327
DTEND;VALUE=DATE:20260328
SUMMARY:Holiday
END:VEVENT
""",
    # Thursday 26 March 10:00-11:00, marked free: blocks nothing.
    "transparent": """BEGIN:VEVENT
UID:transparent@test
DTSTAMP:20260301T000000Z
DTSTART;TZID=Europe/London:20260326T100000
DTEND;TZID=Europe/London:20260326T110000
TRANSP:TRANSPARENT
SUMMARY:Maybe lunch
END:VEVENT
""",
}

# The slots those events take, by hand.
BLOCKED = {
    at(date(2026, 3, 24), 11),
    at(date(2026, 3, 24), 12),
    at(date(2026, 3, 25), 14),
    at(date(2026, 4, 2), 9),
    at(date(2026, 4, 15), 14),
    at(date(2026, 3, 30), 9),
    *(at(date(2026, 3, 27), h) for h in HOURS),
}


def calendar(*events: str) -> str:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//acus tests//EN\n" + VTIMEZONE + "".join(events) + "END:VCALENDAR\n"
    return body.replace("\n", "\r\n")
