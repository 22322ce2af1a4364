"""The discharge pages: the practitioner's form and then the summary link; the patient's PDF of
their own plan. Works without JavaScript (POST, then redirect); others' plans are 404s."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import Patient
from care.models import CarePlan, Discharge
from tests.care.discharge_course import add_course, make_plan
from tests.core.i18n import english_left_in
from tests.workspace.factories import Desk, body, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def plan(desk: Desk, patient: Patient) -> CarePlan:
    plan = make_plan(desk, patient)
    add_course(desk, plan)
    return plan


def url(plan: CarePlan) -> str:
    return f"/staff/plans/{plan.pk}/discharge/"


def test_the_form_offers_each_reason_with_a_label(desk: Desk, plan: CarePlan) -> None:
    html = body(staff_client(desk.alex.user).get(url(plan)))

    assert "<legend>Why does the course end?</legend>" in html
    for reason in ("goals_met", "goals_partly_met", "goals_not_met", "patient_stopped", "referred_on"):
        assert f'value="{reason}"' in html
    assert '<label for="id_note">Note for the summary</label>' in html


def test_discharging_redirects_to_the_summary_link(desk: Desk, plan: CarePlan) -> None:
    client = staff_client(desk.alex.user)

    response = client.post(url(plan), {"reason": "patient_stopped", "note": "Moved away."})

    assert response.status_code == 302
    assert response["Location"] == url(plan)
    html = body(client.get(url(plan)))
    assert f'href="/staff/plans/{plan.pk}/discharge.pdf"' in html
    assert "Patient stopped" in html
    pdf = client.get(f"/staff/plans/{plan.pk}/discharge.pdf")
    assert hashlib.sha256(pdf.content).hexdigest() == Discharge.objects.get(plan=plan).summary_sha256


def test_a_missing_reason_is_shown_next_to_the_field(desk: Desk, plan: CarePlan) -> None:
    response = staff_client(desk.alex.user).post(url(plan), {"note": "x"})

    assert response.status_code == 400
    assert "Choose a reason." in body(response)
    assert not Discharge.objects.exists()


def test_the_form_in_spanish_leaves_no_english(desk: Desk, plan: CarePlan) -> None:
    client = staff_client(desk.alex.user)
    with translation.override("es"):
        html = body(client.get(url(plan), HTTP_ACCEPT_LANGUAGE="es"))

    assert english_left_in(html.replace(plan.problem, "")) == []


def test_other_staff_get_a_404(desk: Desk, plan: CarePlan) -> None:
    priya = staff_client(desk.priya.user)

    assert priya.get(url(plan)).status_code == 404
    assert priya.post(url(plan), {"reason": "goals_met"}).status_code == 404


def test_the_patient_downloads_their_own_summary(desk: Desk, plan: CarePlan, patient: Patient) -> None:
    staff_client(desk.alex.user).post(url(plan), {"reason": "goals_met"})
    client = Client()
    client.force_login(patient.user)

    response = client.get(f"/care/plans/{plan.pk}/discharge.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == Discharge.objects.get(plan=plan).summary_sha256


def test_another_patient_and_an_open_plan_are_404s(
    desk: Desk, plan: CarePlan, patient: Patient, other_patient: Patient
) -> None:
    mine, theirs = Client(), Client()
    mine.force_login(patient.user)
    theirs.force_login(other_patient.user)

    assert mine.get(f"/care/plans/{plan.pk}/discharge.pdf").status_code == 404
    staff_client(desk.alex.user).post(url(plan), {"reason": "goals_met"})
    assert theirs.get(f"/care/plans/{plan.pk}/discharge.pdf").status_code == 404
