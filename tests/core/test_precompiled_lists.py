"""A list of ids as one argument of a Precompiled query (core/precompiled.py, any_of): on
PostgreSQL the list is one bigint[] parameter, so the query compiled once gives, for a list of
any length, the rows Django's `__in` gives; elsewhere any_of is `__in` itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from booking.models import AppointmentType, Clinic
from core.precompiled import Precompiled, any_of, as_array
from tests.booking.factories import make_clinic, make_type
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db


def treatments_in(ids: list[int]) -> QuerySet[Any]:
    return AppointmentType.objects.filter(any_of("clinic_id", ids)).order_by("id").values_list("id", "clinic_id")


@pytest.fixture
def clinics() -> list[Clinic]:
    """Four clinics with two treatments each, and one with none."""
    found = [make_clinic(name=f"Clinic {n}") for n in range(5)]
    for clinic in found[:4]:
        make_type(clinic, name="Dry needling")
        make_type(clinic, name="Assessment")
    return found


def by_in(ids: list[int]) -> list[tuple[Any, ...]]:
    return list(AppointmentType.objects.filter(clinic_id__in=ids).order_by("id").values_list("id", "clinic_id"))


def test_a_list_of_any_length_gives_the_rows_in_gives_in_one_query(clinics: list[Clinic]) -> None:
    need_postgres()
    query = Precompiled(treatments_in, list)
    ids = [clinic.pk for clinic in clinics]
    asked = [ids[:1], ids[:2], ids[1:4], ids, [ids[4]], [ids[4], 999_999], [999_998, 999_999]]

    for chosen in asked:
        with CaptureQueriesContext(connection) as queries:
            rows = query(chosen)
        assert rows == by_in(chosen), chosen
        assert len(queries) == 1
        assert "= ANY(" in queries[0]["sql"] and "bigint[]" in queries[0]["sql"]
    assert len(query._compiled) == 1  # compiled once, for every length


def test_any_of_one_id_or_off_postgres_is_djangos_in(clinics: list[Clinic]) -> None:
    one = str(AppointmentType.objects.filter(any_of("clinic_id", [clinics[0].pk])).query)
    assert " IN (" in one and "ANY" not in one
    assert not as_array([clinics[0].pk])
    several = str(AppointmentType.objects.filter(any_of("clinic_id", [clinics[0].pk, clinics[1].pk])).query)
    assert ("ANY" in several) == (connection.vendor == "postgresql") == as_array([clinics[0].pk, clinics[1].pk])
    assert list(treatments_in([clinics[0].pk, clinics[1].pk])) == by_in([clinics[0].pk, clinics[1].pk])


@pytest.mark.parametrize("bad", [[], [1, "2"], [1, True], (1, 2)])
def test_a_list_argument_must_be_a_list_of_ints(clinics: list[Clinic], bad: Any) -> None:
    need_postgres()
    with pytest.raises(TypeError):
        Precompiled(treatments_in, list)(bad)
