"""The discharge endpoints: staff discharge a plan they may see and read it back with its PDF;
patients read their own plan's discharge. Anyone else's plan is a 404, bad input a 400."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan, Discharge
from tests.accounts.sign_in import api_as
from tests.care.discharge_course import add_course, make_plan
from tests.care.plans import post
from tests.workspace.factories import Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

STAFF = "/api/v1/staff/care-plans"
PATIENT = "/api/v1/care-plans"


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    plan = make_plan(desk, patient)
    add_course(desk, plan)
    return plan


@pytest.fixture
def alex(desk: Desk) -> Client:
    return staff_client(desk.alex.user)


def test_staff_discharge_a_plan_and_read_it_back(alex: Client, plan: CarePlan) -> None:
    response = post(alex, f"{STAFF}/{plan.pk}/discharge", {"reason": "goals_met", "note": "Keep walking."})

    assert response.status_code == 201, response.content
    body = response.json()
    stored = Discharge.objects.get(plan=plan)
    assert body["reason"] == "goals_met"
    assert body["by"] == stored.by.email
    assert body["sha256"] == stored.summary_sha256
    assert body["pdf"] == f"{STAFF}/{plan.pk}/discharge.pdf"
    assert alex.get(f"{STAFF}/{plan.pk}/discharge").json() == body
    pdf = alex.get(body["pdf"], HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == body["sha256"]


def test_a_second_discharge_is_a_conflict(alex: Client, plan: CarePlan) -> None:
    post(alex, f"{STAFF}/{plan.pk}/discharge", {"reason": "goals_met"})

    again = post(alex, f"{STAFF}/{plan.pk}/discharge", {"reason": "referred_on"})

    assert again.status_code == 409
    assert again.json()["code"] == "already_discharged"


@pytest.mark.parametrize("body", [{}, {"reason": "bored"}, {"reason": "goals_met", "note": 5}])
def test_bad_input_is_a_400_with_fields(alex: Client, plan: CarePlan, body: dict[str, object]) -> None:
    response = post(alex, f"{STAFF}/{plan.pk}/discharge", body)

    assert response.status_code == 400
    assert response.json()["fields"]
    assert not Discharge.objects.exists()


def test_staff_who_may_not_see_the_plan_get_a_404(desk: Desk, plan: CarePlan) -> None:
    priya = staff_client(desk.priya.user)

    assert post(priya, f"{STAFF}/{plan.pk}/discharge", {"reason": "goals_met"}).status_code == 404
    assert priya.get(f"{STAFF}/{plan.pk}/discharge").status_code == 404
    assert not Discharge.objects.exists()


def test_a_plan_not_yet_discharged_has_no_discharge(alex: Client, plan: CarePlan) -> None:
    assert alex.get(f"{STAFF}/{plan.pk}/discharge").status_code == 404
    assert alex.get(f"{STAFF}/{plan.pk}/discharge.pdf").status_code == 404


def test_the_patient_reads_their_own_discharge(alex: Client, plan: CarePlan, patient: Patient) -> None:
    post(alex, f"{STAFF}/{plan.pk}/discharge", {"reason": "goals_partly_met"})
    client = api_as(patient)

    body = client.get(f"{PATIENT}/{plan.pk}/discharge").json()
    pdf = client.get(body["pdf"])

    assert body["reason"] == "goals_partly_met"
    assert body["pdf"] == f"{PATIENT}/{plan.pk}/discharge.pdf"
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.content).hexdigest() == body["sha256"]


def test_another_patient_gets_a_404(alex: Client, plan: CarePlan, other_patient: Patient) -> None:
    post(alex, f"{STAFF}/{plan.pk}/discharge", {"reason": "goals_met"})
    client = api_as(other_patient)

    assert client.get(f"{PATIENT}/{plan.pk}/discharge").status_code == 404
    assert client.get(f"{PATIENT}/{plan.pk}/discharge.pdf").status_code == 404


def test_a_clinic_admin_discharges_a_plan_at_their_clinic(desk: Desk, plan: CarePlan) -> None:
    response = post(staff_client(desk.admin), f"{STAFF}/{plan.pk}/discharge", {"reason": "referred_on"})

    assert response.status_code == 201, response.content
    assert Discharge.objects.get(plan=plan).by == desk.admin


def test_a_proposed_plan_is_a_409(desk: Desk, alex: Client, other_patient: Patient) -> None:
    proposed = make_plan(desk, other_patient, status="proposed")

    response = post(alex, f"{STAFF}/{proposed.pk}/discharge", {"reason": "goals_met"})

    assert response.status_code == 409
    assert response.json()["code"] == "plan_not_open"
