"""One function per FHIR R4B resource, from the record's parts to JSON-ready dicts."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from consent import documents
from consent.fhir.codes import (
    ACT_CODE,
    APPOINTMENT_STATUS_MAP,
    CONSENT_SCOPE_SYSTEM,
    LOINC,
    OUTCOME_EXTENSION,
    PARTICIPATION_TYPE,
)
from consent.fhir.ids import full_url, resource_id
from consent.fhir.record import AppointmentData, ConsentData, PatientData, PractitionerData
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent


def _ref(kind: str, pk: int | str, display: str = "") -> dict[str, Any]:
    ref: dict[str, Any] = {"reference": full_url(kind, pk), "type": kind}
    if display:
        ref["display"] = display
    return ref


def instant(value: datetime) -> str:
    """How every instant and dateTime in the bundle is written, the Bundle's timestamp too."""
    return value.isoformat()


def questionnaire_url(questionnaire: QuestionnaireVersion) -> str:
    return f"urn:acus:questionnaire:{questionnaire.scope}"


def fhir_language(code: str) -> str:
    """A BCP-47 tag as FHIR writes it: "es", "fr", "en-GB". Rows from before translations
    ("") were signed in English, the only language Acus had."""
    language, _, region = (code or "en").partition("-")
    return f"{language}-{region.upper()}" if region else language


def _option_system(questionnaire: QuestionnaireVersion, item_id: str) -> str:
    return f"urn:acus:questionnaire:{questionnaire.scope}:{item_id}"


def patient_resource(patient: PatientData) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": resource_id("Patient", patient.id),
        "identifier": [{"system": "urn:acus:patient", "value": str(patient.id)}],
        "name": [{"use": "official", "text": patient.legal_name}] if patient.legal_name else [],
        "telecom": [{"system": "email", "value": patient.email, "use": "home"}],
    }
    if patient.phone:
        resource["telecom"].append({"system": "phone", "value": patient.phone, "use": "mobile"})
    if patient.birth_date:
        resource["birthDate"] = patient.birth_date.isoformat()
    return resource


def practitioner_resource(practitioner: PractitionerData) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": resource_id("Practitioner", practitioner.id),
        "identifier": [{"system": "urn:acus:practitioner", "value": str(practitioner.id)}],
        "name": [{"text": practitioner.name}],
        "qualification": [
            {
                "identifier": [{"system": f"urn:acus:credential:{q.jurisdiction}", "value": q.number}],
                "code": {
                    "coding": [{"system": "urn:acus:credential-kind", "code": q.kind, "display": q.kind_display}],
                    "text": f"{q.kind_display} ({q.jurisdiction})",
                },
                "period": {
                    "start": q.valid_from.isoformat(),
                    **({"end": q.valid_until.isoformat()} if q.valid_until else {}),
                },
                "issuer": {"display": q.issuer},
            }
            for q in practitioner.qualifications
        ],
    }


def appointment_resource(appointment: AppointmentData, patient: PatientData) -> dict[str, Any]:
    status = APPOINTMENT_STATUS_MAP.get(appointment.status, "entered-in-error")
    practitioner_status = {"held": "needs-action", "pending_review": "needs-action", "declined": "declined"}
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": resource_id("Appointment", appointment.id),
        "identifier": [{"system": "urn:acus:appointment", "value": str(appointment.id)}],
        "status": status,
        "description": appointment.treatment,
        "serviceType": [{"text": appointment.treatment}],
        "start": instant(appointment.start),
        "end": instant(appointment.end),
        "created": instant(appointment.created_at),
        "participant": [
            {
                "actor": _ref("Patient", patient.id, patient.legal_name),
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": _ref("Practitioner", appointment.practitioner_id),
                "required": "required",
                "status": practitioner_status.get(appointment.status, "accepted"),
            },
        ],
    }
    if status in ("cancelled", "noshow") and appointment.cancel_reason:
        resource["cancelationReason"] = {"text": appointment.cancel_reason}
    return resource


def questionnaire_resource(questionnaire: QuestionnaireVersion) -> dict[str, Any]:
    items = []
    for item in questionnaire.items:
        entry: dict[str, Any] = {
            "linkId": item["id"],
            "text": item["text"],
            "required": bool(item.get("required", False)),
        }
        if item["type"] == "text":
            entry["type"] = "text"
        else:
            entry["type"] = "choice"
            entry["answerOption"] = [
                {
                    "valueCoding": {
                        "system": _option_system(questionnaire, item["id"]),
                        "code": option["value"],
                        "display": option["label"],
                    }
                }
                for option in item.get("options", [])
            ]
        items.append(entry)
    return {
        "resourceType": "Questionnaire",
        "id": resource_id("Questionnaire", questionnaire.pk),
        "url": questionnaire_url(questionnaire),
        "version": str(questionnaire.version),
        "title": questionnaire.title,
        "status": "active",
        "subjectType": ["Patient"],
        "date": instant(questionnaire.published_at),
        "identifier": [{"system": "urn:acus:questionnaire-sha256", "value": questionnaire.content_sha256}],
        "item": items,
    }


def response_resource(screening: ScreeningResponse, patient: PatientData) -> dict[str, Any]:
    questionnaire = screening.questionnaire_version
    translation = screening.questionnaire_translation
    items = []
    # The questions and answer labels as the patient read them; the answers' codes are the source's.
    for item in translation.items if translation is not None else questionnaire.items:
        value = screening.answers.get(item["id"])
        if value in (None, ""):
            continue
        entry: dict[str, Any] = {"linkId": item["id"], "text": item["text"]}
        if item["type"] == "text":
            entry["answer"] = [{"valueString": str(value)}]
        else:
            label = next((o["label"] for o in item.get("options", []) if o["value"] == value), str(value))
            system = _option_system(questionnaire, item["id"])
            entry["answer"] = [{"valueCoding": {"system": system, "code": str(value), "display": label}}]
        items.append(entry)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id("QuestionnaireResponse", screening.pk),
        "language": fhir_language(screening.language),
        "identifier": {"system": "urn:acus:screening", "value": str(screening.pk)},
        "questionnaire": f"{questionnaire_url(questionnaire)}|{questionnaire.version}",
        "status": "completed",
        "subject": _ref("Patient", patient.id, patient.legal_name),
        "source": _ref("Patient", patient.id, patient.legal_name),
        "authored": instant(screening.created_at),
        "extension": [{"url": OUTCOME_EXTENSION, "valueCode": screening.outcome}],
        "item": items,
    }


def consent_resource(data: ConsentData, form: ConsentFormVersion, patient: PatientData) -> dict[str, Any]:
    consent = data.consent
    shown = consent.shown_canonical()  # the translation signed, else the source
    text = documents.render_text(shown, consent.render_context)
    language = fhir_language(consent.language)
    body = text.encode()
    if consent.signer_role == SignedConsent.SignerRole.PATIENT:
        performer = [_ref("Patient", patient.id, consent.typed_name)]
    else:
        performer = [{"display": f"{consent.typed_name} ({consent.guardian_relationship}, for the patient)"}]
    provision: dict[str, Any] = {
        "type": "permit",
        "period": {"start": instant(consent.signed_at)},
        "code": [{"text": "Dry needling"}],
        "data": [{"meaning": "related", "reference": _ref("QuestionnaireResponse", consent.screening_id)}],
    }
    if data.ended_at:
        provision["period"]["end"] = instant(data.ended_at)
    if data.practitioner_id:
        provision["actor"] = [
            {
                "role": {"coding": [{"system": PARTICIPATION_TYPE, "code": "PRF", "display": "performer"}]},
                "reference": _ref("Practitioner", data.practitioner_id),
            }
        ]
    return {
        "resourceType": "Consent",
        "id": resource_id("Consent", consent.pk),
        "language": language,
        "identifier": [
            {"system": "urn:acus:consent", "value": str(consent.pk)},
            {"system": "urn:acus:consent-row-sha256", "value": consent.row_hash},
        ],
        "status": "active" if data.status == "active" else "inactive",
        "scope": {"coding": [{"system": CONSENT_SCOPE_SYSTEM, "code": "treatment", "display": "Treatment"}]},
        "category": [{"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": _ref("Patient", patient.id, patient.legal_name),
        "dateTime": instant(consent.signed_at),
        "performer": performer,
        "organization": [{"display": data.clinic_name}],
        "sourceAttachment": {
            "contentType": "text/plain; charset=utf-8",
            "language": language,
            "data": base64.b64encode(body).decode(),
            "hash": base64.b64encode(hashlib.sha1(body, usedforsecurity=False).digest()).decode(),
            "title": f"{shown['title']} (version {form.version}), as signed",
            "creation": instant(consent.signed_at),
        },
        "policy": [{"uri": f"urn:acus:consent-form:{form.scope}:{form.version}:sha256:{form.content_sha256}"}],
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}]},
        "provision": provision,
    }
