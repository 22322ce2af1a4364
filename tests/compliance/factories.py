"""Compliance factories: signed consents for the audit tests (and, given a practitioner, the
visit each covers), made through consent.services as the booking flow makes them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.booking.factories import insert_appointment
from tests.consent.factories import CLEAR

CLINIC_NAME = "Test Clinic"
_slots = itertools.count()
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><path d="M10 10 L 60 40"/></svg>'


def sign(
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    *,
    clinic: Clinic,
    practitioner: Practitioner | None = None,
    treatment: AppointmentType | None = None,
    visit: datetime | None = None,
    guardian: services.Guardian | None = None,
    typed_name: str | None = None,
    answers: dict[str, str] | None = None,
    **extra: Any,
) -> SignedConsent:
    """A signed consent at `clinic`; with a practitioner, also the needling visit it covers."""
    screening = services.record_screening(
        patient, questionnaire=questionnaire, answers={**CLEAR, **(answers or {})}, is_minor=guardian is not None
    )
    context = services.SigningContext(
        scope=clinic.slug,
        render_context={
            "clinic_name": clinic.name,
            "practitioner_name": practitioner.display_name if practitioner else "Any practitioner",
            "practitioner_disclosure": "Trained 80 h.",
        },
        is_minor=guardian is not None,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        auth_method="emailed one-time code, web session",
        authenticated_at=timezone.now(),
    )
    consent = services.sign_consent(
        patient,
        form=form,
        screening_response=screening,
        typed_name=typed_name or patient.legal_name,
        acknowledgements=[a["id"] for a in form.acknowledgements],
        e_records_accepted=True,
        context=context,
        guardian=guardian,
        **extra,
    )
    if practitioner is not None and treatment is not None:
        # Two hours apart, so no two visits overlap (PostgreSQL's exclusion constraints).
        start = visit or (timezone.now() + timedelta(days=3, hours=2 * next(_slots))).replace(microsecond=0)
        insert_appointment(
            patient,
            practitioner,
            treatment,
            start,
            status=Appointment.Status.CONFIRMED,
            consent=consent,
            screening=screening,
        )
    return consent


GUARDIAN = services.Guardian(relationship="mother", authority="I have parental responsibility.", minor_assent=True)
