"""Reads the notification code shares: a clinic's settings and the zone a patient reads
times in. Here, below services, dispatch and content, so none of them imports another to get
at them (services -> tasks -> dispatch was an import cycle)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings

from booking.models import Appointment, Clinic
from core.language import supported
from notifications.models import ClinicNotificationSettings, Kind, Notification


def settings_for(clinic: Clinic | int) -> ClinicNotificationSettings:
    """The clinic's settings, or the defaults (unsaved) when it has none."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    found = ClinicNotificationSettings.objects.filter(clinic_id=clinic_id).first()
    return found or ClinicNotificationSettings(clinic_id=clinic_id)


def patient_zone(appointment: Appointment) -> ZoneInfo:
    """The patient's own zone, or the clinic's when they chose none."""
    return ZoneInfo(appointment.patient.time_zone or appointment.time_zone)


def recipient_language(notification: Notification) -> str:
    """The language a message is written in: its reader's own choice (the practitioner's for an
    alert, else the patient's), else the clinic's language, else the site's. Never the worker's."""
    appointment = notification.appointment
    reader = appointment.practitioner if notification.kind == Kind.PRACTITIONER_ALERT else appointment.patient
    return (
        supported(reader.user.language)
        or supported(appointment.clinic.language)
        or supported(settings.LANGUAGE_CODE)
        or settings.LANGUAGE_CODE
    )


# --- Booking changes ----------------------------------------------------------------------
