"""Writes of the practitioner workspace: arrival, session notes, completing a session,
working hours, time off, the calendar feed and credential-expiry notices.

Each is atomic and leaves an audit row (AppointmentEvent or PractitionerEvent).
Credential-expiry warnings are in workspace/expiry.py.
Cancel, move, no-show and completion itself go through booking.services, which
tell the patient; review decisions go through booking.consent_flow."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from booking import errors, selectors, services
from booking.models import (
    Appointment,
    AppointmentEvent,
    Clinic,
    Practitioner,
    PractitionerEvent,
    SessionNote,
    SideEffect,
    TimeOff,
    WorkingHours,
)
from booking.services.locks import locked_appointment
from workspace import schedule_rules
from workspace.schedule_rules import Window

log = logging.getLogger(__name__)
Status = Appointment.Status
Action = AppointmentEvent.Action

# A patient may be marked arrived this long before the visit starts.
ARRIVAL_EARLIEST = timedelta(hours=1)
MAX_REGIONS = 20


class InvalidInput(errors.BookingError):
    """Bad input, named by field: pages show it next to the field, the API as a 400."""

    code = "invalid"
    status = 400

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in fields.values() for m in messages))
        self.fields = fields


class Stranded(errors.BookingError):
    """The change would leave booked visits outside working hours or inside time off."""

    code = "strands_appointments"

    def __init__(self, message: str, appointments: Sequence[Appointment]) -> None:
        super().__init__(message)
        self.appointments = list(appointments)


class ConsentNotReconfirmed(errors.BookingError):
    code = "consent_not_reconfirmed"


# --- Appointments -----------------------------------------------------------------------


def has_arrived(appointment: Appointment) -> bool:
    return appointment.events.filter(action=Action.ARRIVED).exists()


def mark_arrived(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    """Record that the patient is here. Marking twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.status != Status.CONFIRMED:
            raise errors.InvalidTransition(
                f"A {appt.get_status_display().lower()} appointment cannot be marked arrived."
            )
        if now < appt.start - ARRIVAL_EARLIEST:
            raise errors.InvalidTransition("It is too early to mark this patient arrived: the visit is not today yet.")
        if not has_arrived(appt):
            services.record_event(appt, Action.ARRIVED, actor, arrived_at=now.isoformat())
    return appt


@dataclass(frozen=True)
class NoteInput:
    pain_before: int
    pain_after: int
    regions: list[str]
    adverse_events: list[str]
    adverse_events_other: str = ""
    exercises: str = ""
    consent_reconfirmed: bool = False


def _note_problems(note: NoteInput, *, needling: bool) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name in ("pain_before", "pain_after"):
        value = getattr(note, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            problems[name] = ["Pain is a whole number from 0 (no pain) to 10 (worst imaginable)."]
    regions = [r.strip() for r in note.regions if r.strip()]
    if needling and not regions:
        problems["regions"] = ["Choose at least one region treated."]
    if len(regions) > MAX_REGIONS or any(len(r) > 80 for r in regions):
        problems["regions"] = [f"Give up to {MAX_REGIONS} regions, each under 80 characters."]
    if set(note.adverse_events) - set(SideEffect.values):
        problems["adverse_events"] = ["Choose side effects from the list."]
    return problems


def record_session_note(
    appointment: Appointment, *, author: User, note: NoteInput, now: datetime | None = None
) -> SessionNote:
    """Write (or amend) the note of a session that has started. An amendment keeps
    the earlier values in the audit row."""
    now = now or timezone.now()
    with transaction.atomic():
        appt = locked_appointment(appointment)
        problems = _note_problems(note, needling=appt.appointment_type.involves_needling)
        if problems:
            raise InvalidInput(problems)
        if appt.status not in (Status.CONFIRMED, Status.COMPLETED):
            raise errors.InvalidTransition(
                f"Notes are for a session that took place; this one is {appt.get_status_display().lower()}."
            )
        if now < appt.start:
            raise errors.InvalidTransition("The session has not started yet: write the notes once it has.")
        values = _note_values(note)
        existing = SessionNote.objects.filter(appointment=appt).first()
        if existing is None:
            saved = SessionNote.objects.create(appointment=appt, author=author, created_at=now, **values)
            services.record_event(appt, Action.NOTE_RECORDED, author, amended=False)
            return saved
        _check_amendment(appt, existing, values)
        before = {name: getattr(existing, name) for name in values}
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save(update_fields=list(values))
        services.record_event(appt, Action.NOTE_RECORDED, author, amended=True, before=before)
        return existing


def _note_values(note: NoteInput) -> dict[str, object]:
    values = asdict(note)
    values["regions"] = list(dict.fromkeys(r.strip() for r in note.regions if r.strip()))
    values["adverse_events"] = sorted(set(note.adverse_events))
    values["adverse_events_other"] = note.adverse_events_other.strip()[:2000]
    values["exercises"] = note.exercises.strip()[:4000]
    return values


def _check_amendment(appt: Appointment, existing: SessionNote, values: dict[str, object]) -> None:
    if (
        appt.status == Status.COMPLETED
        and appt.appointment_type.involves_needling
        and existing.consent_reconfirmed
        and not values["consent_reconfirmed"]
    ):
        raise InvalidInput(
            {
                "consent_reconfirmed": [
                    "This needling session was completed on your in-person consent confirmation; "
                    "it cannot be taken back in an amendment."
                ]
            }
        )


def complete_session(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    """Mark a session completed. A needling session needs its note, with consent
    confirmed in person (FACTS.md section 3: a signed form alone is not enough)."""
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.appointment_type.involves_needling:
            note = SessionNote.objects.filter(appointment=appt).first()
            if note is None or not note.consent_reconfirmed:
                raise ConsentNotReconfirmed(
                    "Before completing a needling session, record in the session notes that you "
                    "confirmed the patient's consent in person."
                )
        return services.mark_completed(appt, actor=actor, now=now)


def record_note_and_complete(
    appointment: Appointment, *, author: User, note: NoteInput, now: datetime | None = None
) -> SessionNote:
    """Both or neither: a refused completion leaves no half-saved note behind."""
    with transaction.atomic():
        saved = record_session_note(appointment, author=author, note=note, now=now)
        complete_session(appointment, actor=author, now=now)
    return saved


# --- Working hours and time off ---------------------------------------------------------------


def _lock_practitioner(practitioner: Practitioner) -> None:
    Practitioner.objects.select_for_update(no_key=True).filter(pk=practitioner.pk).values("pk").first()


def _upcoming(practitioner: Practitioner, now: datetime) -> Iterable[Appointment]:
    live = Appointment.objects.filter(selectors.live_appointments(now), practitioner=practitioner, end__gt=now)
    return live.select_related("patient", "appointment_type", "clinic").order_by("start")


def set_working_hours(
    practitioner: Practitioner,
    *,
    clinic: Clinic,
    windows: Sequence[Window],
    actor: User,
    now: datetime | None = None,
) -> list[WorkingHours]:
    """Replace the practitioner's weekly hours at one clinic. Refused if windows
    overlap (here or at their other clinics) or a booked visit would fall outside."""
    now = now or timezone.now()
    if not practitioner.clinics.filter(pk=clinic.pk).exists():
        raise InvalidInput({"clinic": [f"{practitioner.display_name} does not work at {clinic.name}."]})
    with transaction.atomic():
        _lock_practitioner(practitioner)
        current = WorkingHours.objects.filter(practitioner=practitioner)
        others = [Window(h.weekday, h.start, h.end) for h in current.exclude(clinic=clinic)]
        problems = schedule_rules.window_problems(windows, others=others)
        if problems:
            raise InvalidInput({"hours": problems})
        stranded = [
            a
            for a in _upcoming(practitioner, now)
            if a.clinic_id == clinic.pk and not schedule_rules.fits(a.start, a.end, windows, clinic.zone)
        ]
        if stranded:
            raise Stranded(
                "These booked appointments would fall outside the new hours. Move or cancel them first.", stranded
            )
        before = [str(Window(h.weekday, h.start, h.end)) for h in current.filter(clinic=clinic)]
        current.filter(clinic=clinic).delete()
        saved = WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=practitioner, clinic=clinic, weekday=w.weekday, start=w.start, end=w.end)
            for w in sorted(windows)
        )
        PractitionerEvent.objects.create(
            practitioner=practitioner,
            action=PractitionerEvent.Action.HOURS_CHANGED,
            actor=actor,
            data={"clinic": clinic.pk, "before": before, "after": [str(w) for w in sorted(windows)]},
        )
    return saved


def add_time_off(
    practitioner: Practitioner,
    *,
    start: datetime,
    end: datetime,
    reason: str = "",
    actor: User,
    now: datetime | None = None,
) -> TimeOff:
    now = now or timezone.now()
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise InvalidInput({"start": ["Give the times with their time zone."]})
    if end <= start:
        raise InvalidInput({"end": ["The end must be after the start."]})
    if end <= now:
        raise InvalidInput({"end": ["This time off is already over."]})
    with transaction.atomic():
        _lock_practitioner(practitioner)
        stranded = [a for a in _upcoming(practitioner, now) if schedule_rules.overlaps(a.start, a.end, start, end)]
        if stranded:
            raise Stranded("These booked appointments fall in that time off. Move or cancel them first.", stranded)
        time_off = TimeOff.objects.create(practitioner=practitioner, start=start, end=end, reason=reason.strip()[:200])
        PractitionerEvent.objects.create(
            practitioner=practitioner,
            action=PractitionerEvent.Action.TIME_OFF_ADDED,
            actor=actor,
            data={"time_off": time_off.pk, "start": start.isoformat(), "end": end.isoformat()},
        )
    return time_off


def remove_time_off(time_off: TimeOff, *, actor: User) -> None:
    with transaction.atomic():
        _lock_practitioner(time_off.practitioner)
        PractitionerEvent.objects.create(
            practitioner=time_off.practitioner,
            action=PractitionerEvent.Action.TIME_OFF_REMOVED,
            actor=actor,
            data={"time_off": time_off.pk, "start": time_off.start.isoformat(), "end": time_off.end.isoformat()},
        )
        TimeOff.objects.filter(pk=time_off.pk).delete()


# --- Calendar feed ----------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rotate_feed_token(practitioner: Practitioner, *, actor: User) -> str:
    """A new secret feed address; the old one stops working at once. The token is
    returned to show once: only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        had_one = Practitioner.objects.filter(pk=practitioner.pk, feed_token_hash__isnull=False).exists()
        Practitioner.objects.filter(pk=practitioner.pk).update(
            feed_token_hash=feed_token_hash(token), feed_token_created_at=timezone.now()
        )
        PractitionerEvent.objects.create(
            practitioner=practitioner,
            action=PractitionerEvent.Action.FEED_ROTATED,
            actor=actor,
            data={"replaced": had_one},
        )
    practitioner.refresh_from_db(fields=["feed_token_hash", "feed_token_created_at"])
    return token


def revoke_feed_token(practitioner: Practitioner, *, actor: User) -> None:
    with transaction.atomic():
        revoked = Practitioner.objects.filter(pk=practitioner.pk, feed_token_hash__isnull=False).update(
            feed_token_hash=None, feed_token_created_at=None
        )
        if revoked:
            PractitionerEvent.objects.create(
                practitioner=practitioner, action=PractitionerEvent.Action.FEED_REVOKED, actor=actor
            )
    practitioner.refresh_from_db(fields=["feed_token_hash", "feed_token_created_at"])
