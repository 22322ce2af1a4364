"""The clinic's own words (treatment names and descriptions, practitioners' bios) in the reader's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from booking.models import AppointmentType, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db

WORDS = {
    "es": {"name": "Punción seca de seguimiento", "description": "Una visita más corta."},
    "fr": {"name": "Puncture sèche de suivi", "description": "Une visite plus courte."},
}


@pytest.fixture
def follow_up() -> AppointmentType:
    clinic = make_clinic()
    kind = make_type(clinic, name="Follow-up dry needling", description="A shorter visit.", translations=WORDS)
    person = make_practitioner(clinic, types=[kind])
    person.bio = "Neck and shoulder pain."
    person.translations = {"es": {"bio": "Dolor de cuello y de hombro."}}
    person.save()
    return kind


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("es", "Punción seca de seguimiento", "Una visita más corta."),
        ("fr", "Puncture sèche de suivi", "Une visite plus courte."),
        ("en-GB", "Follow-up dry needling", "A shorter visit."),
    ],
)
def test_the_treatments_page_names_each_treatment_in_the_readers_language(
    client: Client, follow_up: AppointmentType, language: str, name: str, description: str
) -> None:
    page = client.get("/book/", headers={"Accept-Language": language}).content.decode()

    assert name in page and description in page


def test_a_practitioners_bio_is_shown_in_the_readers_language_where_given(
    client: Client, follow_up: AppointmentType
) -> None:
    spanish = client.get(f"/book/{follow_up.pk}/", headers={"Accept-Language": "es"}).content.decode()
    french = client.get(f"/book/{follow_up.pk}/", headers={"Accept-Language": "fr"}).content.decode()

    assert "Dolor de cuello y de hombro." in spanish
    assert "Neck and shoulder pain." in french  # none given in French: the words as written


def test_a_treatment_without_a_translation_keeps_its_written_name(client: Client) -> None:
    make_type(make_clinic(), name="Acupuncture clinique")

    assert "Acupuncture clinique" in client.get("/book/", headers={"Accept-Language": "es"}).content.decode()


def test_the_catalogue_api_follows_the_callers_language(follow_up: AppointmentType) -> None:
    types = APIClient().get("/api/v1/appointment-types", HTTP_ACCEPT_LANGUAGE="fr").json()
    practitioners = APIClient().get("/api/v1/practitioners", HTTP_ACCEPT_LANGUAGE="es").json()

    assert [(t["name"], t["description"]) for t in types] == [("Puncture sèche de suivi", "Une visite plus courte.")]
    assert [p["bio"] for p in practitioners] == ["Dolor de cuello y de hombro."]


@pytest.mark.parametrize(
    "translations",
    [
        {"de": {"name": "Trockennadelung"}},
        {"es": {"title": "Punción"}},
        {"es": "Punción"},
        {"es": {"name": 3}},
        ["es"],
    ],
)
def test_translations_in_an_unknown_language_or_shape_are_refused(translations: object) -> None:
    kind = make_type(make_clinic(), name="Dry needling")
    kind.translations = translations

    with pytest.raises(ValidationError) as caught:
        kind.full_clean()
    assert "translations" in caught.value.message_dict


def test_a_bio_may_only_carry_its_own_words() -> None:
    person: Practitioner = make_practitioner(make_clinic())
    person.translations = {"fr": {"name": "Dr"}}

    with pytest.raises(ValidationError):
        person.full_clean()
