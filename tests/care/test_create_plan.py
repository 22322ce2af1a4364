"""POST /api/v1/staff/care-plans: a practitioner proposes a plan of care after an assessment;
bad input is a 400 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.plans import URL, plan_body, post, propose, seen
from tests.workspace.factories import Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def alex(desk: Desk) -> Client:
    return staff_client(desk.alex.user)


def test_a_practitioner_proposes_a_plan(desk: Desk, alex: Client, patient: Patient) -> None:
    answer = propose(alex, desk, seen(desk, patient))

    plan = CarePlan.objects.get()
    assert answer["id"] == plan.pk
    assert answer["status"] == "proposed"
    assert answer["practitioner"] == {"id": desk.alex.pk, "name": "Alex Morgan"}
    assert answer["patient"] == {"id": patient.pk, "name": "Pat Example"}
    assert answer["measures"] == [
        {"code": "nprs", "name": "Numeric Pain Rating Scale"},
        {"code": "psfs", "name": "Patient-Specific Functional Scale"},
    ]
    assert answer["status_changes"] == []
    assert (plan.created_by, plan.sessions_planned, plan.spacing_days) == (desk.alex.user, 4, 7)
    assert plan.goals[0] == "Turn my head when driving"


def test_nprs_alone_needs_no_goals(desk: Desk, alex: Client, patient: Patient) -> None:
    answer = propose(alex, desk, seen(desk, patient), measures=["nprs"], goals=[])

    assert answer["goals"] == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"measures": ["ndi"]}, "measures", "Unknown outcome measure: ndi."),
        ({"goals": ["Drive", "Sleep"]}, "goals", "Patient-Specific Functional Scale needs 3 to 5 activities"),
        ({"goals": ["A", "B", "C", "D", "E", "F"]}, "goals", "needs 3 to 5 activities; you gave 6"),
        ({"spacing_days": 0}, "spacing_days", "greater than or equal to 1"),
        ({"sessions_planned": 21}, "sessions_planned", "less than or equal to 20"),
        ({"body_region": "tail"}, "body_region", "not a valid choice"),
        ({"review_on": "2026-05-01"}, "review_on", "cannot be in the past"),
        ({"problem": "   "}, "problem", "blank"),
        ({"sessions_planned": "4"}, "sessions_planned", ""),
    ],
)
def test_bad_input_is_a_field_error(
    desk: Desk, alex: Client, patient: Patient, changes: dict[str, Any], field: str, words: str
) -> None:
    response = post(alex, URL, plan_body(desk, seen(desk, patient), **changes))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert words in " ".join(body["fields"][field])
    assert not CarePlan.objects.exists()


def test_it_refuses_a_clinic_the_practitioner_does_not_work_at(desk: Desk, alex: Client, patient: Patient) -> None:
    elsewhere = make_clinic(name="Elsewhere", slug="elsewhere")
    kind = make_type(elsewhere, minutes=30, name="Elsewhere treatment")
    make_practitioner(elsewhere, name="Sam Else")

    response = post(alex, URL, plan_body(desk, seen(desk, patient), clinic=elsewhere.pk, appointment_type=kind.pk))

    assert response.status_code == 400
    assert response.json()["fields"]["clinic"] == ["You do not work at this clinic."]


def test_it_refuses_a_treatment_the_practitioner_does_not_offer(desk: Desk, alex: Client, patient: Patient) -> None:
    desk.alex.appointment_types.remove(desk.needling)

    response = post(alex, URL, plan_body(desk, seen(desk, patient)))

    assert response.status_code == 400
    assert response.json()["fields"]["appointment_type"] == ["You do not offer this treatment at this clinic."]


def test_it_refuses_a_patient_the_clinic_has_never_seen(desk: Desk, alex: Client, patient: Patient) -> None:
    never_seen = post(alex, URL, plan_body(desk, patient))
    unknown = post(alex, URL, {**plan_body(desk, patient), "patient": 999_999})

    for response in (never_seen, unknown):
        assert response.status_code == 400
        assert response.json()["fields"]["patient"] == ["No such patient at this clinic."]


def test_a_clinic_admin_who_does_not_treat_cannot_propose(desk: Desk, patient: Patient) -> None:
    response = post(staff_client(desk.admin), URL, plan_body(desk, seen(desk, patient)))

    assert response.status_code == 403
    assert response.json()["code"] == "not_a_practitioner"


def test_field_errors_answer_in_the_callers_language(desk: Desk, alex: Client, patient: Patient) -> None:
    body = plan_body(desk, seen(desk, patient), measures=["ndi"])

    response = alex.post(URL, body, content_type="application/json", headers={"accept-language": "es"})

    assert response.status_code == 400
    assert response.json()["fields"]["measures"] == ["Medida de resultado desconocida: ndi."]
