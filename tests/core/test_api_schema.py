"""The OpenAPI schema: valid, served, and documenting every status code the API answers with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Patient
from tests.core.api_errors import assert_error_shape

# The file downloads answer any Accept with the file (errors in JSON), so they never say 406.
FILES = {
    ("get", "/api/v1/appointments/{id}/ics"),
    ("get", "/api/v1/consents/{id}/pdf"),
    ("get", "/api/v1/care-plans/{id}/discharge.pdf"),
    ("get", "/api/v1/staff/care-plans/{id}/discharge.pdf"),
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(out))
    return dict(yaml.safe_load(out.read_text()))


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def is_error_with_retry_after(response: dict[str, Any]) -> bool:
    error = response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    return error and response["headers"]["Retry-After"]["schema"]["type"] == "integer"


def test_the_openapi_schema_generates_and_validates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"

    # --fail-on-warn turns any drf-spectacular warning into a failure; --validate
    # checks the result against the OpenAPI 3 specification.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/patient/start" in schema["paths"]
    assert "/api/v1/me" in schema["paths"]


def test_every_documented_operation_lists_its_error_responses(schema: dict[str, Any]) -> None:
    for method, path, operation in operations(schema):
        codes = set(operation["responses"])
        assert codes & {"400", "401", "403"}, f"{method.upper()} {path} documents no error response"


def test_every_operation_documents_503_with_retry_after(schema: dict[str, Any]) -> None:
    for method, path, operation in operations(schema):
        unavailable = operation["responses"].get("503")
        assert unavailable and is_error_with_retry_after(unavailable), f"{method.upper()} {path}"
        assert "service_unavailable" in unavailable["description"]


def test_every_operation_but_the_file_downloads_documents_406(schema: dict[str, Any]) -> None:
    for method, path, operation in operations(schema):
        documented = "406" in operation["responses"]
        assert documented == ((method, path) not in FILES), f"{method.upper()} {path}"


def test_every_operation_with_a_body_documents_415(schema: dict[str, Any]) -> None:
    with_body = [(m, p, o) for m, p, o in operations(schema) if "requestBody" in o]

    assert len(with_body) > 10
    for method, path, operation in with_body:
        assert "415" in operation["responses"], f"{method.upper()} {path}"


def test_throttled_operations_document_429_with_retry_after(schema: dict[str, Any]) -> None:
    throttled = {(m, p) for m, p, o in operations(schema) if "429" in o["responses"]}

    assert {
        ("get", "/api/v1/slots"),
        ("post", "/api/v1/appointments"),
        ("post", "/api/v1/auth/patient/start"),
        ("post", "/api/v1/auth/patient/verify"),
    } <= throttled
    assert ("get", "/api/v1/appointments") not in throttled, "reading appointments is not throttled"
    for method, path in throttled:
        assert is_error_with_retry_after(schema["paths"][path][method]["responses"]["429"]), f"{method} {path}"


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_415_in_the_shape(stranger: APIClient, patient_api: APIClient) -> None:
    sign_in = stranger.post("/api/v1/auth/patient/start", "email=pat@example.com", content_type="text/plain")
    profile = patient_api.patch("/api/v1/me", {"legal_name": "Pat"}, format="multipart")

    for response in (sign_in, profile):
        assert response.status_code == 415, response.content
        assert_error_shape(response.json())
        assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_an_accept_naming_nothing_the_api_sends_is_a_406_in_the_shape(
    stranger: APIClient, patient_api: APIClient, patient: Patient
) -> None:
    catalogue = stranger.get("/api/v1/clinics", HTTP_ACCEPT="text/html")
    profile = patient_api.get("/api/v1/me", HTTP_ACCEPT="application/xml")
    staff = stranger.get("/api/v1/staff/reviews", HTTP_ACCEPT="text/csv")

    for response in (catalogue, profile, staff):
        assert response.status_code == 406, response.content
        assert response["Content-Type"] == "application/json"
        assert_error_shape(response.json())
        assert response.json()["code"] == "not_acceptable"
    assert patient_api.get("/api/v1/me", HTTP_ACCEPT="application/json, text/html;q=0.9").status_code == 200


@pytest.mark.django_db
def test_the_schema_and_interactive_docs_are_served_without_other_hosts(client: Client) -> None:
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html and "unpkg" not in html, "docs load their scripts from this server"
