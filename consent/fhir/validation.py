"""Is a bundle valid R4B? The package's models first, then the code lists and invariants they leave out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from consent.fhir.codes import (
    APPOINTMENT_STATUSES,
    BUNDLE_TYPES,
    CONSENT_SCOPE_SYSTEM,
    CONSENT_SCOPES,
    CONSENT_STATUSES,
    ITEM_TYPES,
    PARTICIPANT_REQUIRED,
    PARTICIPANT_STATUSES,
    PROVISION_TYPES,
    QUESTIONNAIRE_STATUSES,
    RESPONSE_STATUSES,
)


class FhirInvalid(ValueError):
    """The bundle failed the R4B models or our own checks; `problems` says where."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def validate_bundle(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """Parse with the R4B models, then our own checks; return the bundle as the models serialise it."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        model = Bundle.model_validate(dict(bundle))
    except ValidationError as exc:
        raise FhirInvalid([f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]) from None
    except KeyError as exc:  # fhir_core's lookup of an entry's resourceType it does not know
        raise FhirInvalid([f"Bundle.entry.resource: unknown resourceType {exc.args[0]!r}"]) from None
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
