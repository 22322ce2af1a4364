"""The public catalogue: clinics, treatments and practitioners, active ones only."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(name="Harbour Physiotherapy", address="12 Quay Street", email="hello@harbour.example")


@pytest.fixture
def kind(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, name="Dry needling", minutes=30, needling=True)


@pytest.fixture
def alex(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Alex Morgan")


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()]


def test_anyone_lists_the_clinics(stranger: APIClient, clinic: Clinic) -> None:
    response = stranger.get("/api/v1/clinics")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": clinic.pk,
            "name": "Harbour Physiotherapy",
            "slug": clinic.slug,
            "time_zone": "Europe/London",
            "address": "12 Quay Street",
            "phone": "+44 117 496 0123",
            "email": "hello@harbour.example",
            "min_notice_minutes": 120,
            "max_advance_days": 60,
            "hold_minutes": 10,
            "cancellation_window_hours": 24,
        }
    ]


def test_it_lists_active_treatments_only(stranger: APIClient, clinic: Clinic, kind: AppointmentType) -> None:
    make_type(clinic, active=False)

    response = stranger.get("/api/v1/appointment-types")

    assert response.json() == [
        {
            "id": kind.pk,
            "clinic": clinic.pk,
            "name": "Dry needling",
            "description": "",
            "duration_minutes": 30,
            "involves_needling": True,
        }
    ]


def test_treatments_can_be_filtered_by_clinic(stranger: APIClient, clinic: Clinic, kind: AppointmentType) -> None:
    elsewhere = make_type(make_clinic())

    assert ids(stranger.get("/api/v1/appointment-types", {"clinic": clinic.pk})) == [kind.pk]
    assert ids(stranger.get("/api/v1/appointment-types", {"clinic": elsewhere.clinic_id})) == [elsewhere.pk]


def test_practitioners_show_a_public_profile_only(
    stranger: APIClient, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    make_type(clinic, active=False)  # not offered by alex, and not listed either
    alex.appointment_types.add(make_type(clinic, active=False))
    alex.bio = "Runners' knees."
    alex.save()

    response = stranger.get("/api/v1/practitioners")

    assert response.json() == [
        {
            "id": alex.pk,
            "display_name": "Alex Morgan",
            "bio": "Runners' knees.",
            "clinics": [clinic.pk],
            "appointment_types": [kind.pk],
        }
    ]
    text = response.content.decode()
    credential = alex.credentials.get()
    assert credential.number not in text
    assert alex.user.email not in text


def test_inactive_practitioners_are_not_listed(stranger: APIClient, alex: Practitioner) -> None:
    alex.active = False
    alex.save()

    assert ids(stranger.get("/api/v1/practitioners")) == []


def test_practitioners_can_be_filtered_by_clinic_and_treatment(
    stranger: APIClient, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    other_kind = make_type(clinic)
    sam = make_practitioner(clinic, types=[other_kind])
    elsewhere = make_clinic()
    kim = make_practitioner(elsewhere, types=[make_type(elsewhere)])

    assert ids(stranger.get("/api/v1/practitioners", {"appointment_type": kind.pk})) == [alex.pk]
    assert ids(stranger.get("/api/v1/practitioners", {"appointment_type": other_kind.pk})) == [sam.pk]
    assert set(ids(stranger.get("/api/v1/practitioners", {"clinic": clinic.pk}))) == {alex.pk, sam.pk}
    assert ids(stranger.get("/api/v1/practitioners", {"clinic": elsewhere.pk})) == [kim.pk]
    assert ids(stranger.get("/api/v1/practitioners", {"clinic": elsewhere.pk, "appointment_type": kind.pk})) == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/appointment-types", {"clinic": 999999}, "clinic"),
        ("/api/v1/appointment-types", {"clinic": "harbour"}, "clinic"),
        ("/api/v1/appointment-types", {"clinic": "99999999999999999999"}, "clinic"),
        ("/api/v1/practitioners", {"clinic": 999999}, "clinic"),
        ("/api/v1/practitioners", {"appointment_type": 999999}, "appointment_type"),
        ("/api/v1/practitioners", {"appointment_type": "-1"}, "appointment_type"),
    ],
)
def test_an_unknown_id_in_a_filter_is_a_field_error(
    stranger: APIClient, clinic: Clinic, path: str, params: dict[str, Any], field: str
) -> None:
    response = stranger.get(path, params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_an_inactive_treatment_in_a_filter_is_a_field_error(stranger: APIClient, clinic: Clinic) -> None:
    retired = make_type(clinic, active=False)

    response = stranger.get("/api/v1/practitioners", {"appointment_type": retired.pk})

    assert response.status_code == 400
    assert "appointment_type" in response.json()["fields"]


def test_the_catalogue_needs_no_sign_in_but_refuses_a_bad_token(stranger: APIClient, clinic: Clinic) -> None:
    stranger.credentials(HTTP_AUTHORIZATION="Token nonsense")

    response = stranger.get("/api/v1/clinics")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_catalogue_is_read_only(stranger: APIClient) -> None:
    assert stranger.post("/api/v1/clinics", {}, format="json").status_code == 405
