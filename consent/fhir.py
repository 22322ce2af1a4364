"""A patient's consent record as a FHIR R4B Bundle. No database access.

The caller (booking.audit.exports) loads the rows and passes plain data and consent
models in; this module builds the resources, validates them with the R4B models of
the fhir.resources package, and then runs the checks that package does not make:
the code lists and the Consent invariants (FACTS.md section 8).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from consent import documents
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent

_NAMESPACE = uuid.UUID("6f1c2d9e-3b8a-4c55-9a41-0d7e5b2f8c13")

CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
OUTCOME_EXTENSION = "urn:acus:fhir:screening-outcome"

# Code lists from the R4B specification that the package leaves unchecked.
# fmt: off
BUNDLE_TYPES = frozenset({
    "document", "message", "transaction", "transaction-response", "batch", "batch-response", "history",
    "searchset", "collection",
})
APPOINTMENT_STATUSES = frozenset({
    "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow", "entered-in-error",
    "checked-in", "waitlist",
})
PARTICIPANT_STATUSES = frozenset({"accepted", "declined", "tentative", "needs-action"})
PARTICIPANT_REQUIRED = frozenset({"required", "optional", "information-only"})
CONSENT_STATUSES = frozenset({"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"})
CONSENT_SCOPES = frozenset({"adr", "research", "patient-privacy", "treatment"})
PROVISION_TYPES = frozenset({"deny", "permit"})
QUESTIONNAIRE_STATUSES = frozenset({"draft", "active", "retired", "unknown"})
RESPONSE_STATUSES = frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
ITEM_TYPES = frozenset({
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text", "url",
    "choice", "open-choice", "attachment", "reference", "quantity",
})
# fmt: on

# Our appointment statuses in FHIR's words. A declined visit (the practitioner said
# no after review) is a cancelled one, with the reason, and the practitioner declined.
APPOINTMENT_STATUS_MAP = {
    "held": "proposed",
    "pending_review": "pending",
    "confirmed": "booked",
    "arrived": "arrived",
    "declined": "cancelled",
    "cancelled": "cancelled",
    "completed": "fulfilled",
    "no_show": "noshow",
}


class FhirInvalid(ValueError):
    """The bundle failed the R4B models or our own checks; `problems` says where."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


# --- What the caller passes in ------------------------------------------------------------


@dataclass(frozen=True)
class PatientData:
    id: int
    legal_name: str
    email: str
    birth_date: date | None = None
    phone: str = ""


@dataclass(frozen=True)
class QualificationData:
    kind: str
    kind_display: str
    number: str
    issuer: str
    jurisdiction: str
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class PractitionerData:
    id: int
    name: str
    qualifications: tuple[QualificationData, ...] = ()


@dataclass(frozen=True)
class AppointmentData:
    id: int
    status: str
    start: datetime
    end: datetime
    treatment: str
    practitioner_id: int
    created_at: datetime
    cancel_reason: str = ""


@dataclass(frozen=True)
class ConsentData:
    """A signed consent plus what only booking knows: its status, clinic and practitioner."""

    consent: SignedConsent
    status: str  # active, withdrawn, expired or superseded
    clinic_name: str
    practitioner_id: int | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class PatientRecord:
    patient: PatientData
    practitioners: Sequence[PractitionerData] = ()
    appointments: Sequence[AppointmentData] = ()
    questionnaires: Sequence[QuestionnaireVersion] = ()
    screenings: Sequence[ScreeningResponse] = ()
    consents: Sequence[ConsentData] = ()
    generated_at: datetime | None = None


# --- Building ---------------------------------------------------------------------------------


def full_url(kind: str, pk: int | str) -> str:
    """A stable urn:uuid per row, so two exports of one record agree."""
    return f"urn:uuid:{resource_id(kind, pk)}"


def resource_id(kind: str, pk: int | str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{pk}"))


def _ref(kind: str, pk: int | str, display: str = "") -> dict[str, Any]:
    ref: dict[str, Any] = {"reference": full_url(kind, pk), "type": kind}
    if display:
        ref["display"] = display
    return ref


def _instant(value: datetime) -> str:
    return value.isoformat()


def questionnaire_url(questionnaire: QuestionnaireVersion) -> str:
    return f"urn:acus:questionnaire:{questionnaire.scope}"


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
        "start": _instant(appointment.start),
        "end": _instant(appointment.end),
        "created": _instant(appointment.created_at),
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
        "date": _instant(questionnaire.published_at),
        "identifier": [{"system": "urn:acus:questionnaire-sha256", "value": questionnaire.content_sha256}],
        "item": items,
    }


def response_resource(screening: ScreeningResponse, patient: PatientData) -> dict[str, Any]:
    questionnaire = screening.questionnaire_version
    items = []
    for item in questionnaire.items:
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
        "identifier": {"system": "urn:acus:screening", "value": str(screening.pk)},
        "questionnaire": f"{questionnaire_url(questionnaire)}|{questionnaire.version}",
        "status": "completed",
        "subject": _ref("Patient", patient.id, patient.legal_name),
        "source": _ref("Patient", patient.id, patient.legal_name),
        "authored": _instant(screening.created_at),
        "extension": [{"url": OUTCOME_EXTENSION, "valueCode": screening.outcome}],
        "item": items,
    }


def consent_resource(data: ConsentData, form: ConsentFormVersion, patient: PatientData) -> dict[str, Any]:
    consent = data.consent
    text = documents.render_text(form.canonical(), consent.render_context)
    body = text.encode()
    if consent.signer_role == SignedConsent.SignerRole.PATIENT:
        performer = [_ref("Patient", patient.id, consent.typed_name)]
    else:
        performer = [{"display": f"{consent.typed_name} ({consent.guardian_relationship}, for the patient)"}]
    provision: dict[str, Any] = {
        "type": "permit",
        "period": {"start": _instant(consent.signed_at)},
        "code": [{"text": "Dry needling"}],
        "data": [{"meaning": "related", "reference": _ref("QuestionnaireResponse", consent.screening_id)}],
    }
    if data.ended_at:
        provision["period"]["end"] = _instant(data.ended_at)
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
        "identifier": [
            {"system": "urn:acus:consent", "value": str(consent.pk)},
            {"system": "urn:acus:consent-row-sha256", "value": consent.row_hash},
        ],
        "status": "active" if data.status == "active" else "inactive",
        "scope": {"coding": [{"system": CONSENT_SCOPE_SYSTEM, "code": "treatment", "display": "Treatment"}]},
        "category": [{"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": _ref("Patient", patient.id, patient.legal_name),
        "dateTime": _instant(consent.signed_at),
        "performer": performer,
        "organization": [{"display": data.clinic_name}],
        "sourceAttachment": {
            "contentType": "text/plain; charset=utf-8",
            "language": "en",
            "data": base64.b64encode(body).decode(),
            "hash": base64.b64encode(hashlib.sha1(body, usedforsecurity=False).digest()).decode(),
            "title": f"{form.title} (version {form.version}), as signed",
            "creation": _instant(consent.signed_at),
        },
        "policy": [{"uri": f"urn:acus:consent-form:{form.scope}:{form.version}:sha256:{form.content_sha256}"}],
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}]},
        "provision": provision,
    }


def build_bundle(record: PatientRecord) -> dict[str, Any]:
    """The record as a validated R4B Bundle (type collection), as JSON-ready data.

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
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": resource_id("Bundle", f"patient-{patient.id}-{(record.generated_at or datetime.min).isoformat()}"),
        "type": "collection",
        "entry": [{"fullUrl": full_url(kind, pk), "resource": resource} for kind, pk, resource in resources],
    }
    if record.generated_at:
        bundle["timestamp"] = _instant(record.generated_at)
    return validate_bundle(bundle)


# --- Checking -----------------------------------------------------------------------------------


def validate_bundle(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """Parse with the R4B models, then our own checks; return the bundle as the models serialise it."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        model = Bundle.model_validate(dict(bundle))
    except ValidationError as exc:
        raise FhirInvalid([f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]) from None
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    problems = check_bundle(data)
    if problems:
        raise FhirInvalid(problems)
    return data


def check_bundle(bundle: Mapping[str, Any]) -> list[str]:
    """The code lists and invariants that fhir.resources does not enforce."""
    problems = [] if bundle.get("type") in BUNDLE_TYPES else [f"Bundle.type {bundle.get('type')!r} is not a code"]
    entries = bundle.get("entry") or []
    urls = [e.get("fullUrl") for e in entries]
    if len(urls) != len(set(urls)):
        problems.append("Bundle.entry.fullUrl values must be unique")
    known = set(urls)
    questionnaires = {
        f"{e['resource'].get('url')}|{e['resource'].get('version')}": e["resource"]
        for e in entries
        if e.get("resource", {}).get("resourceType") == "Questionnaire"
    }
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        where = f"entry[{index}] {resource.get('resourceType')}"
        checker = _CHECKERS.get(resource.get("resourceType", ""))
        if checker is not None:
            problems += [f"{where}: {p}" for p in checker(resource, questionnaires)]
        problems += [f"{where}: reference {r} is not in the bundle" for r in _references(resource) if r not in known]
    return problems


def _references(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        ref = value.get("reference")
        if isinstance(ref, str) and ref.startswith("urn:uuid:"):
            yield ref
        for inner in value.values():
            yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def _codes(concept: Mapping[str, Any] | None, system: str) -> set[str]:
    return {c.get("code", "") for c in (concept or {}).get("coding", []) if c.get("system") == system}


def _check_consent(resource: Mapping[str, Any], _: Mapping[str, Any]) -> list[str]:
    problems = []
    if resource.get("status") not in CONSENT_STATUSES:
        problems.append(f"status {resource.get('status')!r} is not a Consent status")
    scopes = _codes(resource.get("scope"), CONSENT_SCOPE_SYSTEM)
    if not scopes or not scopes <= CONSENT_SCOPES:
        problems.append(f"scope {sorted(scopes)} is not from {CONSENT_SCOPE_SYSTEM}")
    if scopes and not (resource.get("patient") or {}).get("reference"):
        # ppc-2 to ppc-5: every scope R4B defines (treatment included) means the patient is named.
        problems.append(f"ppc-5: a {'/'.join(sorted(scopes))} consent must name the patient")
    if not resource.get("policy") and not resource.get("policyRule"):
        problems.append("ppc-1: a consent needs a policy or a policyRule")
    if not resource.get("category"):
        problems.append("category is required")
    provision_type = (resource.get("provision") or {}).get("type")
    if provision_type is not None and provision_type not in PROVISION_TYPES:
        problems.append(f"provision.type {provision_type!r} is not deny or permit")
    if not (resource.get("sourceAttachment") or resource.get("sourceReference")):
        problems.append("the consent must carry its source: the signed text or a reference to it")
    return problems


def _check_appointment(resource: Mapping[str, Any], _: Mapping[str, Any]) -> list[str]:
    problems = []
    status = resource.get("status")
    if status not in APPOINTMENT_STATUSES:
        problems.append(f"status {status!r} is not an Appointment status")
    participants = resource.get("participant") or []
    if not participants:
        problems.append("an appointment needs at least one participant")
    for p in participants:
        if p.get("status") not in PARTICIPANT_STATUSES:
            problems.append(f"participant status {p.get('status')!r} is not a participation status")
        if "required" in p and p["required"] not in PARTICIPANT_REQUIRED:
            problems.append(f"participant required {p['required']!r} is not a code")
    if ("start" in resource) != ("end" in resource):
        problems.append("app-2: give both start and end, or neither")
    if "start" not in resource and status not in ("proposed", "cancelled", "waitlist"):
        problems.append("app-3: only proposed, cancelled or waitlisted appointments may lack times")
    if "cancelationReason" in resource and status not in ("cancelled", "noshow"):
        problems.append("app-4: a cancellation reason needs a cancelled or no-show appointment")
    return problems


def _check_items(items: Sequence[Mapping[str, Any]]) -> list[str]:
    problems = []
    ids = [item.get("linkId") for item in items]
    if len(ids) != len(set(ids)):
        problems.append("que-2: item linkIds must be unique")
    for item in items:
        if item.get("type") not in ITEM_TYPES:
            problems.append(f"item {item.get('linkId')}: type {item.get('type')!r} is not an item type")
        if item.get("answerOption") and item.get("type") not in ("choice", "open-choice"):
            problems.append(f"que-5: item {item.get('linkId')} has options but is not a choice")
        problems += _check_items(item.get("item") or [])
    return problems


def _check_questionnaire(resource: Mapping[str, Any], _: Mapping[str, Any]) -> list[str]:
    problems = []
    if resource.get("status") not in QUESTIONNAIRE_STATUSES:
        problems.append(f"status {resource.get('status')!r} is not a publication status")
    return problems + _check_items(resource.get("item") or [])


def _check_response(resource: Mapping[str, Any], questionnaires: Mapping[str, Any]) -> list[str]:
    problems = []
    if resource.get("status") not in RESPONSE_STATUSES:
        problems.append(f"status {resource.get('status')!r} is not a QuestionnaireResponse status")
    questionnaire = questionnaires.get(resource.get("questionnaire", ""))
    if questionnaire is None:
        return [*problems, f"questionnaire {resource.get('questionnaire')!r} is not in the bundle"]
    items = {item["linkId"]: item for item in questionnaire.get("item", [])}
    for answer_item in resource.get("item") or []:
        question = items.get(answer_item.get("linkId"))
        if question is None:
            problems.append(f"item {answer_item.get('linkId')!r} is not a question of the questionnaire")
            continue
        allowed = {(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in question.get("answerOption", [])}
        for answer in answer_item.get("answer") or []:
            coding = answer.get("valueCoding")
            if coding and (coding.get("system"), coding.get("code")) not in allowed:
                problems.append(f"item {question['linkId']}: answer {coding.get('code')!r} is not one of its options")
    return problems


_CHECKERS = {
    "Consent": _check_consent,
    "Appointment": _check_appointment,
    "Questionnaire": _check_questionnaire,
    "QuestionnaireResponse": _check_response,
}
