"""Every refusal is an OperationOutcome with FHIR's code and the right HTTP status, and every
call that named a caller leaves a ClientCall row (never the query string, which may name a patient)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from interop.keys import revoke_key
from interop.models import ClientCall, Scope
from tests.interop.factories import Site, fhir_get, key_client, make_key

pytestmark = pytest.mark.django_db


def outcome_of(response: object, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == code
    return body


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("Slot", {"colour": "blue"}, "colour"),
        ("Slot", {"_sort": "start"}, "_sort"),
        ("Slot", {"start": "tomorrow"}, "start"),
        ("Slot", {"start": "ge2030-02-30"}, "start"),
        ("Slot", {"status": "open"}, "status"),
        ("Slot", {"_count": "-1"}, "_count"),
        ("Slot", {"page": "0"}, "page"),
        ("Schedule", {"actor": "Patient/1"}, "actor"),
        ("Schedule", {"active": "yes"}, "active"),
        ("Practitioner", {"name": ["a", "b"]}, "name"),
        ("Location", {"_format": "xml"}, "_format"),
        ("Appointment", {"date": "next week"}, "date"),
    ],
)
def test_a_search_parameter_acus_cannot_run_is_a_400_naming_it(
    site: Site, path: str, params: dict[str, object], named: str
) -> None:
    client = key_client(make_key(site.clinic, Scope.SLOTS_READ, Scope.BOOK)[1])
    body = outcome_of(fhir_get(client, path, **params), 400, "invalid")
    assert body["issue"][0]["expression"] == [named]  # type: ignore[index]


@pytest.mark.parametrize(
    "credentials",
    [lambda site: "", lambda site: "Bearer acus_nope_nope", lambda site: revoked(site)],
    ids=["no key", "unknown key", "revoked key"],
)
def test_without_a_working_key_it_is_401_with_a_challenge(site: Site, credentials: Callable[[Site], str]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=credentials(site))
    response = fhir_get(client, f"Location/{site.clinic.pk}")
    outcome_of(response, 401, "login")
    assert response["WWW-Authenticate"] == 'Bearer realm="fhir"'


def revoked(site: Site) -> str:
    row, presented = make_key(site.clinic)
    revoke_key(key=row, actor=None)
    return f"Bearer {presented}"


def test_a_key_without_the_scope_is_403(site: Site, reader: APIClient) -> None:
    outcome_of(fhir_get(reader, "Appointment"), 403, "forbidden")
    slots_only = key_client(make_key(site.clinic, Scope.BOOK)[1])
    outcome_of(fhir_get(slots_only, "Slot"), 403, "forbidden")


def test_too_many_calls_are_429(site: Site, reader: APIClient, throttle_rates: Callable[..., None]) -> None:
    throttle_rates(fhir="2/minute")
    for _ in range(2):
        assert fhir_get(reader, "Location").status_code == 200
    outcome_of(fhir_get(reader, "Location"), 429, "throttled")


def test_each_call_is_audited_without_its_query(site: Site) -> None:
    row, presented = make_key(site.clinic)
    client = key_client(presented)
    fhir_get(client, f"Practitioner/{site.ann.pk}")
    fhir_get(client, "Practitioner", name="secret-name")
    fhir_get(client, "Practitioner", colour="x")
    calls = list(ClientCall.objects.filter(client_key=row).order_by("id"))
    assert [(c.method, c.interaction, c.resource_id, c.status) for c in calls] == [
        ("GET", "Practitioner read", str(site.ann.pk), 200),
        ("GET", "Practitioner search", "", 200),
        ("GET", "Practitioner search", "", 400),
    ]
    assert all("secret" not in f"{c.interaction}{c.resource_id}" for c in calls)
    assert all(c.at for c in calls)
