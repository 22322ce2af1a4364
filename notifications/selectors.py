"""Reads the notification code shares: a clinic's settings and the zone a patient reads
times in. Here, below services, dispatch and content, so none of them imports another to get
at them (services -> tasks -> dispatch was an import cycle)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings

from accounts.models import Patient
from booking.models import Appointment, Clinic, Practitioner
from care.models import CarePlan
from core.language import supported
from notifications.models import ClinicNotificationSettings, Kind, Notification
from waitlist.models import Offer


def settings_for(clinic: Clinic | int) -> ClinicNotificationSettings:
    """The clinic's settings, or the defaults (unsaved) when it has none."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    found = ClinicNotificationSettings.objects.filter(clinic_id=clinic_id).first()
    return found or ClinicNotificationSettings(clinic_id=clinic_id)


def patient_zone(appointment: Appointment) -> ZoneInfo:
    """The patient's own zone, or the clinic's when they chose none."""
    return ZoneInfo(appointment.patient.time_zone or appointment.time_zone)


def plan_zone(plan: CarePlan) -> ZoneInfo:
    """The patient's own zone, or the plan's clinic's when they chose none."""
    return ZoneInfo(plan.patient.time_zone or plan.clinic.time_zone)


def subject_of(notification: Notification) -> Appointment | CarePlan:
    """What the row is about: its appointment, or (a course message without one) its plan."""
    if notification.appointment is not None:
        return notification.appointment
    if notification.plan is not None:
        return notification.plan
    raise ValueError(f"notification {notification.pk} names neither an appointment nor a plan")


def clinic_id_of(notification: Notification) -> int:
    if notification.offer is not None:
        return notification.offer.appointment_type.clinic_id
    return subject_of(notification).clinic_id


def clinic_of(notification: Notification) -> Clinic:
    if notification.offer is not None:
        return notification.offer.appointment_type.clinic
    return subject_of(notification).clinic


def patient_of(notification: Notification) -> Patient:
    if notification.offer is not None:
        return notification.offer.entry.patient
    return subject_of(notification).patient


def offer_zone(offer: Offer) -> ZoneInfo:
    """The patient's own zone, or the offer's clinic's when they chose none."""
    return ZoneInfo(offer.entry.patient.time_zone or offer.appointment_type.clinic.time_zone)


def recipient_language(notification: Notification) -> str:
    """The language a message is written in: its reader's own choice (the practitioner's for an
    alert, else the patient's), else the clinic's language, else the site's. Never the worker's."""
    reader: Patient | Practitioner
    if notification.offer is not None:
        reader, clinic = notification.offer.entry.patient, notification.offer.appointment_type.clinic
    else:
        about = subject_of(notification)
        reader = about.practitioner if notification.kind == Kind.PRACTITIONER_ALERT else about.patient
        clinic = about.clinic
    return (
        supported(reader.user.language)
        or supported(clinic.language)
        or supported(settings.LANGUAGE_CODE)
        or settings.LANGUAGE_CODE
    )


# --- Booking changes ----------------------------------------------------------------------
