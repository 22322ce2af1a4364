"""The patient's waitlist over REST: join, list, read, change, leave; only their own entries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from accounts.models import Patient
from tests.accounts.sign_in import api_as
from tests.waitlist.factories import insert_entry
from tests.workspace.factories import MONDAY, Desk
from waitlist.models import Entry

pytestmark = pytest.mark.usefixtures("frozen")


def body(desk: Desk, **changes: Any) -> dict[str, Any]:
    return {
        "appointment_type": desk.plain.pk,
        "practitioner": None,
        "first_day": MONDAY.isoformat(),
        "last_day": (MONDAY + timedelta(days=13)).isoformat(),
        "weekdays": [0, 2],
        "parts_of_day": ["morning"],
        "notice_minutes": 120,
        "reach_by": "email",
        **changes,
    }


def test_a_patient_joins_and_sees_the_entry(desk: Desk, patient: Patient) -> None:
    api = api_as(patient)

    created = api.post("/api/v1/waitlist", body(desk, practitioner=desk.alex.pk), format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["practitioner_name"] == "Alex Morgan"
    assert created.json()["status"] == "waiting"
    listed = api.get("/api/v1/waitlist").json()
    assert [e["id"] for e in listed] == [created.json()["id"]]
    assert api.get(f"/api/v1/waitlist/{created.json()['id']}").json()["weekdays"] == [0, 2]


def test_bad_fields_are_400_field_errors(desk: Desk, patient: Patient) -> None:
    answer = api_as(patient).post(
        "/api/v1/waitlist",
        body(desk, first_day=(MONDAY - timedelta(days=2)).isoformat(), weekdays=[3, 3], reach_by="sms"),
        format="json",
    )

    assert answer.status_code == 400
    assert set(answer.json()["fields"]) == {"first_day", "weekdays", "reach_by"}


def test_an_unknown_treatment_is_a_field_error(desk: Desk, patient: Patient) -> None:
    answer = api_as(patient).post("/api/v1/waitlist", body(desk, appointment_type=999999), format="json")

    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["appointment_type"]


def test_the_same_wish_twice_is_409_and_the_sixth_entry_too(desk: Desk, patient: Patient) -> None:
    api = api_as(patient)
    assert api.post("/api/v1/waitlist", body(desk), format="json").status_code == 201

    again = api.post("/api/v1/waitlist", body(desk), format="json")
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_entry")

    for notice in (60, 240, 480, 960):
        assert api.post("/api/v1/waitlist", body(desk, notice_minutes=notice), format="json").status_code == 201
    sixth = api.post("/api/v1/waitlist", body(desk, notice_minutes=30), format="json")
    assert (sixth.status_code, sixth.json()["code"]) == (409, "too_many_entries")


def test_a_patch_changes_only_the_fields_it_names(desk: Desk, patient: Patient) -> None:
    entry = insert_entry(patient, desk.plain, weekdays=[1])
    api = api_as(patient)

    answer = api.patch(
        f"/api/v1/waitlist/{entry.pk}", {"notice_minutes": 240, "practitioner": desk.priya.pk}, format="json"
    )

    assert answer.status_code == 200, answer.json()
    assert (answer.json()["notice_minutes"], answer.json()["practitioner"], answer.json()["weekdays"]) == (
        240,
        desk.priya.pk,
        [1],
    )
    refused = api.patch(f"/api/v1/waitlist/{entry.pk}", {"reach_by": "sms"}, format="json")
    assert (refused.status_code, list(refused.json()["fields"])) == (400, ["reach_by"])


def test_leaving_is_a_204_and_the_entry_stays_listed_as_left(desk: Desk, patient: Patient) -> None:
    entry = insert_entry(patient, desk.plain)
    api = api_as(patient)

    assert api.delete(f"/api/v1/waitlist/{entry.pk}").status_code == 204

    assert api.get(f"/api/v1/waitlist/{entry.pk}").json()["status"] == "left"
    assert api.delete(f"/api/v1/waitlist/{entry.pk}").status_code == 409


def test_another_patients_entry_is_a_404(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    theirs = insert_entry(other_patient, desk.plain)
    api = api_as(patient)

    assert api.get(f"/api/v1/waitlist/{theirs.pk}").status_code == 404
    assert api.patch(f"/api/v1/waitlist/{theirs.pk}", {"notice_minutes": 60}, format="json").status_code == 404
    assert api.delete(f"/api/v1/waitlist/{theirs.pk}").status_code == 404
    assert api.get("/api/v1/waitlist").json() == []
    theirs.refresh_from_db()
    assert (theirs.status, theirs.notice_minutes) == (Entry.Status.WAITING, 120)


def test_a_caller_who_is_not_signed_in_is_refused(stranger: Any) -> None:
    assert stranger.get("/api/v1/waitlist").status_code in (401, 403)
