"""Bodies built to break the parser get a clear 400 or 413 in the error shape, never a 500.

Nesting deep enough to exhaust Python's recursion is a 400 (`too_deep`); a body larger
than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 (`too_large`), in JSON, where Django alone
would answer with an HTML 400 page. Both with DEBUG on and off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import Patient
from core.parsers import MAX_DEPTH, too_deep
from tests.accounts.sign_in import api_as
from tests.core.api_errors import assert_error_shape

pytestmark = pytest.mark.django_db
START = "/api/v1/auth/patient/start"


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def three_megabytes() -> str:
    return '{"email": "' + "a" * 3_000_000 + '@example.com"}'


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request: pytest.FixtureRequest, settings: Any) -> Iterator[bool]:
    settings.DEBUG = request.param
    yield request.param


def send(client: APIClient, path: str, body: str) -> Any:
    client.raise_request_exception = False  # a 500 must show as a 500, not as the exception
    return client.generic("POST", path, body, content_type="application/json")


def assert_refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert_error_shape(response.json())
    assert response.json()["code"] == code


def test_a_thousand_nested_arrays_sent_anonymously_are_a_400(debug: bool) -> None:
    assert_refused(send(APIClient(), START, nested(1000)), 400, "too_deep")


def test_fifty_thousand_nested_arrays_are_a_400(debug: bool, patient: Patient) -> None:
    assert_refused(send(api_as(patient), "/api/v1/screenings", nested(50_000)), 400, "too_deep")


def test_nesting_a_little_too_deep_to_be_an_api_body_is_a_400(patient: Patient) -> None:
    body = '{"questionnaire_version": 1, "answers": ' + nested(MAX_DEPTH) + "}"

    assert_refused(send(api_as(patient), "/api/v1/screenings", body), 400, "too_deep")


def test_a_three_megabyte_body_is_a_413_in_json(debug: bool) -> None:
    response = send(APIClient(), START, three_megabytes())

    assert_refused(response, 413, "too_large")
    assert "2.5 MB" in response.json()["detail"]


def test_malformed_json_stays_a_400_parse_error(debug: bool) -> None:
    assert_refused(send(APIClient(), START, '{"email": '), 400, "parse_error")


def test_the_depth_check_walks_without_recursing() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]

    assert too_deep(deep)
    assert not too_deep({"answers": {"a": ["x"]}, "acknowledgements": ["read"]})
    assert too_deep({"a": [{"b": [1]}]}, limit=3) and not too_deep({"a": [{"b": 1}]}, limit=3)


def test_every_operation_with_a_body_documents_413(tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out))
    schema = yaml.safe_load(out.read_text())

    with_body = [(m, p, o) for p, ms in schema["paths"].items() for m, o in ms.items() if "requestBody" in o]
    assert len(with_body) > 10
    for method, path, operation in with_body:
        too_large = operation["responses"].get("413")
        assert too_large, f"{method.upper()} {path}"
        assert too_large["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
