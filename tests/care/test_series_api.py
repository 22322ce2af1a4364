"""The series API: patients propose and book on their own plans, staff on the plans they may
see; all or nothing, a 409 that says what happened, a 404 for anyone else's plan."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment
from care.models import CourseVisit
from tests.accounts.sign_in import api_as
from tests.care.plans import post
from tests.care.series_helpers import live_course, make_plan
from tests.workspace.factories import Desk, book_plain, staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
CHOICE = {"weekday": 1, "time": "14:00"}


def url(plan_id: int, *, staff: bool = False, proposal: bool = False) -> str:
    prefix = "/api/v1/staff/care-plans" if staff else "/api/v1/care-plans"
    return f"{prefix}/{plan_id}/series" + ("/proposal" if proposal else "")


def test_the_patient_sees_the_proposal_with_moved_visits_marked(
    desk: Desk, patient: Patient, other_patient: Patient, patient_api: APIClient
) -> None:
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 9)))
    plan = make_plan(desk, patient, sessions_planned=3)
    answer = patient_api.post(url(plan.pk, proposal=True), CHOICE, format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["complete"] is True and body["consent"] == "none"
    assert [v["number"] for v in body["visits"]] == [1, 2, 3]
    assert body["visits"][0]["start"] == "2026-06-02T14:00:00+01:00"
    assert body["visits"][0]["moved"] == "" and body["visits"][0]["reason"] == ""
    assert body["visits"][1]["moved"] == "other_time"
    assert "14:00" in body["visits"][1]["reason"]
    assert not Appointment.objects.filter(patient=patient).exists()  # a proposal holds nothing


def test_the_patient_books_the_series_they_were_shown(desk: Desk, patient: Patient, patient_api: APIClient) -> None:
    plan = make_plan(desk, patient, sessions_planned=3)
    shown = patient_api.post(url(plan.pk, proposal=True), CHOICE, format="json").json()
    starts = [v["start"] for v in shown["visits"]]
    answer = patient_api.post(url(plan.pk), {**CHOICE, "starts": starts}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [v["start"] for v in body["visits"]] == starts
    assert {v["status"] for v in body["visits"]} == {"confirmed"}
    assert body["needs_consent"] is None
    assert len(live_course(plan)) == 3


def test_a_proposal_gone_stale_is_a_409_and_books_nothing(
    desk: Desk, patient: Patient, other_patient: Patient, patient_api: APIClient
) -> None:
    plan = make_plan(desk, patient, sessions_planned=3)
    shown = patient_api.post(url(plan.pk, proposal=True), CHOICE, format="json").json()
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 16)))
    answer = patient_api.post(url(plan.pk), {**CHOICE, "starts": [v["start"] for v in shown["visits"]]}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "series_changed"
    assert not CourseVisit.objects.filter(plan=plan).exists()


def test_another_patients_plan_is_a_404(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    plan = make_plan(desk, other_patient)
    client = api_as(patient)
    assert client.post(url(plan.pk, proposal=True), CHOICE, format="json").status_code == 404
    assert client.post(url(plan.pk), CHOICE, format="json").status_code == 404
    assert client.post(url(plan.pk), {}, format="json").status_code == 404  # whatever the body
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekday": 7, "time": "14:00"}, "weekday"),
        ({"weekday": "1", "time": "14:00"}, "weekday"),
        ({"weekday": 1, "time": "25:00"}, "time"),
        ({"weekday": 1}, "time"),
        ({**CHOICE, "starts": ["soon"]}, "starts.0"),
        ({**CHOICE, "health_unchanged": "yes"}, "health_unchanged"),
    ],
)
def test_a_bad_body_is_a_400_naming_the_field(
    desk: Desk, patient: Patient, patient_api: APIClient, body: dict[str, object], field: str
) -> None:
    plan = make_plan(desk, patient)
    answer = patient_api.post(url(plan.pk), body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["fields"]


def test_a_closed_plan_is_a_409(desk: Desk, patient: Patient, patient_api: APIClient) -> None:
    plan = make_plan(desk, patient, status="completed")
    answer = patient_api.post(url(plan.pk, proposal=True), CHOICE, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "plan_not_open"


def test_staff_book_the_series_for_the_patient(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient, sessions_planned=4)
    client = staff_client(desk.alex.user)
    shown = post(client, url(plan.pk, staff=True, proposal=True), CHOICE)
    assert shown.status_code == 200, shown.content
    answer = post(client, url(plan.pk, staff=True), CHOICE)
    assert answer.status_code == 201, answer.content
    assert len(live_course(plan)) == 4


def test_staff_see_only_plans_they_may_see(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient)
    priya = staff_client(desk.priya.user)  # treats at the clinic, but it is Alex's plan
    assert post(priya, url(plan.pk, staff=True, proposal=True), CHOICE).status_code == 404
    assert post(priya, url(plan.pk, staff=True), CHOICE).status_code == 404
    assert post(staff_client(desk.admin), url(plan.pk, staff=True, proposal=True), CHOICE).status_code == 200


def test_staff_cannot_book_needling_before_the_patient_signs(desk: Desk, patient: Patient) -> None:
    plan = make_plan(desk, patient, kind=desk.needling)
    answer = post(staff_client(desk.alex.user), url(plan.pk, staff=True), CHOICE)
    assert answer.status_code == 409 and answer.json()["code"] == "consent_required"
    assert not Appointment.objects.exists()


def test_the_patient_api_refuses_staff_and_the_staff_api_refuses_patients(
    desk: Desk, patient: Patient, patient_api: APIClient
) -> None:
    plan = make_plan(desk, patient)
    assert patient_api.post(url(plan.pk, staff=True), CHOICE, format="json").status_code == 403
    assert APIClient().post(url(plan.pk), CHOICE, format="json").status_code == 401
