"""Writes of the practitioner workspace, one module per job: arrival, schedule (working hours,
time off), feed (the calendar feed's token). Session notes and completing a session are the
clinical record's (care.services).

Each is atomic and leaves an audit row (AppointmentEvent or PractitionerEvent).
Credential-expiry warnings are in workspace/expiry.py. Cancel, move, no-show and completion
itself go through booking.services, which tell the patient; review decisions go through
booking.consent_flow. Callers use the names below: `services.mark_arrived(...)`."""

from workspace.services.arrival import ARRIVAL_EARLIEST, has_arrived, mark_arrived
from workspace.services.errors import ConsentNotReconfirmed, InvalidInput, Stranded
from workspace.services.feed import feed_token_hash, revoke_feed_token, rotate_feed_token
from workspace.services.schedule import add_time_off, remove_time_off, set_working_hours

__all__ = [
    "ARRIVAL_EARLIEST",
    "ConsentNotReconfirmed",
    "InvalidInput",
    "Stranded",
    "add_time_off",
    "feed_token_hash",
    "has_arrived",
    "mark_arrived",
    "remove_time_off",
    "revoke_feed_token",
    "rotate_feed_token",
    "set_working_hours",
]
