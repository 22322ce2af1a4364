"""Random and malformed ids and search parameters at every read and search route, as a key and as
a patient: never a 5xx, and every 4xx is an OperationOutcome. (The REST API is fuzzed from its
OpenAPI schema by tests/integration/test_api_fuzz.py; the FHIR endpoint has no such schema, so
hypothesis makes the requests here.)"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from interop.models import Scope
from tests.accounts.sign_in import api_as
from tests.interop.factories import FHIR, Site, key_client, make_key

pytestmark = pytest.mark.django_db
KINDS = ["Location", "Practitioner", "HealthcareService", "Schedule", "Slot", "Appointment"]
NAMES = ["_id", "name", "actor", "schedule", "start", "status", "service-type", "location", "patient", "date",
         "practitioner", "active", "_count", "page", "_format", "_sort", "x"]  # fmt: skip
text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
value = st.one_of(
    text,
    st.from_regex(r"(ge|gt|lt|le|eq)?\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?", fullmatch=True),
    st.from_regex(r"(Practitioner|Location|Schedule|Patient)/\d{1,14}(-\d{1,14}){0,2}", fullmatch=True),
    st.integers(-5, 10**15).map(str),
)
queries = st.lists(st.tuples(st.sampled_from(NAMES), value), max_size=4)
pks = st.one_of(text.filter(lambda s: "/" not in s and "?" not in s and "#" not in s), st.integers(0, 10**15).map(str))


def check(client: APIClient, path: str, query: list[tuple[str, str]]) -> None:
    response = client.get(f"{FHIR}{path}", {name: [v for n, v in query if n == name] for name, _ in query})
    assert response.status_code < 500, (path, query, response.content)
    if response.status_code >= 400:
        assert response.json()["resourceType"] == "OperationOutcome", (path, query)


@pytest.mark.parametrize("as_key", [True, False], ids=["key", "patient"])
def test_no_search_or_read_answers_5xx(site: Site, patient: object, as_key: bool) -> None:
    client = key_client(make_key(site.clinic, Scope.SLOTS_READ, Scope.BOOK)[1]) if as_key else api_as(patient)  # type: ignore[arg-type]

    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(kind=st.sampled_from(KINDS), pk=pks, query=queries)
    def run(kind: str, pk: str, query: list[tuple[str, str]]) -> None:
        check(client, kind, query)
        if pk.strip():
            check(client, f"{kind}/{pk}", [])

    run()
