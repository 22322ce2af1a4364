"""Every API error has one shape: {"code", "detail", "fields"}."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Patient
from tests.core.api_errors import assert_error_shape

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert_error_shape(response.json())
    assert response.json()["code"] == "not_found"


def test_a_web_404_stays_html(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<html" in response.content


def test_a_wrong_method_is_a_405_in_the_shape(patient_api: APIClient, patient: Patient) -> None:
    response = patient_api.delete("/api/v1/me")

    assert response.status_code == 405
    assert_error_shape(response.json())


def test_malformed_json_is_a_400_in_the_shape(stranger: APIClient) -> None:
    response = stranger.post("/api/v1/auth/patient/start", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert_error_shape(response.json())


def test_a_bad_token_is_a_401_in_the_shape(stranger: APIClient) -> None:
    stranger.credentials(HTTP_AUTHORIZATION="Token nonsense")

    response = stranger.get("/api/v1/me")

    assert response.status_code == 401
    assert_error_shape(response.json())


def test_a_throttled_request_is_a_429_in_the_shape(stranger: APIClient) -> None:
    for i in range(10):
        stranger.post("/api/v1/auth/patient/start", {"email": f"x{i}@example.com"}, format="json")

    response = stranger.post("/api/v1/auth/patient/start", {"email": "y@example.com"}, format="json")

    assert response.status_code == 429
    assert_error_shape(response.json())
    assert "Retry-After" in response.headers


def test_a_validation_error_names_its_fields(stranger: APIClient) -> None:
    response = stranger.post("/api/v1/auth/patient/verify", {"email": "bad", "code": "x"}, format="json")

    assert response.status_code == 400
    assert_error_shape(response.json())
    assert set(response.json()["fields"]) == {"email", "code"}
