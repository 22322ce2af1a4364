"""Who sees a plan of care: the patient their own; the practitioner who leads it and the admin
of its clinic; anyone else gets a 404 (never a 403 that would confirm it exists). Anonymous
callers and the wrong kind of caller are refused as on the rest of the API."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Patient
from tests.accounts.sign_in import api_as
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.care.plans import URL, post, propose, seen
from tests.workspace.factories import Desk, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def alex(desk: Desk) -> Client:
    return staff_client(desk.alex.user)


@pytest.fixture
def plan_id(desk: Desk, alex: Client, patient: Patient) -> int:
    return int(propose(alex, desk, seen(desk, patient))["id"])


@pytest.fixture
def elsewhere() -> Client:
    """A practitioner and admin of another clinic."""
    clinic = make_clinic(name="Elsewhere", slug="elsewhere")
    make_type(clinic, minutes=30, name="Elsewhere treatment")
    return staff_client(make_practitioner(clinic, name="Sam Else").user)


def test_a_patient_sees_their_own_plan_in_plain_terms(patient: Patient, plan_id: int) -> None:
    listed = api_as(patient).get("/api/v1/care-plans").json()
    one = api_as(patient).get(f"/api/v1/care-plans/{plan_id}").json()

    assert [p["id"] for p in listed] == [plan_id]
    assert one["practitioner"]["name"] == "Alex Morgan"
    assert (one["body_region"], one["body_region_name"], one["status_name"]) == ("neck", "Neck", "Proposed")
    assert (one["sessions_planned"], one["spacing_days"], one["review_on"]) == (4, 7, "2026-07-01")
    assert "patient" not in one and "status_changes" not in one


def test_a_patient_reads_the_measure_names_in_their_language(patient: Patient, plan_id: int) -> None:
    for language, name in (("es", "Escala Numérica"), ("fr", "Échelle numérique")):
        one = api_as(patient).get(f"/api/v1/care-plans/{plan_id}", headers={"accept-language": language}).json()
        assert one["measures"][0]["code"] == "nprs"
        assert name.lower() in one["measures"][0]["name"].lower()


def test_another_patients_plan_is_a_404(other_patient: Patient, plan_id: int) -> None:
    olive = api_as(other_patient)

    assert olive.get(f"/api/v1/care-plans/{plan_id}").status_code == 404
    assert olive.get("/api/v1/care-plans").json() == []


def test_a_patient_has_plans_with_different_practitioners(desk: Desk, alex: Client, patient: Patient) -> None:
    propose(alex, desk, seen(desk, patient))
    propose(staff_client(desk.priya.user), desk, patient, body_region="knee", measures=["nprs"], goals=[])

    listed = api_as(patient).get("/api/v1/care-plans").json()

    assert sorted(p["practitioner"]["name"] for p in listed) == ["Alex Morgan", "Priya Shah"]


def test_staff_of_another_clinic_cannot_see_or_move_it(elsewhere: Client, plan_id: int) -> None:
    assert elsewhere.get(f"{URL}/{plan_id}").status_code == 404
    assert elsewhere.get(URL).json() == []
    assert post(elsewhere, f"{URL}/{plan_id}/status", {"to": "active"}).status_code == 404


def test_a_colleague_sees_only_plans_they_lead_and_the_admin_sees_the_clinics(desk: Desk, plan_id: int) -> None:
    priya, admin = staff_client(desk.priya.user), staff_client(desk.admin)

    assert priya.get(f"{URL}/{plan_id}").status_code == 404
    assert [p["id"] for p in admin.get(URL).json()] == [plan_id]
    assert admin.get(f"{URL}/{plan_id}").status_code == 200


def test_the_staff_list_filters_by_patient_and_status(
    desk: Desk, alex: Client, patient: Patient, other_patient: Patient, plan_id: int
) -> None:
    other = propose(alex, desk, seen(desk, other_patient, "12:00"))["id"]
    post(alex, f"{URL}/{other}/status", {"to": "active"})

    assert [p["id"] for p in alex.get(URL, {"patient": patient.pk}).json()] == [plan_id]
    assert [p["id"] for p in alex.get(URL, {"status": "active"}).json()] == [other]
    assert alex.get(URL, {"status": "lost"}).status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/care-plans", "/api/v1/care-plans/1", URL, f"{URL}/1"])
def test_anonymous_callers_are_refused(stranger: APIClient, path: str) -> None:
    response = stranger.get(path)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_patient_token_cannot_reach_the_staff_operations(patient: Patient, desk: Desk, plan_id: int) -> None:
    client = api_as(patient)

    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/{plan_id}").status_code == 403
    assert client.post(f"{URL}/{plan_id}/status", {"to": "active"}, format="json").status_code == 403


def test_staff_cannot_use_the_patients_operations(alex: Client, plan_id: int) -> None:
    assert alex.get("/api/v1/care-plans").status_code == 403
    assert alex.get(f"/api/v1/care-plans/{plan_id}").status_code == 403


@pytest.mark.parametrize("query", [{"status": ""}, {"patient": ""}, {"patient": "x"}])
def test_an_empty_or_wrong_filter_is_a_field_error(alex: Client, query: dict[str, str]) -> None:
    response = alex.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(query)
