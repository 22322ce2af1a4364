"""The treatment id a slot list, a practitioner list or a hold is asked for is read by
ActiveTreatmentField (and its JSON-strict twin) from one precompiled query
(booking.selectors.active_treatment) instead of DRF's PrimaryKeyRelatedField over
active_types(). A caller sees no difference: for every input the same treatment or the same
error, code and words alike; the treatment comes with its clinic already loaded. A named
practitioner is checked the same way (selectors.practitioner_offering)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.test import APIClient

from booking import selectors
from booking.api.serializers import ActiveTreatmentField, StrictActiveTreatmentField, active_types
from booking.models import AppointmentType, Clinic, Practitioner
from core.rest import StrictPrimaryKeyRelatedField
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db

INACTIVE, ELSEWHERE, OWN, OWN_SPACED = "inactive", "elsewhere", "own", "own spaced"
INPUTS: list[Any] = [
    "abc",
    "1.5",
    "",
    " ",
    None,
    True,
    False,
    [],
    {},
    [1],
    1.5,
    float("nan"),
    float("inf"),
    "99999999999999999999",
    99999999999999999999,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    -1,
    0,
    "-0",
    "٣",
    INACTIVE,
    ELSEWHERE,
    OWN,
    OWN_SPACED,
]


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic(name="Harbour")


@pytest.fixture
def treatments(clinic: Clinic) -> dict[str, Any]:
    """The inputs that name rows: an inactive treatment, another clinic's, this clinic's (as a
    number, and as text with spaces around it)."""
    own = make_type(clinic, name="Dry needling", translations={"es": {"name": "Punción seca"}})
    return {
        INACTIVE: make_type(clinic, active=False).pk,
        ELSEWHERE: make_type(make_clinic(name="Hill")).pk,
        OWN: own.pk,
        OWN_SPACED: f" {own.pk} ",
    }


def fields_of(instance: Any) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def outcome(field: serializers.Field[Any, Any, Any, Any], data: Any) -> tuple[Any, ...]:
    """What a caller sees: the treatment and its clinic, the errors with their codes, or what raised."""
    try:
        found = field.run_validation(data)
    except serializers.ValidationError as refused:
        return ("refused", [(str(detail), detail.code) for detail in refused.detail])  # type: ignore[union-attr]
    except Exception as failed:  # whatever the old field raised, the new one must raise too
        return ("raised", type(failed))
    return ("found", fields_of(found), fields_of(found.clinic))


def value_of(data: Any, treatments: dict[str, Any]) -> Any:
    return treatments.get(data, data) if isinstance(data, str) else data


@pytest.mark.parametrize("data", INPUTS, ids=[repr(value) for value in INPUTS])
def test_the_field_answers_as_primary_key_related_field_did(data: Any, treatments: dict[str, Any]) -> None:
    data = value_of(data, treatments)
    before = serializers.PrimaryKeyRelatedField(queryset=active_types())

    assert outcome(ActiveTreatmentField(), data) == outcome(before, data)


@pytest.mark.parametrize("data", [*INPUTS, 1.0, "7"], ids=[repr(value) for value in [*INPUTS, 1.0, "7"]])
def test_the_strict_field_answers_as_the_strict_primary_key_field_did(data: Any, treatments: dict[str, Any]) -> None:
    data = value_of(data, treatments)
    if data == 1.0:
        data = float(treatments[OWN])  # JSON counts 5.0 as an integer
    before = StrictPrimaryKeyRelatedField(queryset=active_types())

    assert outcome(StrictActiveTreatmentField(), data) == outcome(before, data)


def test_the_words_of_the_refusals_are_drfs(treatments: dict[str, Any]) -> None:
    field = ActiveTreatmentField()

    assert outcome(field, "abc") == (
        "refused",
        [("Incorrect type. Expected pk value, received str.", "incorrect_type")],
    )
    assert outcome(field, treatments[INACTIVE]) == (
        "refused",
        [(f'Invalid pk "{treatments[INACTIVE]}" - object does not exist.', "does_not_exist")],
    )
    assert outcome(field, "") == ("refused", [("This field may not be null.", "null")])


def test_the_treatment_comes_in_one_query_with_its_clinic(clinic: Clinic, treatments: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as seen:
        found = ActiveTreatmentField().run_validation(treatments[OWN_SPACED])
        assert isinstance(found, AppointmentType)
        assert found.clinic.name == "Harbour"
        assert found.clinic.zone.key == "Europe/London"
        assert found.translations == {"es": {"name": "Punción seca"}}

    assert len(seen) == 1
    assert found.pk == treatments[OWN] and found.clinic.pk == clinic.pk


def test_a_named_practitioner_is_found_as_the_orm_found_them(clinic: Clinic, treatments: dict[str, Any]) -> None:
    own = AppointmentType.objects.get(pk=treatments[OWN])
    other_kind = make_type(clinic)
    offering = make_practitioner(clinic, types=[own])
    not_offering = make_practitioner(clinic, types=[other_kind])
    elsewhere = make_practitioner(make_clinic(), types=[own])  # offers it, but not at its clinic
    resting = make_practitioner(clinic, types=[own])
    Practitioner.objects.filter(pk=resting.pk).update(active=False)

    for pk in [offering.pk, not_offering.pk, elsewhere.pk, resting.pk, 999_999]:
        found = selectors.practitioner_offering(own, pk)
        expected = selectors.practitioners_offering(own).filter(pk=pk).first()
        assert (found and fields_of(found)) == (expected and fields_of(expected)), pk
    assert selectors.practitioner_offering(own, offering.pk) is not None


# --- Through the API --------------------------------------------------------------------

DAY = {"start": "2030-03-05T00:00:00+00:00", "end": "2030-03-06T00:00:00+00:00"}


def slots(**query: Any) -> Any:
    return APIClient().get("/api/v1/slots", {**DAY, **query})


def test_a_treatment_that_is_no_number_is_a_field_error_on_the_slot_list() -> None:
    response = slots(appointment_type="abc")

    assert response.status_code == 400
    assert response.json()["fields"] == {"appointment_type": ["Incorrect type. Expected pk value, received str."]}


def test_an_inactive_treatment_is_a_field_error_on_the_slot_list(treatments: dict[str, Any]) -> None:
    response = slots(appointment_type=treatments[INACTIVE])

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "appointment_type": [f'Invalid pk "{treatments[INACTIVE]}" - object does not exist.']
    }


def test_someone_not_offering_the_treatment_is_a_field_error_on_the_slot_list(
    clinic: Clinic, treatments: dict[str, Any]
) -> None:
    own = AppointmentType.objects.get(pk=treatments[OWN])
    make_practitioner(clinic, types=[own])
    stranger_to_it = make_practitioner(clinic, types=[make_type(clinic)])

    response = slots(appointment_type=own.pk, practitioner=stranger_to_it.pk)

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "practitioner": ["No practitioner with this id offers this treatment. Use an id or 'any'."]
    }


def test_the_practitioner_list_refuses_an_inactive_treatment_in_the_same_words(treatments: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/practitioners", {"appointment_type": treatments[INACTIVE]})

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "appointment_type": [f'Invalid pk "{treatments[INACTIVE]}" - object does not exist.']
    }
