"""Helpers shared by the patient's pages: whose appointment, where the journey stands,
how a slot travels in a URL, and the day strip of free times."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Patient, User
from booking import selectors
from booking.models import Appointment, AppointmentType, Practitioner
from consent.models import ConsentWithdrawal
from core import formats

Status = Appointment.Status
HOLD_EXPIRED = "hold_expired"  # the reason booking.services writes when a hold runs out
REPLACED = "replaced by another time"  # a hold given up because the patient chose another time
DAYS_IN_STRIP = 7
# The times page's query parameter naming one start (a slot code) to open with it picked.
TIME_PARAM = "time"
_SLOT_CODE = re.compile(r"^(\d{8})T(\d{4})Z$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def patient_of(request: HttpRequest) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def own_appointment(request: HttpRequest, pk: int) -> Appointment:
    """The signed-in patient's appointment; anyone else's id is a 404."""
    return selectors.own_appointment(patient_of(request), pk)


# --- Slots in URLs ------------------------------------------------------------------------


def slot_code(start: datetime) -> str:
    """A start time for a URL: UTC, no characters that need escaping (20260303T1000Z)."""
    return start.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def parse_slot_code(code: str) -> datetime | None:
    match = _SLOT_CODE.match(code or "")
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def idempotency_key(token: str, who: str, code: str) -> str | None:
    """One key per page and time: a double tap replays the first hold, never makes a second."""
    if not _TOKEN.match(token or ""):
        return None
    return f"page:{token}:{who}:{code}"


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def resolve_practitioner(appointment_type: AppointmentType, who: str | None) -> Practitioner | None:
    """None means "first available"; an id that does not offer this treatment is a 404."""
    if who in (None, "", "any"):
        return None
    if not str(who).isdigit():
        raise Http404("Unknown practitioner")
    practitioner = selectors.practitioners_offering(appointment_type).filter(pk=int(str(who))).first()
    if practitioner is None:
        raise Http404("Unknown practitioner")
    return practitioner


# --- Where the journey stands ---------------------------------------------------------------


def hold_is_active(appointment: Appointment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        appointment.status == Status.HELD
        and appointment.hold_expires_at is not None
        and appointment.hold_expires_at > now
    )


def hold_has_expired(appointment: Appointment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if appointment.status == Status.CANCELLED:
        return appointment.cancel_reason == HOLD_EXPIRED
    return appointment.status == Status.HELD and not hold_is_active(appointment, now)


def consent_withdrawn(appointment: Appointment) -> bool:
    return (
        appointment.consent_id is not None
        and ConsentWithdrawal.objects.filter(consent_id=appointment.consent_id).exists()
    )


def may_sign(appointment: Appointment, now: datetime | None = None) -> bool:
    """A needling visit that waits for a screening and a signature: a live hold, or a
    visit whose consent was withdrawn after it was booked."""
    if not appointment.appointment_type.involves_needling:
        return False
    if hold_is_active(appointment, now):
        return True
    return appointment.status == Status.PENDING_REVIEW and (
        appointment.consent_id is None or consent_withdrawn(appointment)
    )


def hold_banner(appointment: Appointment, now: datetime | None = None) -> dict[str, Any] | None:
    if not hold_is_active(appointment, now):
        return None
    now = now or timezone.now()
    assert appointment.hold_expires_at is not None
    left = appointment.hold_expires_at - now
    return {
        "until": formats.clock(appointment.hold_expires_at.astimezone(appointment.zone)),
        "iso": appointment.hold_expires_at.isoformat(),
        "minutes": max(1, round(left.total_seconds() / 60)),
    }


def too_late_to_change(appointment: Appointment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if appointment.status == Status.HELD:
        return False
    return appointment.start - now < appointment.clinic.cancellation_window


def too_late_message(appointment: Appointment) -> str:
    clinic = appointment.clinic
    hours = clinic.cancellation_window_hours
    closes = ngettext(
        "Changes online close %(hours)s hour before the appointment.",
        "Changes online close %(hours)s hours before the appointment.",
        hours,
    ) % {"hours": hours}
    if clinic.phone:
        call = _("Please call %(name)s on %(phone)s.") % {"name": clinic.name, "phone": clinic.phone}
    else:
        call = _("Please call %(name)s.") % {"name": clinic.name}
    return f"{closes} {call}"


def local_day(appointment: Appointment) -> date:
    return appointment.start.astimezone(appointment.zone).date()


def times_url(appointment_type: AppointmentType, who: str, day: date | None = None) -> str:
    url = reverse("booking:times", args=[appointment_type.pk]) + f"?practitioner={who}"
    return url + (f"&day={day.isoformat()}" if day else "")


# --- The day strip --------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    count: int
    selected: bool = False


@dataclass
class DayStrip:
    days: list[Day]
    selected: date | None
    times: dict[str, list[selectors.OfferedSlot]] = field(default_factory=dict)
    earlier: date | None = None
    later: date | None = None
    next_free: date | None = None

    @property
    def empty(self) -> bool:
        return not any(self.times.values())


def _midnight(day: date, appointment_type: AppointmentType) -> datetime:
    return datetime.combine(day, time(0), appointment_type.clinic.zone)


def day_strip(
    appointment_type: AppointmentType,
    practitioner: Practitioner | None,
    wanted: date | None,
    now: datetime,
    *,
    exclude_appointment_id: int | None = None,
) -> DayStrip:
    """Seven days of free times around the wanted day, in the clinic's zone, with that
    day's times (or the first day that has any) grouped by part of the day. When moving
    an appointment, `exclude_appointment_id` names it (see selectors.available_slots)."""
    clinic = appointment_type.clinic
    today = now.astimezone(clinic.zone).date()
    last = (now + clinic.policy.max_advance).astimezone(clinic.zone).date()
    if wanted is None or not today <= wanted <= last:
        wanted = None
    first = today + timedelta(days=DAYS_IN_STRIP * (((wanted - today).days // DAYS_IN_STRIP) if wanted else 0))
    end = first + timedelta(days=DAYS_IN_STRIP)
    slots = selectors.available_slots(
        appointment_type=appointment_type,
        practitioner=practitioner,
        start=_midnight(first, appointment_type),
        end=_midnight(end, appointment_type),
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )
    by_day: dict[date, list[selectors.OfferedSlot]] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(clinic.zone).date(), []).append(slot)
    selected = wanted or next((d for d in sorted(by_day)), None)
    days = [
        Day(day=d, count=len(by_day.get(d, [])), selected=d == selected)
        for d in (first + timedelta(days=i) for i in range(DAYS_IN_STRIP))
        if d <= last
    ]
    strip = DayStrip(
        days=days,
        selected=selected,
        earlier=first - timedelta(days=DAYS_IN_STRIP) if first > today else None,
        later=end if end <= last else None,
    )
    if selected is not None:
        strip.times = _parts_of_day(by_day.get(selected, []), clinic.zone)
    if not slots and strip.later:
        upcoming = next_free_times(
            appointment_type,
            practitioner,
            now,
            after=_midnight(end, appointment_type),
            limit=1,
            exclude_appointment_id=exclude_appointment_id,
        )
        strip.next_free = upcoming[0].start.astimezone(clinic.zone).date() if upcoming else None
    return strip


def _parts_of_day(slots: list[selectors.OfferedSlot], zone: Any) -> dict[str, list[selectors.OfferedSlot]]:
    """Morning, afternoon and evening (their names in the reader's language), in that order."""
    morning, afternoon, evening = _("Morning"), _("Afternoon"), _("Evening")
    parts: dict[str, list[selectors.OfferedSlot]] = {morning: [], afternoon: [], evening: []}
    for slot in slots:
        hour = slot.start.astimezone(zone).hour
        parts[morning if hour < 12 else afternoon if hour < 17 else evening].append(slot)
    return {name: found for name, found in parts.items() if found}


def next_free_times(
    appointment_type: AppointmentType,
    practitioner: Practitioner | None,
    now: datetime,
    *,
    after: datetime | None = None,
    limit: int = 6,
    exclude_appointment_id: int | None = None,
) -> list[selectors.OfferedSlot]:
    """The first free times from `after` (default now) within the clinic's advance window."""
    start = after or now
    end = now + appointment_type.clinic.policy.max_advance
    found: list[selectors.OfferedSlot] = []
    # A fortnight at a time: usually the first answers, and a busy diary costs a few queries more.
    while start < end and len(found) < limit:
        stop = min(start + timedelta(days=14), end)
        found += selectors.available_slots(
            appointment_type=appointment_type,
            practitioner=practitioner,
            start=start,
            end=stop,
            now=now,
            exclude_appointment_id=exclude_appointment_id,
        )
        start = stop
    return found[:limit]


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one), or None to leave a form unbound."""
    return request.POST if request.method == "POST" else None
