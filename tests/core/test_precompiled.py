"""A Precompiled query (core/precompiled.py) gives the rows its values_list queryset gives, for
every argument it is called with: Django's converters applied (JSON decoded, times aware), an
argument used twice filled in twice, str and int arguments each in their place. It compiles
once, runs through the connection's cursor wrapper (so query counts see it), refuses
arguments of the wrong number or type, refuses a build whose SQL does not carry the argument,
and builds model instances from a row, None for a model an outer join did not find."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext

from accounts.models import Patient, User
from booking.models import AppointmentType, Clinic
from core.precompiled import Precompiled, columns, instances
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import make_clinic, make_type

pytestmark = pytest.mark.django_db


def treatments_of(clinic_id: int) -> QuerySet[Any]:
    return (
        AppointmentType.objects.filter(clinic_id=clinic_id)
        .order_by("id")
        .values_list("id", "name", "translations", "active", "clinic__created_at", "clinic__name")
    )


@pytest.fixture
def clinics() -> list[Clinic]:
    """Three clinics: two with treatments (words in other languages, one inactive), one with none."""
    harbour, hill, empty = make_clinic(name="Harbour"), make_clinic(name="Hill"), make_clinic(name="Empty")
    make_type(harbour, name="Dry needling", translations={"es": {"name": "Punción seca"}})
    make_type(harbour, name="Massage", active=False, translations={"fr": {"name": "Massage", "description": "Doux"}})
    make_type(hill, name="Assessment")
    return [harbour, hill, empty]


def test_it_gives_the_rows_the_queryset_gives_for_every_argument(clinics: list[Clinic]) -> None:
    query = Precompiled(treatments_of, int)

    for clinic in [*clinics, clinics[0]]:  # the first again: compiled once, run with new arguments
        assert query(clinic.pk) == list(treatments_of(clinic.pk))
    assert query(999_999) == [] == list(treatments_of(999_999))


def test_json_and_times_come_back_as_the_orm_reads_them(clinics: list[Clinic]) -> None:
    [first, second] = Precompiled(treatments_of, int)(clinics[0].pk)

    assert first[2] == {"es": {"name": "Punción seca"}}
    assert second[2] == {"fr": {"name": "Massage", "description": "Doux"}}
    assert second[3] is False
    assert isinstance(first[4], datetime) and first[4].tzinfo is not None
    assert first[4] == clinics[0].created_at


def test_an_argument_used_twice_is_filled_in_both_places(clinics: list[Clinic]) -> None:
    def either(n: int) -> QuerySet[Any]:
        return AppointmentType.objects.filter(Q(pk=n) | Q(clinic_id=n)).order_by("id").values_list("id", "clinic_id")

    query = Precompiled(either, int)
    highest = max(AppointmentType.objects.order_by("-id").values_list("id", flat=True)[0], clinics[-1].pk)

    # Small ids name a clinic and a treatment at once: both halves of the OR must see n.
    for n in range(1, highest + 2):
        assert query(n) == list(either(n)), n


def test_str_and_int_arguments_each_reach_their_own_place(clinics: list[Clinic]) -> None:
    def named_except(name: str, pk: int) -> QuerySet[Any]:
        return Clinic.objects.filter(name=name).exclude(pk=pk).order_by("id").values_list("id", "slug")

    twin = make_clinic(name="Harbour")
    query = Precompiled(named_except, str, int)

    assert query("Harbour", clinics[0].pk) == [(twin.pk, twin.slug)] == list(named_except("Harbour", clinics[0].pk))
    assert query("Harbour", twin.pk) == [(clinics[0].pk, clinics[0].slug)]
    assert query("Hill", 0) == list(named_except("Hill", 0))
    assert query("Nowhere", clinics[0].pk) == []


def test_date_and_aware_datetime_arguments_find_what_the_orm_finds(clinics: list[Clinic]) -> None:
    def born_on(day: date) -> QuerySet[Any]:
        return Patient.objects.filter(date_of_birth=day).order_by("id").values_list("id", "date_of_birth")

    def created_since(when: datetime) -> QuerySet[Any]:
        return Clinic.objects.filter(created_at__gte=when).order_by("id").values_list("id", "created_at")

    make_patient(date_of_birth=date(1990, 1, 1))
    make_patient(date_of_birth=date(1984, 2, 29))
    by_day, by_time = Precompiled(born_on, date), Precompiled(created_since, datetime)
    middle = Clinic.objects.get(pk=clinics[1].pk).created_at
    madrid = middle.astimezone(ZoneInfo("Europe/Madrid"))  # the same instant, another offset

    for day in [date(1990, 1, 1), date(1984, 2, 29), date(2000, 1, 1)]:
        assert by_day(day) == list(born_on(day)), day
    for when in [middle, madrid, middle + timedelta(microseconds=1), datetime(2000, 1, 1, tzinfo=UTC)]:
        assert by_time(when) == list(created_since(when)), when
    assert [pk for pk, _ in by_time(madrid)] == [clinic.pk for clinic in clinics[1:]]


def test_a_naive_datetime_or_a_datetime_for_a_date_is_refused() -> None:
    by_time = Precompiled(lambda when: Clinic.objects.filter(created_at__gte=when).values_list("id"), datetime)
    by_day = Precompiled(lambda day: Patient.objects.filter(date_of_birth=day).values_list("id"), date)

    with pytest.raises(TypeError):
        by_time(datetime(2026, 1, 1))  # naive
    with pytest.raises(TypeError):
        by_day(datetime(2026, 1, 1, tzinfo=UTC))


def test_it_builds_the_queryset_once_however_often_it_runs(clinics: list[Clinic]) -> None:
    built: list[int] = []

    def build(clinic_id: int) -> QuerySet[Any]:
        built.append(clinic_id)
        return treatments_of(clinic_id)

    query = Precompiled(build, int)
    for clinic in clinics:
        query(clinic.pk)

    assert len(built) == 1
    assert built[0] not in {clinic.pk for clinic in clinics}  # a stand-in, never a caller's value


def test_each_run_is_one_query_the_query_counters_see(clinics: list[Clinic]) -> None:
    query = Precompiled(treatments_of, int)
    query(clinics[0].pk)  # compiled: compiling itself runs nothing

    with CaptureQueriesContext(connection) as seen:
        rows = query(clinics[1].pk)

    assert len(rows) == 1
    assert len(seen) == 1
    assert "booking_appointmenttype" in seen[0]["sql"]


@pytest.mark.parametrize(
    "arguments",
    [(), (1, 2), (True,), (False,), ("1",), (1.0,), (None,)],
    ids=["none", "two", "true", "false", "text", "float", "null"],
)
def test_an_int_query_refuses_anything_but_one_int(arguments: tuple[Any, ...]) -> None:
    query = Precompiled(treatments_of, int)

    with pytest.raises(TypeError):
        query(*arguments)


@pytest.mark.parametrize("argument", [1, b"Harbour", None, ["Harbour"]], ids=["int", "bytes", "null", "list"])
def test_a_str_query_refuses_anything_but_a_str(argument: Any) -> None:
    query = Precompiled(lambda name: Clinic.objects.filter(name=name).values_list("id"), str)

    with pytest.raises(TypeError):
        query(argument)


def test_only_scalar_arguments_and_values_list_querysets_are_taken(clinics: list[Clinic]) -> None:
    with pytest.raises(TypeError):
        Precompiled(lambda when: Clinic.objects.filter(created_at=when).values_list("id"), float)(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Precompiled(lambda pk: Clinic.objects.filter(pk=pk), int)(clinics[0].pk)


def test_a_build_that_drops_its_argument_is_refused_not_run_without_it(clinics: list[Clinic]) -> None:
    ignores = Precompiled(lambda pk: Clinic.objects.order_by("id").values_list("id"), int)
    rewrites = Precompiled(lambda name: Clinic.objects.filter(name__icontains=name).values_list("id"), str)

    with pytest.raises(ValueError, match="argument 0"):
        ignores(clinics[0].pk)
    with pytest.raises(ValueError, match="argument 0"):
        rewrites("Harbour")  # becomes '%Harbour%': the value would not be the caller's


def user_with_patient(pk: int) -> QuerySet[Any]:
    return User.objects.filter(pk=pk).values_list(*columns(User), *columns(Patient, "patient__"))


def fields_of(instance: Any) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_instances_are_the_models_the_orm_would_load() -> None:
    patient = make_patient("pia@example.com", legal_name="Pia Example")
    [row] = Precompiled(user_with_patient, int)(patient.user_id)

    user, found = instances(row, User, Patient)

    assert isinstance(user, User) and isinstance(found, Patient)
    assert fields_of(user) == fields_of(User.objects.get(pk=patient.user_id))
    assert fields_of(found) == fields_of(Patient.objects.get(pk=patient.pk))
    assert not user._state.adding and user._state.db == "default"
    assert not found._state.adding and found._state.db == "default"


def test_a_model_the_outer_join_did_not_find_is_none() -> None:
    staff = make_staff(User.Role.PRACTITIONER, "prac@example.com")
    [row] = Precompiled(user_with_patient, int)(staff.pk)

    user, patient = instances(row, User, Patient)

    assert patient is None
    assert user.pk == staff.pk and user.email == "prac@example.com"
