"""Random and malformed Parameters at $find, $hold and $book, and Appointments at PUT, as a key and
as a patient: never a 5xx, and every 4xx is an OperationOutcome (test_fhir_fuzz.py does the same
for the reads and searches)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from booking.models import Appointment
from interop.models import Scope
from tests.accounts.sign_in import api_as
from tests.interop.factories import FHIR, FHIR_JSON, Site, key_client, make_key

pytestmark = pytest.mark.django_db
NAMES = ["start", "end", "practitioner", "visit-type", "service-type", "location-reference", "location", "_count",
         "appointment-reference", "appointment-resource", "patient-resource", "health-unchanged", "x"]  # fmt: skip
text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
moment = st.from_regex(r"-?\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?", fullmatch=True)
ref = st.from_regex(
    r"(Appointment|Practitioner|Location|HealthcareService)/(p?\d{1,20}(-[0-9a-f]{1,20}){0,3})", fullmatch=True
)
a_patient = st.fixed_dictionaries(
    {"resourceType": st.just("Patient")},
    optional={
        "birthDate": st.one_of(moment, text),
        "telecom": st.lists(st.fixed_dictionaries({"system": st.sampled_from(["email", "phone"]), "value": text})),
    },
)
appointment = st.fixed_dictionaries(
    {"resourceType": st.just("Appointment"), "status": st.sampled_from(["proposed", "pending", "booked", "cancelled"])},
    optional={
        "id": st.one_of(st.integers(0, 10**15).map(str), ref.map(lambda r: r.split("/")[1])),
        "start": moment,
        "participant": st.lists(
            st.fixed_dictionaries({"status": st.just("accepted"), "actor": st.fixed_dictionaries({"reference": ref})}),
            max_size=2,
        ),
        "contained": st.lists(a_patient.map(lambda p: {**p, "id": "pt"}), max_size=1),
    },
)  # fmt: skip
value = st.one_of(
    st.fixed_dictionaries({"valueString": text}),
    st.fixed_dictionaries({"valueDateTime": moment}),
    st.fixed_dictionaries({"valueReference": st.fixed_dictionaries({"reference": st.one_of(ref, text)})}),
    st.fixed_dictionaries({"valueInteger": st.integers(-(2**31), 2**31 - 1)}),
    st.fixed_dictionaries({"valueBoolean": st.booleans()}),
    st.fixed_dictionaries({"resource": st.one_of(a_patient, appointment)}),
    st.fixed_dictionaries({"valueDateTime": text}),
)
bodies = st.one_of(
    st.lists(st.tuples(st.sampled_from(NAMES), value), max_size=4).map(
        lambda pairs: {"resourceType": "Parameters", "parameter": [{"name": n, **v} for n, v in pairs]}
    ),
    st.one_of(appointment, a_patient, st.lists(text), text, st.integers()),
)


def check(client: APIClient, method: str, path: str, body: Any) -> None:
    response = getattr(client, method)(f"{FHIR}{path}", json.dumps(body), content_type=FHIR_JSON)
    assert response.status_code < 500, (path, body, response.content)
    if response.status_code >= 400:
        assert response.json()["resourceType"] == "OperationOutcome", (path, body)


@pytest.mark.parametrize("as_key", [True, False], ids=["key", "patient"])
def test_no_operation_answers_5xx(site: Site, patient: object, as_key: bool) -> None:
    client = key_client(make_key(site.clinic, Scope.SLOTS_READ, Scope.BOOK)[1]) if as_key else api_as(patient)  # type: ignore[arg-type]

    found = client.get(f"{FHIR}Appointment/$find", {"start": "2030-03-04", "end": "2030-03-06"}).json()
    real = [entry["resource"]["id"] for entry in found["entry"][:5]]  # genuine proposals, to reach the holds

    @settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(
        operation=st.sampled_from(["$find", "$hold", "$book"]),
        body=bodies,
        put=appointment,
        proposal=st.sampled_from(real),
        who=st.lists(st.fixed_dictionaries({"name": st.just("patient-resource"), "resource": a_patient}), max_size=1),
    )
    def run(operation: str, body: Any, put: dict[str, Any], proposal: str, who: list[Any]) -> None:
        check(client, "post", f"Appointment/{operation}", body)
        check(client, "put", f"Appointment/{put.get('id', '1')}", put)
        named = [{"name": "appointment-reference", "valueReference": {"reference": f"Appointment/{proposal}"}}]
        check(client, "post", f"Appointment/{operation}", {"resourceType": "Parameters", "parameter": named + who})

    run()
    if not as_key:
        assert Appointment.objects.exists()  # the genuine proposals were reached, not only refusals
