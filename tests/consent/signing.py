"""Signing through consent.services as a consent test does: answer the questionnaire
(`screened`, clear unless told otherwise), then sign with the signing context below (`sign`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import Patient
from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent
from tests.consent.factories import CLEAR, CONTEXT, SCOPE


def context(**overrides: Any) -> services.SigningContext:
    values: dict[str, Any] = {
        "scope": SCOPE,
        "render_context": CONTEXT,
        "is_minor": False,
        "ip_address": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (iPhone)",
        "auth_method": "email_code",
        "authenticated_at": timezone.now(),
    }
    return services.SigningContext(**{**values, **overrides})


def screened(patient: Patient, questionnaire: QuestionnaireVersion, **answers: str) -> ScreeningResponse:
    return services.record_screening(patient, questionnaire=questionnaire, answers={**CLEAR, **answers}, is_minor=False)


def sign(patient: Patient, form: ConsentFormVersion, screening: ScreeningResponse, **overrides: Any) -> SignedConsent:
    values: dict[str, Any] = {
        "form": form,
        "screening_response": screening,
        "typed_name": patient.legal_name,
        "acknowledgements": ["read", "asked"],
        "e_records_accepted": True,
        "context": context(),
    }
    return services.sign_consent(patient, **{**values, **overrides})
