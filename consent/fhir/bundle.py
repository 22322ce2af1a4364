"""The record's resources assembled into one validated collection Bundle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from consent.fhir.builders import (
    appointment_resource,
    consent_resource,
    instant,
    patient_resource,
    practitioner_resource,
    questionnaire_resource,
    response_resource,
)
from consent.fhir.ids import full_url, resource_id
from consent.fhir.record import PatientRecord
from consent.fhir.validation import validate_bundle


def build_bundle(record: PatientRecord, extra: Sequence[tuple[str, int | str, dict[str, Any]]] = ()) -> dict[str, Any]:
    """The record as a validated R4B Bundle (type collection), as JSON-ready data. `extra` are
    resources from the apps above consent (care's plans, goals and scores), validated with the rest.

    Raises FhirInvalid when the R4B models or our own checks refuse it."""
    patient = record.patient
    resources: list[tuple[str, int | str, dict[str, Any]]] = [("Patient", patient.id, patient_resource(patient))]
    resources += [("Practitioner", p.id, practitioner_resource(p)) for p in record.practitioners]
    resources += [("Appointment", a.id, appointment_resource(a, patient)) for a in record.appointments]
    resources += [("Questionnaire", q.pk, questionnaire_resource(q)) for q in record.questionnaires]
    resources += [("QuestionnaireResponse", s.pk, response_resource(s, patient)) for s in record.screenings]
    resources += [
        ("Consent", c.consent.pk, consent_resource(c, c.consent.form_version, patient)) for c in record.consents
    ]
    resources += list(extra)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": resource_id("Bundle", f"patient-{patient.id}-{(record.generated_at or datetime.min).isoformat()}"),
        "type": "collection",
        "entry": [{"fullUrl": full_url(kind, pk), "resource": resource} for kind, pk, resource in resources],
    }
    if record.generated_at:
        bundle["timestamp"] = instant(record.generated_at)
    return validate_bundle(bundle)
