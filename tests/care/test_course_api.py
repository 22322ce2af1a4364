"""The course over REST: the patient reads their own plan's course, staff a plan they may see;
anyone else's is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Patient
from care.models import CarePlan
from tests.accounts.sign_in import api_as
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.course_data import active_plan, score, visit
from tests.workspace.factories import MONDAY, Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    plan = active_plan(desk, patient, measures=("nprs",))
    first = visit(desk, plan, desk.at("10:00", MONDAY - timedelta(days=7)), 1)
    visit(desk, plan, desk.at("10:00", MONDAY + timedelta(days=7)), 2)
    score(plan, "nprs", 8, first.start)
    score(plan, "nprs", 5, desk.at("08:30"))
    return plan


def test_the_patient_reads_their_course(plan: CarePlan, patient: Patient) -> None:
    body = api_as(patient).get(f"/api/v1/care-plans/{plan.pk}/course").json()

    assert (body["plan"], body["sessions_planned"], body["unbooked"]) == (plan.pk, 6, 4)
    assert [(v["number"], v["state"]) for v in body["visits"]] == [(1, "done"), (2, "to_come")]
    assert body["visits"][1]["start"] == "2026-06-08T10:00:00+01:00"
    (nprs,) = body["instruments"]
    assert (nprs["code"], nprs["higher_is_better"], nprs["band"]) == ("nprs", False, [6.0, 8.0])
    assert [(s["score"], s["change"], s["meaningful"]) for s in nprs["scores"]] == [(8, 0, False), (5, 3, True)]


def test_another_patients_course_is_a_404(plan: CarePlan, other_patient: Patient) -> None:
    assert api_as(other_patient).get(f"/api/v1/care-plans/{plan.pk}/course").status_code == 404


def test_staff_read_their_clinics_course_and_not_another_clinics(desk: Desk, plan: CarePlan) -> None:
    clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    make_type(clinic, minutes=30, name="Elsewhere treatment")
    elsewhere: Client = staff_client(make_practitioner(clinic, name="Sam Else").user)

    assert staff_client(desk.alex.user).get(f"/api/v1/staff/care-plans/{plan.pk}/course").status_code == 200
    assert elsewhere.get(f"/api/v1/staff/care-plans/{plan.pk}/course").status_code == 404
