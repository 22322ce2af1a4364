"""Reads for consent: current documents, the consent that covers a visit, chain checks."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef

from accounts.models import Patient
from consent import integrity
from consent.models import ConsentFormVersion, ConsentWithdrawal, QuestionnaireVersion, SignedConsent


def current_form(scope: str) -> ConsentFormVersion | None:
    return ConsentFormVersion.objects.filter(scope=scope).order_by("-version").first()


def current_questionnaire(scope: str) -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(scope=scope).order_by("-version").first()


def covering_consent(patient: Patient, *, scope: str, valid_since: datetime) -> SignedConsent | None:
    """The newest consent that still covers a needling visit at `at`: not
    withdrawn (nor ended by a change in health), signed after `valid_since`
    (the visit date minus the clinic's validity period), and not superseded by
    a material form."""
    latest_material = (
        ConsentFormVersion.objects.filter(scope=scope, material=True).order_by("-version").values("version").first()
    )
    consents = (
        SignedConsent.objects.filter(patient=patient, scope=scope, signed_at__gt=valid_since)
        .annotate(ended=Exists(ConsentWithdrawal.objects.filter(consent=OuterRef("pk"))))
        .filter(ended=False)
        .select_related("form_version")
        .order_by("-signed_at", "-id")
    )
    if latest_material:
        consents = consents.filter(form_version__version__gte=latest_material["version"])
    return consents.first()


def consent_status(consent: SignedConsent, *, valid_since: datetime) -> str:
    """active, withdrawn, expired or superseded — for lists and badges."""
    if consent.withdrawals.exists():
        return "withdrawn"
    newer_material = ConsentFormVersion.objects.filter(
        scope=consent.scope, material=True, version__gt=consent.form_version.version
    ).exists()
    if newer_material:
        return "superseded"
    if consent.signed_at <= valid_since:
        return "expired"
    return "active"


def verify_chain() -> integrity.Break | None:
    rows = (
        SignedConsent.objects.order_by("sequence")
        .values("id", "row_hash", *integrity.HASHED_FIELDS)
        .iterator(chunk_size=2000)
    )
    return integrity.verify_chain(rows)
