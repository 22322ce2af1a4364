"""Session notes and completing a session: pain before and after, regions, adverse events,
exercises; a needling session is completed only with the consent reconfirmed in person."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking import errors, services
from booking.models import (
    Appointment,
    AppointmentEvent,
    SessionNote,
    SideEffect,
)
from booking.services.locks import locked_appointment
from care.errors import ConsentNotReconfirmed, InvalidInput

Status = Appointment.Status
Action = AppointmentEvent.Action

MAX_REGIONS = 20


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
            problems[name] = [_("Pain is a whole number from 0 (no pain) to 10 (worst imaginable).")]
    regions = [r.strip() for r in note.regions if r.strip()]
    if needling and not regions:
        problems["regions"] = [_("Choose at least one region treated.")]
    if len(regions) > MAX_REGIONS or any(len(r) > 80 for r in regions):
        problems["regions"] = [_("Give up to %(n)s regions, each under 80 characters.") % {"n": MAX_REGIONS}]
    if set(note.adverse_events) - set(SideEffect.values):
        problems["adverse_events"] = [_("Choose side effects from the list.")]
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
                _("Notes are for a session that took place; this one is %(status)s.")
                % {"status": appt.get_status_display().lower()}
            )
        if now < appt.start:
            raise errors.InvalidTransition(_("The session has not started yet: write the notes once it has."))
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
                    _(
                        "This needling session was completed on your in-person consent confirmation; "
                        "it cannot be taken back in an amendment."
                    )
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
                    _(
                        "Before completing a needling session, record in the session notes that you "
                        "confirmed the patient's consent in person."
                    )
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
