"""A patient's courses of care as FHIR R4B resources for the export: one CarePlan per plan, one
Goal per goal (the patient's own words), one Observation per outcome score.

They reference the Patient, Practitioner and Appointment resources that consent.fhir builds, by
the same ids (consent.fhir.ids), so the bundle's own reference check proves they resolve.
Codes: LOINC only where one is sourced. NPRS is 72514-3, "Pain severity - 0-10 verbal numeric
rating [Score] - Reported" (HL7 Belgium's patient-monitoring guide cites it for the 0-10 scale:
https://build.fhir.org/ig/hl7-be/patient-monitoring/ValueSet-pain-scale.html, which links
https://loinc.org/72514-3). No sourced code was found for PSFS, so it and every clinic
instrument are coded in Acus's own system only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from accounts.models import Patient
from booking.models import Clinic
from care.builtin_instruments import BUILT_IN
from care.models import CarePlan, CourseVisit, Discharge, DischargeReason, OutcomeScore, PlanStatus
from consent.fhir.builders import instant
from consent.fhir.codes import LOINC
from consent.fhir.ids import full_url, resource_id

Entry = tuple[str, int | str, dict[str, Any]]

INSTRUMENT_SYSTEM = "urn:acus:instrument"
APPOINTMENT_EXTENSION = "urn:acus:fhir:appointment"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
UCUM = "http://unitsofmeasure.org"

# Sourced LOINC codes only (the source of each is in the module's docstring).
LOINC_CODES: Mapping[str, tuple[str, str]] = {
    "nprs": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
}

CAREPLAN_STATUS = {
    PlanStatus.PROPOSED: "draft",
    PlanStatus.ACTIVE: "active",
    PlanStatus.ON_HOLD: "on-hold",
    PlanStatus.COMPLETED: "completed",
    PlanStatus.STOPPED: "revoked",
}
GOAL_STATUS = {
    PlanStatus.PROPOSED: "proposed",
    PlanStatus.ACTIVE: "active",
    PlanStatus.ON_HOLD: "on-hold",
    PlanStatus.COMPLETED: "completed",
    PlanStatus.STOPPED: "cancelled",
}
# Only the reasons that say how the goals went; "partly met" has no exact code, so none is given.
ACHIEVEMENT = {DischargeReason.GOALS_MET: "achieved", DischargeReason.GOALS_NOT_MET: "not-achieved"}

# fmt: off
CAREPLAN_STATUSES = frozenset({"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"})
CAREPLAN_INTENTS = frozenset({"proposal", "plan", "order", "option"})
GOAL_STATUSES = frozenset({
    "proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error", "rejected",
})
OBSERVATION_STATUSES = frozenset({
    "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown",
})
# fmt: on


def plans_of(patient: Patient, clinics: Sequence[Clinic]) -> list[CarePlan]:
    """The patient's plans at these clinics, with what the resources need, in a fixed number of queries."""
    visits = CourseVisit.objects.select_related("appointment").order_by("number", "pk")
    return list(
        CarePlan.objects.filter(patient=patient, clinic__in=clinics)
        .select_related("practitioner", "patient", "clinic")
        .prefetch_related(
            Prefetch("visits", queryset=visits, to_attr="course_visits"),
            Prefetch("scores", queryset=OutcomeScore.objects.order_by("answered_at", "pk"), to_attr="all_scores"),
            Prefetch("discharge", queryset=Discharge.objects.all()),
        )
        .order_by("created_at", "pk")
    )


def care_entries(plans: Iterable[CarePlan], patient: Patient) -> list[Entry]:
    entries: list[Entry] = []
    for plan in plans:
        discharge = plan.discharge if _has_discharge(plan) else None
        appointments = [v.appointment_id for v in plan.course_visits if v.appointment.patient_id == patient.pk]  # type: ignore[attr-defined]
        goals = [(f"{plan.pk}-{index}", text) for index, text in enumerate(plan.goals, start=1)]
        entries.append(("CarePlan", plan.pk, careplan_resource(plan, goals, appointments, discharge)))
        entries += [("Goal", key, goal_resource(plan, key, text, discharge)) for key, text in goals]
        known = set(appointments)
        entries += [("Observation", s.pk, observation_resource(s, plan, known)) for s in plan.all_scores]  # type: ignore[attr-defined]
    return entries


def _has_discharge(plan: CarePlan) -> bool:
    try:
        plan.discharge  # noqa: B018  # the reverse one-to-one raises when there is none
    except Discharge.DoesNotExist:
        return False
    return True


def _ref(kind: str, pk: int | str) -> dict[str, Any]:
    return {"reference": full_url(kind, pk), "type": kind}


def careplan_resource(
    plan: CarePlan, goals: Sequence[tuple[str, str]], appointments: Sequence[int], discharge: Discharge | None
) -> dict[str, Any]:
    period = {"start": instant(plan.created_at)}
    if discharge is not None:
        period["end"] = instant(discharge.at)
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": resource_id("CarePlan", plan.pk),
        "identifier": [{"system": "urn:acus:care-plan", "value": str(plan.pk)}],
        "status": CAREPLAN_STATUS[PlanStatus(plan.status)],
        "intent": "plan",
        "title": plan.problem[:200],
        "description": plan.problem,
        "subject": _ref("Patient", plan.patient_id),
        "period": period,
        "created": instant(plan.created_at),
        "author": _ref("Practitioner", plan.practitioner_id),
        "goal": [_ref("Goal", key) for key, _text in goals],
        "activity": [{"reference": _ref("Appointment", pk)} for pk in appointments],
    }
    if discharge is not None and discharge.note:
        resource["note"] = [{"text": discharge.note, "time": instant(discharge.at)}]
    return {key: value for key, value in resource.items() if value not in ([], "")}


def goal_resource(plan: CarePlan, key: str, text: str, discharge: Discharge | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": resource_id("Goal", key),
        "lifecycleStatus": GOAL_STATUS[PlanStatus(plan.status)],
        "description": {"text": text},
        "subject": _ref("Patient", plan.patient_id),
        "startDate": plan.created_at.astimezone(plan.clinic.zone).date().isoformat(),
        "expressedBy": _ref("Patient", plan.patient_id),
    }
    achievement = ACHIEVEMENT.get(DischargeReason(discharge.reason)) if discharge else None
    if achievement:
        resource["achievementStatus"] = {"coding": [{"system": GOAL_ACHIEVEMENT, "code": achievement}]}
    return resource


def instrument_code(code: str) -> dict[str, Any]:
    instrument = BUILT_IN.get(code)
    name = str(instrument.name) if instrument else code
    codings = [{"system": INSTRUMENT_SYSTEM, "code": code, "display": name}]
    if code in LOINC_CODES:
        loinc, display = LOINC_CODES[code]
        codings.insert(0, {"system": LOINC, "code": loinc, "display": display})
    return {"coding": codings, "text": name}


def observation_resource(score: OutcomeScore, plan: CarePlan, appointments: set[int]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id("Observation", score.pk),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": instrument_code(score.instrument),
        "subject": _ref("Patient", plan.patient_id),
        "basedOn": [_ref("CarePlan", plan.pk)],
        "effectiveDateTime": instant(score.answered_at),
        "valueQuantity": {"value": _number(score.score), "unit": "score", "system": UCUM, "code": "{score}"},
    }
    if score.answered_by_id == plan.patient.user_id:
        resource["performer"] = [_ref("Patient", plan.patient_id)]
    elif score.answered_by_id == plan.practitioner.user_id:
        resource["performer"] = [_ref("Practitioner", plan.practitioner_id)]
    # Observation has no element for the appointment a score was given at (encounter and partOf
    # take other resources), so it travels in an extension.
    if score.appointment_id in appointments:
        resource["extension"] = [
            {"url": APPOINTMENT_EXTENSION, "valueReference": _ref("Appointment", score.appointment_id)}
        ]
    return resource


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


def check_care(bundle: Mapping[str, Any]) -> list[str]:
    """The code lists the R4B models leave unchecked, for the resources this module adds."""
    problems = []
    for index, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") or {}
        kind = resource.get("resourceType")
        where = f"entry[{index}] {kind}"
        if kind == "CarePlan":
            if resource.get("status") not in CAREPLAN_STATUSES:
                problems.append(f"{where}: status {resource.get('status')!r} is not a CarePlan status")
            if resource.get("intent") not in CAREPLAN_INTENTS:
                problems.append(f"{where}: intent {resource.get('intent')!r} is not a CarePlan intent")
        elif kind == "Goal" and resource.get("lifecycleStatus") not in GOAL_STATUSES:
            problems.append(f"{where}: lifecycleStatus {resource.get('lifecycleStatus')!r} is not a Goal status")
        elif kind == "Observation" and resource.get("status") not in OBSERVATION_STATUSES:
            problems.append(f"{where}: status {resource.get('status')!r} is not an Observation status")
    return problems
