"""export_fhir's courses of care: a CarePlan per plan, a Goal per goal and an Observation per
score, valid R4B, referencing the Patient, Practitioner and Appointment resources of the same
bundle; LOINC only for NPRS, the one instrument with a sourced code."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.observation import Observation as FhirObservation

from accounts.models import Patient, User
from care.models import CarePlan, PlanStatus
from care.services.discharge import discharge_plan
from compliance import exports, fhir_care
from consent.fhir.ids import full_url
from tests.care.discharge_course import GOALS, add_course, make_plan
from tests.workspace.factories import NOW, Desk, make_desk

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def desk(clinic_admin: User, time_machine: time_machine.TimeMachineFixture) -> Desk:
    time_machine.move_to(NOW, tick=False)
    return make_desk(clinic_admin)


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    plan = make_plan(desk, patient)
    add_course(desk, plan)
    return plan


def export(desk: Desk, patient: Patient) -> dict[str, Any]:
    actor = exports.Actor(desk.admin, "clinic_admin", "command", None)
    return exports.patient_bundle(patient, clinics=[desk.clinic], actor=actor)


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_course_is_exported_as_valid_resources(desk: Desk, plan: CarePlan, patient: Patient) -> None:
    bundle = export(desk, patient)

    (careplan,) = of_type(bundle, "CarePlan")
    goals = of_type(bundle, "Goal")
    observations = of_type(bundle, "Observation")
    FhirCarePlan.model_validate(careplan)
    for goal in goals:
        FhirGoal.model_validate(goal)
    for observation in observations:
        FhirObservation.model_validate(observation)
    assert [g["description"]["text"] for g in goals] == GOALS
    assert len(observations) == 5
    assert (careplan["status"], careplan["intent"]) == ("active", "plan")
    assert fhir_care.check_care(bundle) == []


def test_every_reference_resolves_to_the_exports_own_resources(desk: Desk, plan: CarePlan, patient: Patient) -> None:
    bundle = export(desk, patient)
    urls = {e["fullUrl"] for e in bundle["entry"]}

    (careplan,) = of_type(bundle, "CarePlan")
    assert careplan["subject"]["reference"] == full_url("Patient", patient.pk) in urls
    assert careplan["author"]["reference"] == full_url("Practitioner", desk.alex.pk) in urls
    activities = [a["reference"]["reference"] for a in careplan["activity"]]
    assert activities == [full_url("Appointment", v.appointment_id) for v in plan.visits.order_by("number")]
    assert set(activities) <= urls
    assert {g["reference"] for g in careplan["goal"]} <= urls
    for observation in of_type(bundle, "Observation"):
        assert observation["basedOn"][0]["reference"] == full_url("CarePlan", plan.pk) in urls
        assert observation["performer"][0]["reference"] == full_url("Patient", patient.pk)
        for extension in observation.get("extension", []):
            assert extension["valueReference"]["reference"] in urls


def test_loinc_only_where_it_is_sourced(desk: Desk, plan: CarePlan, patient: Patient) -> None:
    observations = of_type(export(desk, patient), "Observation")

    systems = {o["code"]["coding"][-1]["code"]: [c["system"] for c in o["code"]["coding"]] for o in observations}
    assert systems == {
        "nprs": ["http://loinc.org", fhir_care.INSTRUMENT_SYSTEM],
        "psfs": [fhir_care.INSTRUMENT_SYSTEM],
    }
    nprs = next(o for o in observations if o["code"]["coding"][0]["code"] == "72514-3")
    assert nprs["category"][0]["coding"][0]["code"] == "survey"
    assert nprs["valueQuantity"]["value"] in (6, 4, 2)


@pytest.mark.parametrize(
    ("status", "careplan", "goal"),
    [
        (PlanStatus.PROPOSED, "draft", "proposed"),
        (PlanStatus.ACTIVE, "active", "active"),
        (PlanStatus.ON_HOLD, "on-hold", "on-hold"),
    ],
)
def test_open_statuses_map_to_fhir(desk: Desk, patient: Patient, status: str, careplan: str, goal: str) -> None:
    make_plan(desk, patient, status=status)

    bundle = export(desk, patient)

    assert of_type(bundle, "CarePlan")[0]["status"] == careplan
    assert {g["lifecycleStatus"] for g in of_type(bundle, "Goal")} == {goal}


@pytest.mark.parametrize(
    ("reason", "careplan", "goal", "achievement"),
    [
        ("goals_met", "completed", "completed", "achieved"),
        ("goals_partly_met", "completed", "completed", None),
        ("goals_not_met", "completed", "completed", "not-achieved"),
        ("patient_stopped", "revoked", "cancelled", None),
    ],
)
def test_a_discharged_plan_is_closed_in_fhir(
    desk: Desk, plan: CarePlan, patient: Patient, reason: str, careplan: str, goal: str, achievement: str | None
) -> None:
    discharge_plan(plan, reason=reason, note="Keep walking.", by=desk.alex.user)

    bundle = export(desk, patient)

    (resource,) = of_type(bundle, "CarePlan")
    assert resource["status"] == careplan
    assert resource["period"]["end"].startswith(NOW.date().isoformat())
    for g in of_type(bundle, "Goal"):
        assert g["lifecycleStatus"] == goal
        assert g.get("achievementStatus", {}).get("coding", [{}])[0].get("code") == achievement


def test_a_patient_without_plans_exports_as_before(desk: Desk, patient: Patient) -> None:
    bundle = export(desk, patient)

    assert not of_type(bundle, "CarePlan") and not of_type(bundle, "Observation")
