"""The public catalogue lists (GET /api/v1/appointment-types and /api/v1/practitioners) are
answered from memory (booking/catalogue_cache.py) while the catalogue version, moved by
database triggers on every change to clinics, treatments, practitioners and their links,
stands. A repeated list costs one query and equals the first; each kind of change a clinic
makes shows in the very next list; each language keeps its own answer; refusals are never
kept; and the memory stays bounded. Transactional tests: the memory stands aside inside a
transaction, and the ordinary test wraps each test in one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from booking import catalogue_cache
from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db(transaction=True)

TREATMENTS = "/api/v1/appointment-types"
PEOPLE = "/api/v1/practitioners"


@pytest.fixture(autouse=True)
def empty_memory() -> Iterator[None]:
    catalogue_cache.clear()
    yield
    catalogue_cache.clear()


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic(name="Harbour Physiotherapy")


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, name="Dry needling", needling=True, translations={"es": {"name": "Punción seca"}})


@pytest.fixture
def massage(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, name="Sports massage", translations={"es": {"name": "Masaje deportivo"}})


@pytest.fixture
def robin(clinic: Clinic, needling: AppointmentType, massage: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Robin Physio")


def get(path: str, *, language: str = "en", **query: Any) -> tuple[Any, int]:
    """The answer and how many queries it took."""
    with CaptureQueriesContext(connection) as seen:
        response = APIClient().get(path, query, HTTP_ACCEPT_LANGUAGE=language)
    return response, len(seen)


def listed(path: str, *, language: str = "en", **query: Any) -> list[dict[str, Any]]:
    response, _ = get(path, language=language, **query)
    assert response.status_code == 200, response.json()
    return list(response.json())


def names(path: str, **query: Any) -> list[str]:
    key = "display_name" if path == PEOPLE else "name"
    return [item[key] for item in listed(path, **query)]


def remembered(path: str, *, language: str = "en", **query: Any) -> list[dict[str, Any]]:
    """The list, asked for twice: the second answer came from memory (the version alone was read)."""
    first = listed(path, language=language, **query)
    again, queries = get(path, language=language, **query)
    assert (again.json(), queries) == (first, 1)
    return first


def remembered_names(path: str, **query: Any) -> list[str]:
    key = "display_name" if path == PEOPLE else "name"
    return [item[key] for item in remembered(path, **query)]


@pytest.mark.parametrize("path", [TREATMENTS, PEOPLE], ids=["treatments", "practitioners"])
def test_a_second_identical_list_is_answered_from_memory(clinic: Clinic, robin: Practitioner, path: str) -> None:
    first, cold = get(path, clinic=clinic.pk)
    again, warm = get(path, clinic=clinic.pk)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() != []
    assert warm == 1 < cold  # then only the catalogue version is read


def test_practitioners_offering_a_treatment_are_kept_apart_from_the_whole_clinic(
    clinic: Clinic, needling: AppointmentType, massage: AppointmentType, robin: Practitioner
) -> None:
    sam = make_practitioner(clinic, types=[massage], name="Sam Other")

    assert names(PEOPLE, clinic=clinic.pk) == ["Robin Physio", "Sam Other"]
    assert names(PEOPLE, clinic=clinic.pk, appointment_type=needling.pk) == ["Robin Physio"]
    assert names(PEOPLE, clinic=clinic.pk, appointment_type=massage.pk) == ["Robin Physio", "Sam Other"]
    assert get(PEOPLE, clinic=clinic.pk, appointment_type=needling.pk)[1] == 1
    assert sam.pk in [p["id"] for p in listed(PEOPLE, appointment_type=massage.pk, clinic=clinic.pk)]


def test_a_renamed_treatment_shows_in_the_next_list(clinic: Clinic, needling: AppointmentType) -> None:
    assert remembered_names(TREATMENTS, clinic=clinic.pk) == ["Dry needling"]
    needling.name = "Acupuncture"
    needling.save()

    assert names(TREATMENTS, clinic=clinic.pk) == ["Acupuncture"]


def test_a_deactivated_treatment_leaves_both_lists_at_once(
    clinic: Clinic, needling: AppointmentType, massage: AppointmentType, robin: Practitioner
) -> None:
    assert remembered_names(TREATMENTS, clinic=clinic.pk) == ["Dry needling", "Sports massage"]
    assert remembered(PEOPLE, clinic=clinic.pk)[0]["appointment_types"] == sorted([needling.pk, massage.pk])
    AppointmentType.objects.filter(pk=needling.pk).update(active=False)

    assert names(TREATMENTS, clinic=clinic.pk) == ["Sports massage"]
    assert listed(PEOPLE, clinic=clinic.pk)[0]["appointment_types"] == [massage.pk]


def test_a_practitioner_joining_the_clinic_shows_in_the_next_list(clinic: Clinic, robin: Practitioner) -> None:
    newcomer = make_practitioner(make_clinic(), name="Alex Newcomer")
    assert remembered_names(PEOPLE, clinic=clinic.pk) == ["Robin Physio"]
    newcomer.clinics.add(clinic)

    assert names(PEOPLE, clinic=clinic.pk) == ["Alex Newcomer", "Robin Physio"]
    assert clinic.pk in listed(PEOPLE, clinic=clinic.pk)[0]["clinics"]


def test_a_removed_treatment_link_shows_in_the_next_list(
    clinic: Clinic, needling: AppointmentType, massage: AppointmentType, robin: Practitioner
) -> None:
    assert remembered_names(PEOPLE, clinic=clinic.pk, appointment_type=needling.pk) == ["Robin Physio"]
    assert remembered(PEOPLE, clinic=clinic.pk)[0]["appointment_types"] == sorted([needling.pk, massage.pk])
    robin.appointment_types.remove(needling)

    assert names(PEOPLE, clinic=clinic.pk, appointment_type=needling.pk) == []
    assert listed(PEOPLE, clinic=clinic.pk)[0]["appointment_types"] == [massage.pk]


def test_a_changed_bio_translation_shows_in_the_next_list(clinic: Clinic, robin: Practitioner) -> None:
    Practitioner.objects.filter(pk=robin.pk).update(bio="Sports injuries.", translations={"es": {"bio": "Lesiones."}})
    assert remembered(PEOPLE, language="es", clinic=clinic.pk)[0]["bio"] == "Lesiones."
    Practitioner.objects.filter(pk=robin.pk).update(translations={"es": {"bio": "Lesiones deportivas."}})

    assert listed(PEOPLE, language="es", clinic=clinic.pk)[0]["bio"] == "Lesiones deportivas."
    assert listed(PEOPLE, language="en", clinic=clinic.pk)[0]["bio"] == "Sports injuries."


def test_a_deleted_clinic_is_a_400_in_the_next_list(clinic: Clinic, needling: AppointmentType) -> None:
    closing = make_clinic(name="Closing down").pk
    assert remembered(TREATMENTS, clinic=closing) == []
    assert remembered(PEOPLE, clinic=closing) == []
    Clinic.objects.filter(pk=closing).delete()

    for path in (TREATMENTS, PEOPLE):
        response, _ = get(path, clinic=closing)
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["clinic"]
    assert names(TREATMENTS, clinic=clinic.pk) == ["Dry needling"]


def test_each_language_keeps_its_own_answer_in_its_own_words(
    clinic: Clinic, needling: AppointmentType, massage: AppointmentType
) -> None:
    words = {"es": ["Punción seca", "Masaje deportivo"], "en": ["Dry needling", "Sports massage"]}
    for round_ in ("built", "remembered"):
        for language, expected in words.items():
            answer, queries = get(TREATMENTS, language=language, clinic=clinic.pk)
            assert [t["name"] for t in answer.json()] == expected, (round_, language)
            assert (queries == 1) is (round_ == "remembered")

    assert len(catalogue_cache._answers) == 2


@pytest.mark.parametrize("path", [TREATMENTS, PEOPLE], ids=["treatments", "practitioners"])
def test_a_refused_query_is_never_kept_and_stays_a_400(clinic: Clinic, path: str) -> None:
    refusals = {
        "abc": "Incorrect type. Expected pk value, received str.",
        "999999": 'Invalid pk "999999" - object does not exist.',
    }
    for bad in [*refusals, *refusals]:
        response, _ = get(path, clinic=bad)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
        assert response.json()["fields"] == {"clinic": [refusals[bad]]}

    assert catalogue_cache._answers == {}


def test_a_list_read_inside_a_transaction_leaves_the_memory_alone(clinic: Clinic, needling: AppointmentType) -> None:
    with transaction.atomic():
        assert names(TREATMENTS, clinic=clinic.pk) == ["Dry needling"]

    assert catalogue_cache._answers == {}


def test_a_rolled_back_change_leaves_the_version_and_the_answer_in_memory(
    clinic: Clinic, needling: AppointmentType
) -> None:
    assert remembered_names(TREATMENTS, clinic=clinic.pk) == ["Dry needling"]
    version = catalogue_cache.current_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        AppointmentType.objects.filter(pk=needling.pk).update(name="Never committed")
        raise RuntimeError("changed my mind")

    assert catalogue_cache.current_version() == version
    answer, queries = get(TREATMENTS, clinic=clinic.pk)
    assert [t["name"] for t in answer.json()] == ["Dry needling"] and queries == 1


def test_the_memory_empties_itself_when_full(monkeypatch: pytest.MonkeyPatch, clinic: Clinic) -> None:
    monkeypatch.setattr(catalogue_cache, "_MAX_ENTRIES", 3)
    others = [make_clinic() for _ in range(3)]

    for n, each in enumerate([clinic, *others[:2]], start=1):
        listed(TREATMENTS, clinic=each.pk)
        assert len(catalogue_cache._answers) == n
    listed(TREATMENTS, clinic=others[2].pk)

    assert len(catalogue_cache._answers) == 1
    assert get(TREATMENTS, clinic=others[2].pk)[1] == 1  # the newest answer is the one kept
    assert get(TREATMENTS, clinic=clinic.pk)[1] > 1
