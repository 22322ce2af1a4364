"""Clinics, practitioners and their schedules, and appointments.

Every instant is stored in UTC. Working hours are local wall-clock rules in the
clinic's zone; booking/availability.py expands them per local date.

The models live in the modules below; importing them all here is what lets
Django find them and `from booking.models import Appointment` work."""

from __future__ import annotations

from booking.models.appointments import Appointment
from booking.models.catalogue_version import CatalogueVersion
from booking.models.clinics import AppointmentType, Clinic, validate_zone
from booking.models.erasure import ErasureRequest
from booking.models.events import AppointmentEvent, AuditEvent, PractitionerEvent
from booking.models.practitioners import Credential, CredentialExpiryNotice, Practitioner, TimeOff, WorkingHours
from booking.models.reports import RED_FLAGS, SessionNote, SideEffect, SymptomReport
from booking.models.schedule_versions import ScheduleDayVersion, ScheduleVersion

__all__ = [
    "RED_FLAGS",
    "Appointment",
    "AppointmentEvent",
    "AppointmentType",
    "AuditEvent",
    "CatalogueVersion",
    "Clinic",
    "Credential",
    "CredentialExpiryNotice",
    "ErasureRequest",
    "Practitioner",
    "PractitionerEvent",
    "ScheduleDayVersion",
    "ScheduleVersion",
    "SessionNote",
    "SideEffect",
    "SymptomReport",
    "TimeOff",
    "WorkingHours",
    "validate_zone",  # named by migration 0001
]
