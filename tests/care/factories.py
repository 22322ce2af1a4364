"""What the clinical record's tests make: a session note as the practitioner writes it. Clinics,
visits and the desk come from tests/booking/factories.py and tests/workspace/factories.py."""

from __future__ import annotations

from care.services import NoteInput


def note(pain_before: int = 3, pain_after: int = 2, *, regions: list[str] | None = None) -> NoteInput:
    return NoteInput(pain_before=pain_before, pain_after=pain_after, regions=regions or [], adverse_events=[])
