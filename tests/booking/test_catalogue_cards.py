"""The catalogue API writes treatments and practitioners from plain rows
(booking.selectors.treatment_cards and practitioner_cards) in the shape of the serializers its
schema names: the same answer, word for word in each language, without a model instance
per row, and in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from booking import selectors
from booking.api.serializers import AppointmentTypeSerializer, PractitionerSerializer
from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic() -> Clinic:
    clinic = make_clinic()
    make_type(clinic, name="Assessment", description="First visit", translations={"es": {"name": "Valoración"}})
    make_type(clinic, name="Needling", needling=True, translations={"fr": {"description": "Aiguilles sèches"}})
    make_type(clinic, name="Retired", active=False)
    other = make_clinic()
    make_type(other, name="Elsewhere")
    for name, bio in (("Robin", "Twenty years"), ("Sam", "")):
        practitioner = make_practitioner(clinic, name=name)
        practitioner.clinics.add(other)
        Practitioner.objects.filter(pk=practitioner.pk).update(bio=bio, translations={"es": {"bio": f"{bio} (es)"}})
    return clinic


@pytest.mark.parametrize("language", ["en-gb", "es", "fr"])
def test_treatments_read_as_the_serializer_writes_them(clinic: Clinic, language: str) -> None:
    types = AppointmentType.objects.order_by("clinic_id", "position", "name", "id")
    with translation.override(language):
        assert selectors.treatment_cards(types) == AppointmentTypeSerializer(types, many=True).data


@pytest.mark.parametrize("language", ["en-gb", "es", "fr"])
def test_practitioners_read_as_the_serializer_writes_them(clinic: Clinic, language: str) -> None:
    people = Practitioner.objects.order_by("display_name", "id")
    with translation.override(language):
        cards = selectors.practitioner_cards(people)
        assert cards == PractitionerSerializer(people, many=True).data
    assert all(len(card["clinics"]) == 2 and len(card["appointment_types"]) == 2 for card in cards)


def test_the_practitioner_list_takes_three_queries_for_any_number(
    clinic: Clinic, stranger: APIClient, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        make_practitioner(clinic, name=f"Extra {n}")
    with django_assert_max_num_queries(3):  # the clinic, the practitioners, their clinics and treatments
        response = stranger.get(f"/api/v1/practitioners?clinic={clinic.pk}")
    assert response.status_code == 200 and len(response.json()) == 7


def test_the_treatment_list_takes_two_queries(
    clinic: Clinic, stranger: APIClient, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):  # the clinic, the treatments
        response = stranger.get(f"/api/v1/appointment-types?clinic={clinic.pk}")
    assert [t["name"] for t in response.json()] == ["Assessment", "Needling"]
