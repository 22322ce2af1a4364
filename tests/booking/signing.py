"""Holding a needling visit, answering the questions and signing for it through
booking.consent_flow, as the booking tests do: `hold` a visit some days ahead, `screen`
(clear unless told otherwise), build the `signature`, or do both at once with `sign_clear`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Patient
from booking import consent_flow, services
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.consent.factories import CLEAR


def next_slot(days: int = 3, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return (
        datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
        .astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
        .replace(hour=hour, minute=0)
    )


def hold(patient: Patient, kind: AppointmentType, practitioner: Practitioner, days: int = 3) -> Appointment:
    return services.hold_appointment(patient, appointment_type=kind, practitioner=practitioner, start=next_slot(days))


def screen(patient: Patient, questionnaire: QuestionnaireVersion, clinic: Clinic, **answers: str) -> Any:
    return consent_flow.screen(
        patient,
        questionnaire=questionnaire,
        answers={**CLEAR, **answers},
        clinic=clinic,
        visit_day=timezone.localdate(),
    )


def sign_clear(
    patient: Patient,
    appointment: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> SignedConsent:
    """The patient answers every question clear and signs for this visit."""
    request = signature(form, screen(patient, questionnaire, clinic), patient)
    return consent_flow.sign_for_appointment(patient, appointment_id=appointment.pk, request=request)


def signature(form: ConsentFormVersion, screening: Any, patient: Patient, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "form": form,
        "screening": screening,
        "typed_name": patient.legal_name,
        "acknowledgements": ["read", "asked"],
        "e_records_accepted": True,
        "guardian": None,
        "signature_svg": "",
        "ip_address": "198.51.100.4",
        "user_agent": "pytest",
        "auth_method": "emailed one-time code",
        "authenticated_at": timezone.now(),
    }
    return consent_flow.SignatureRequest(**{**values, **overrides})
