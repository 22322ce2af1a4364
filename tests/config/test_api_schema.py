from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client


def test_the_openapi_schema_generates_and_validates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"

    # --fail-on-warn turns any drf-spectacular warning into a failure; --validate
    # checks the result against the OpenAPI 3 specification.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/patient/start" in schema["paths"]
    assert "/api/v1/me" in schema["paths"]


def test_every_documented_operation_lists_its_error_responses(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out))
    schema = yaml.safe_load(out.read_text())

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes & {"400", "401", "403"}, f"{method.upper()} {path} documents no error response"


@pytest.mark.django_db
def test_the_schema_and_interactive_docs_are_served_without_other_hosts(client: Client) -> None:
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html and "unpkg" not in html, "docs load their scripts from this server"
