"""Writes of the clinical record, one module per job: notes (session notes and completing a
session), plans (plans of care and their status). The check-in (a patient's symptom report) is care/symptoms.py.

Each is atomic and leaves an audit row (AppointmentEvent). Callers use the names below:
`services.record_session_note(...)`."""

from care.errors import ConsentNotReconfirmed, InvalidInput, NotAPractitioner
from care.services.notes import NoteInput, complete_session, record_note_and_complete, record_session_note
from care.services.plans import PlanInput, change_status, create_plan

__all__ = [
    "ConsentNotReconfirmed",
    "InvalidInput",
    "NotAPractitioner",
    "NoteInput",
    "PlanInput",
    "change_status",
    "complete_session",
    "create_plan",
    "record_note_and_complete",
    "record_session_note",
]
