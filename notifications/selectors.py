"""Reads the notification code shares: a clinic's settings and the zone a patient reads
times in. Here, below services, dispatch and content, so none of them imports another to get
at them (services -> tasks -> dispatch was an import cycle)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from booking.models import Appointment, Clinic
from notifications.models import ClinicNotificationSettings


def settings_for(clinic: Clinic | int) -> ClinicNotificationSettings:
    """The clinic's settings, or the defaults (unsaved) when it has none."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    found = ClinicNotificationSettings.objects.filter(clinic_id=clinic_id).first()
    return found or ClinicNotificationSettings(clinic_id=clinic_id)


def patient_zone(appointment: Appointment) -> ZoneInfo:
    """The patient's own zone, or the clinic's when they chose none."""
    return ZoneInfo(appointment.patient.time_zone or appointment.time_zone)


# --- Booking changes ----------------------------------------------------------------------
