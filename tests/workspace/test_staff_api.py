"""The staff API: OTP-verified sessions only; a practitioner sees their own appointments,
a clinic admin every one at their clinics; refusals in the one error shape."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment, SessionNote
from consent.models import ConsentAccessLog
from tests.workspace.factories import MONDAY, REVIEW, Desk, book_needling, book_plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = Appointment.Status
DAY = {"start": "2026-06-01T00:00:00+01:00", "end": "2026-06-02T00:00:00+01:00"}


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def put(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(data), content_type="application/json")


NOTE = {
    "pain_before": 7,
    "pain_after": 3,
    "regions": ["neck"],
    "adverse_events": ["bruising"],
    "consent_reconfirmed": True,
}


def test_the_calendar_lists_own_appointments_in_the_clinics_offset(
    desk: Desk, alex_client: Client, patient: Patient, other_patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("10:00"), answers=REVIEW)
    book_plain(desk, other_patient, desk.at("11:00"), practitioner=desk.priya)

    response = alex_client.get("/api/v1/staff/appointments", DAY)

    assert response.status_code == 200
    (item,) = response.json()
    assert item["id"] == visit.pk
    assert item["start"] == "2026-06-01T10:00:00+01:00"
    assert item["status"] == "pending_review"
    assert item["patient"]["name"] == "Pat Example"
    assert item["consent_status"] == "active"
    assert item["screening"]["outcome"] == "review"
    assert [f["outcome"] for f in item["screening"]["flags"]] == ["review", "review"]


def test_the_clinic_admin_sees_the_whole_clinic(
    desk: Desk, admin_client_: Client, patient: Patient, other_patient: Patient
) -> None:
    book_plain(desk, patient, desk.at("10:00"))
    book_plain(desk, other_patient, desk.at("11:00"), practitioner=desk.priya)

    everyone = admin_client_.get("/api/v1/staff/appointments", DAY).json()
    one = admin_client_.get("/api/v1/staff/appointments", {**DAY, "practitioner": str(desk.priya.pk)}).json()

    assert len(everyone) == 2 and [a["practitioner"]["name"] for a in one] == ["Priya Shah"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-06-02T00:00:00+01:00", "end": "2026-06-01T00:00:00+01:00"}, "end"),
        ({"start": "2026-06-01T00:00:00", "end": "2026-06-02T00:00:00+01:00"}, "start"),
        ({"start": "2026-01-01T00:00:00Z", "end": "2026-06-02T00:00:00Z"}, "end"),
        ({"start": "yesterday", "end": "2026-06-02T00:00:00Z"}, "start"),
        ({**DAY, "clinic": "999999"}, "clinic"),
    ],
)
def test_a_bad_range_is_a_400_naming_the_field(alex_client: Client, query: dict[str, str], field: str) -> None:
    response = alex_client.get("/api/v1/staff/appointments", query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and field in response.json()["fields"]


def test_the_detail_has_answers_consent_notes_and_the_pain_trend(
    desk: Desk, alex_client: Client, patient: Patient
) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"), answers=REVIEW)

    body = alex_client.get(f"/api/v1/staff/appointments/{visit.pk}").json()

    assert body["patient_details"]["email"] == "pat@example.com"
    assert body["answers"][0]["flags"], "flagged answers first"
    assert body["consent"]["status"] == "active" and body["consent"]["signer_role"] == "patient"
    assert body["note"] is None and body["pain"]["points"] == []
    assert not ConsentAccessLog.objects.exists(), "the detail carries no consent text"


def test_reading_the_consent_text_is_logged(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    body = alex_client.get(f"/api/v1/staff/appointments/{visit.pk}/consent-text").json()

    assert body["matches"] is True and "Thin needles go into tight muscle" in body["text"]
    log = ConsentAccessLog.objects.get()
    assert (log.channel, log.user_id) == ("api", desk.alex.user_id)


def test_someone_elses_appointment_is_a_404_everywhere(desk: Desk, priya_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))
    base = f"/api/v1/staff/appointments/{visit.pk}"

    assert priya_client.get(base).status_code == 404
    assert priya_client.get(f"{base}/consent-text").status_code == 404
    for action in ["arrive", "complete", "no-show"]:
        assert post(priya_client, f"{base}/{action}").status_code == 404
    assert post(priya_client, f"{base}/cancel", {"reason": "x"}).status_code == 404
    response = put(priya_client, f"{base}/note", NOTE)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not SessionNote.objects.exists() and not ConsentAccessLog.objects.exists()


def test_arrive_note_and_complete(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))
    base = f"/api/v1/staff/appointments/{visit.pk}"

    assert post(alex_client, f"{base}/arrive").json()["arrived"] is True
    refused = post(alex_client, f"{base}/complete")
    assert refused.status_code == 409 and refused.json()["code"] == "consent_not_reconfirmed"
    note = put(alex_client, f"{base}/note", {**NOTE, "complete": True})

    assert note.status_code == 200
    assert note.json()["pain_after"] == 3 and note.json()["author"] == desk.alex.user.email
    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED


@pytest.mark.parametrize("pain", [11, -1, "lots", None])
def test_pain_outside_0_to_10_is_a_400(desk: Desk, alex_client: Client, patient: Patient, pain: object) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = put(alex_client, f"/api/v1/staff/appointments/{visit.pk}/note", {**NOTE, "pain_before": pain})

    assert response.status_code == 400
    assert "pain_before" in response.json()["fields"]
    assert not SessionNote.objects.exists()


def test_unknown_side_effects_are_a_400(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))

    response = put(alex_client, f"/api/v1/staff/appointments/{visit.pk}/note", {**NOTE, "adverse_events": ["x"]})

    assert response.status_code == 400 and "adverse_events" in response.json()["fields"]


def test_a_note_before_the_session_is_a_409(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("15:00"))

    response = put(alex_client, f"/api/v1/staff/appointments/{visit.pk}/note", NOTE)

    assert response.status_code == 409 and response.json()["code"] == "invalid_status"


def test_cancel_and_move_need_a_reason(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_plain(desk, patient, desk.at("15:00"))
    base = f"/api/v1/staff/appointments/{visit.pk}"

    assert post(alex_client, f"{base}/cancel", {}).json()["fields"] == {"reason": ["This field is required."]}
    moved = post(alex_client, f"{base}/move", {"start": "2026-06-02T10:00:00+00:00", "reason": "Closed"})
    assert moved.status_code == 200 and moved.json()["start"] == "2026-06-02T11:00:00+01:00"
    assert moved.json()["version"] == 2
    off_grid = post(alex_client, f"{base}/move", {"start": "2026-06-02T03:00:00+00:00", "reason": "x"})
    assert off_grid.status_code == 400 and off_grid.json()["code"] == "invalid_start"
    cancelled = post(alex_client, f"{base}/cancel", {"reason": "Unwell"})
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("cancel", {"reason": 0}, "reason"),
        ("move", {"start": "2026-06-02T10:00:00+00:00", "reason": 7}, "reason"),
        ("note", {**NOTE, "pain_before": "5"}, "pain_before"),
        ("note", {**NOTE, "pain_after": 3.5}, "pain_after"),
        ("note", {**NOTE, "regions": [5]}, "regions.0"),
        ("note", {**NOTE, "exercises": 10}, "exercises"),
        ("note", {**NOTE, "consent_reconfirmed": 1}, "consent_reconfirmed"),
        ("note", {**NOTE, "complete": "true"}, "complete"),
    ],
)
def test_bodies_take_json_types_only(
    desk: Desk, alex_client: Client, patient: Patient, action: str, body: dict[str, Any], field: str
) -> None:
    visit = book_needling(desk, patient, desk.at("09:00"))
    url = f"/api/v1/staff/appointments/{visit.pk}/{action}"

    response = put(alex_client, url, body) if action == "note" else post(alex_client, url, body)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and field in response.json()["fields"]
    visit.refresh_from_db()
    assert (visit.status, visit.version) == (Status.CONFIRMED, 1) and not SessionNote.objects.exists()


def test_the_review_queue_and_the_decision(desk: Desk, alex_client: Client, patient: Patient) -> None:
    visit = book_needling(desk, patient, desk.at("10:00", MONDAY + timedelta(days=1)), answers=REVIEW)

    queue = alex_client.get("/api/v1/staff/reviews").json()
    decided = post(alex_client, f"/api/v1/staff/appointments/{visit.pk}/review", {"decision": "approve", "note": "OK"})

    assert [a["id"] for a in queue] == [visit.pk]
    assert decided.status_code == 200
    assert alex_client.get("/api/v1/staff/reviews").json() == []


def test_an_unverified_session_is_refused(desk: Desk, client: Client) -> None:
    client.force_login(desk.alex.user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/api/v1/staff/appointments", DAY)

    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_token_never_reaches_the_staff_api(desk: Desk, patient: Patient) -> None:
    for user in [patient.user, desk.alex.user]:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        assert api.get("/api/v1/staff/reviews").status_code == 403


def test_anonymous_callers_get_a_401(desk: Desk) -> None:
    assert APIClient().get("/api/v1/staff/reviews").status_code == 401
