"""The patient's appointments are written from plain rows (booking/api/appointment_cards.py) in
AppointmentSerializer's exact shape: the same JSON, word for word, for every status, in two
clinics' zones across their clocks going forward, in English, Spanish and French; through
GET /api/v1/appointments in the documented order, only the patient's own, in a number of
queries that does not grow with the number of appointments.

The clock is frozen at shortcuts.NOW (Monday 2 March 2026, 08:00 UTC) by this folder's conftest."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.api.appointment_cards import appointment_card, appointment_cards
from booking.api.serializers import AppointmentSerializer
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from tests.accounts.factories import make_patient
from tests.accounts.sign_in import api_as
from tests.booking.appointments_api.shortcuts import NOW, Status
from tests.booking.factories import insert_appointment, local, make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db

LANGUAGES = ["en-gb", "es", "fr"]
# The patient's appointments as the API lists them: upcoming (not yet ended) by start, then
# past ones latest first; a tie on start goes by id, the later-made one last among the
# upcoming and first among the past.
IN_ORDER = [
    "ended_just_now",  # ends at NOW exactly: still listed with the upcoming ones
    "in_progress",
    "soon_in_madrid",  # inside Madrid's 24-hour window
    "soon_in_new_york",  # 30 hours ahead: inside New York's 48-hour window, outside Madrid's
    "at_new_yorks_window",  # exactly 48 hours ahead: still changeable
    "across_new_yorks_clocks",  # 01:30 EST to 03:30 EDT on 8 March
    "held_expired",
    "held",
    "held_expiring_now",
    "pending_review",
    "declined",
    "later_in_madrid",
    "cancelled_same_start",
    "across_madrids_clocks",  # 01:30 CET to 03:30 CEST on 29 March
    "no_show",
    "cancelled_past_same_start",
    "completed",
    "booked_in_londons_zone",  # the clinic's zone was London when booked
]


def as_json(data: Any) -> Any:
    return json.loads(json.dumps(data))


def serialized(appointments: Iterable[Appointment], language: str) -> Any:
    with translation.override(language):
        return as_json(AppointmentSerializer(list(appointments), many=True, context={"now": NOW}).data)


def listed(patient: Patient) -> list[Appointment]:
    """The patient's appointments in the order the API documents, read through the ORM."""
    own = Appointment.objects.filter(patient=patient).select_related("clinic", "appointment_type", "practitioner")
    return [*own.filter(end__gte=NOW).order_by("start", "id"), *own.filter(end__lt=NOW).order_by("-start", "-id")]


@pytest.fixture
def madrid(db: None) -> Clinic:
    return make_clinic(
        name="Clínica del Retiro",
        time_zone="Europe/Madrid",
        address="Calle de Alcalá 95\n28009 Madrid",
        phone="+34 910 00 00 00",
        jurisdiction="ES",
        country="ES",
        language="es",
        cancellation_window_hours=24,
    )


@pytest.fixture
def new_york(db: None) -> Clinic:
    return make_clinic(
        name="Hudson Physio",
        time_zone="America/New_York",
        address="",
        phone="+1 212 555 0100",
        jurisdiction="US-NY",
        country="US",
        cancellation_window_hours=48,
    )


@pytest.fixture
def needling(madrid: Clinic) -> AppointmentType:
    names = {"es": {"name": "Punción seca"}, "fr": {"name": "Puncture sèche", "description": "Aiguilles"}}
    return make_type(madrid, name="Dry needling", minutes=60, needling=True, translations=names)


@pytest.fixture
def assessment(madrid: Clinic) -> AppointmentType:
    # French only, and buffers: the Spanish reader sees the name as written.
    names = {"fr": {"name": "Bilan initial"}, "es": {"name": "  "}}
    return make_type(madrid, name="First assessment", minutes=45, before=10, after=5, translations=names)


@pytest.fixture
def massage(new_york: Clinic) -> AppointmentType:
    names = {"es": {"name": "Masaje terapéutico"}, "fr": {"name": "Massage thérapeutique"}}
    return make_type(new_york, name="Therapeutic massage", minutes=60, translations=names)


@pytest.fixture
def lucia(madrid: Clinic, needling: AppointmentType, assessment: AppointmentType) -> Practitioner:
    return make_practitioner(madrid, name="Lucía Fernández")


@pytest.fixture
def marc(madrid: Clinic, needling: AppointmentType, assessment: AppointmentType) -> Practitioner:
    return make_practitioner(madrid, name="Marc Dubois-Léger")


@pytest.fixture
def dana(new_york: Clinic, massage: AppointmentType) -> Practitioner:
    return make_practitioner(new_york, name="Dana O'Brien")


@pytest.fixture
def visits(
    patient: Patient,
    needling: AppointmentType,
    assessment: AppointmentType,
    massage: AppointmentType,
    lucia: Practitioner,
    marc: Practitioner,
    dana: Practitioner,
) -> dict[str, Appointment]:
    """The patient's appointments in every status, named as in IN_ORDER, made in this order
    (ids rise with it). Written directly: the services would refuse most of these states."""
    madrid, new_york = needling.clinic, massage.clinic
    on = {"madrid": lambda day: local(madrid, day, "10:00"), "new_york": lambda day: local(new_york, day, "10:00")}
    later = on["madrid"](date(2026, 3, 20))
    week_ago = NOW - timedelta(days=7)
    made: dict[str, Appointment] = {}

    def add(name: str, practitioner: Practitioner, kind: AppointmentType, start: datetime, **fields: Any) -> None:
        made[name] = insert_appointment(patient, practitioner, kind, start, **fields)

    add("ended_just_now", lucia, assessment, NOW - timedelta(minutes=45), status=Status.COMPLETED)
    add("in_progress", dana, massage, NOW - timedelta(minutes=20))
    add("soon_in_madrid", lucia, needling, NOW + timedelta(hours=5))
    add("soon_in_new_york", dana, massage, NOW + timedelta(hours=30))
    add("at_new_yorks_window", dana, massage, NOW + timedelta(hours=48))
    add("across_new_yorks_clocks", dana, massage, datetime(2026, 3, 8, 6, 30, tzinfo=UTC))
    add(
        "held_expired",
        dana,
        massage,
        on["new_york"](date(2026, 3, 9)),
        status=Status.HELD,
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    add(
        "held",
        lucia,
        needling,
        on["madrid"](date(2026, 3, 10)),
        status=Status.HELD,
        hold_expires_at=NOW + timedelta(minutes=10, microseconds=123_456),
    )
    add("held_expiring_now", marc, assessment, on["madrid"](date(2026, 3, 11)), status=Status.HELD, hold_expires_at=NOW)
    add("pending_review", marc, needling, on["madrid"](date(2026, 3, 12)), status=Status.PENDING_REVIEW)
    add("declined", marc, needling, on["madrid"](date(2026, 3, 13)), status=Status.DECLINED)
    add("later_in_madrid", lucia, needling, later, version=3)
    add("cancelled_same_start", dana, massage, later, status=Status.CANCELLED, cancel_reason="Travelling")
    add("across_madrids_clocks", marc, needling, datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    add("no_show", dana, massage, NOW - timedelta(days=3), status=Status.NO_SHOW)
    add("completed", lucia, needling, week_ago, status=Status.COMPLETED, version=2)
    add("cancelled_past_same_start", marc, assessment, week_ago, status=Status.CANCELLED)
    add(
        "booked_in_londons_zone",
        lucia,
        needling,
        NOW - timedelta(days=30),
        status=Status.COMPLETED,
        time_zone="Europe/London",
    )
    return made


@pytest.fixture
def theirs(
    other_patient: Patient, needling: AppointmentType, massage: AppointmentType, marc: Practitioner, dana: Practitioner
) -> list[int]:
    """Another patient's appointments at the same clinics, some at the same times."""
    madrid = needling.clinic
    return [
        insert_appointment(other_patient, marc, needling, local(madrid, date(2026, 3, 10), "12:00")).pk,
        insert_appointment(other_patient, marc, needling, NOW - timedelta(days=7), status=Status.COMPLETED).pk,
        insert_appointment(
            other_patient, marc, needling, NOW + timedelta(hours=2), status=Status.HELD, hold_expires_at=NOW
        ).pk,
        insert_appointment(other_patient, dana, massage, NOW - timedelta(minutes=20), status=Status.CANCELLED).pk,
    ]


# --- The cards are the serializer's JSON --------------------------------------------------------


def test_the_fixture_covers_every_status_zone_and_policy_edge(visits: dict[str, Appointment]) -> None:
    """What the comparisons below stand on: every status, both zones and both offsets of each,
    and can_cancel / can_reschedule both ways (as the serializer says them)."""
    assert [a.pk for a in listed(visits["held"].patient)] == [visits[name].pk for name in IN_ORDER]
    body = serialized(listed(visits["held"].patient), "en-gb")
    assert {card["status"] for card in body} == set(Status.values)
    offsets = {card["start"][-6:] for card in body} | {card["end"][-6:] for card in body}
    assert {"+01:00", "+02:00", "-05:00", "-04:00", "+00:00"} <= offsets
    flags: dict[str, set[tuple[bool, bool]]] = {}
    for card in body:
        flags.setdefault(card["status"], set()).add((card["can_cancel"], card["can_reschedule"]))
    assert flags["held"] == {(True, True), (True, False)}
    assert flags["confirmed"] == {(True, True), (False, False)}
    across = body[IN_ORDER.index("across_new_yorks_clocks")]
    assert (across["start"], across["end"]) == ("2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00")
    held = body[IN_ORDER.index("held")]
    assert held["hold_expires_at"] == "2026-03-02T09:10:00.123456+01:00"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_is_the_serializers_json_in_every_language(
    visits: dict[str, Appointment], theirs: list[int], language: str
) -> None:
    patient = visits["held"].patient
    expected = serialized(listed(patient), language)

    with translation.override(language):
        cards = as_json(appointment_cards(patient.pk, NOW))

    assert cards == expected
    assert [list(card) for card in cards] == [list(card) for card in expected]  # the keys in the same order too
    assert [card["id"] for card in cards] == [visits[name].pk for name in IN_ORDER]


@pytest.mark.parametrize(
    ("language", "needling_name", "assessment_name", "massage_name"),
    [
        ("en-gb", "Dry needling", "First assessment", "Therapeutic massage"),
        ("es", "Punción seca", "First assessment", "Masaje terapéutico"),
        ("fr", "Puncture sèche", "Bilan initial", "Massage thérapeutique"),
    ],
)
def test_the_treatment_is_named_in_the_readers_language(
    visits: dict[str, Appointment], language: str, needling_name: str, assessment_name: str, massage_name: str
) -> None:
    with translation.override(language):
        cards = {card["id"]: card for card in appointment_cards(visits["held"].patient_id, NOW)}

    names = {name: cards[visits[name].pk]["appointment_type"]["name"] for name in ("held", "ended_just_now", "no_show")}
    assert names == {"held": needling_name, "ended_just_now": assessment_name, "no_show": massage_name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_card_is_the_serializers_json_for_each_appointment(visits: dict[str, Appointment], language: str) -> None:
    for name in IN_ORDER:
        loaded = Appointment.objects.get(pk=visits[name].pk)  # its treatment, practitioner and clinic loaded lazily
        with translation.override(language):
            card = as_json(appointment_card(loaded, NOW))
            expected = as_json(AppointmentSerializer(loaded, context={"now": NOW}).data)
        assert card == expected, name


def test_one_card_is_the_serializers_json_for_an_appointment_just_written(visits: dict[str, Appointment]) -> None:
    """As the services hand it over: the datetimes it was given, not read back from the database."""
    for name in IN_ORDER:
        written = visits[name]
        assert as_json(appointment_card(written, NOW)) == as_json(
            AppointmentSerializer(written, context={"now": NOW}).data
        ), name


# --- Through the API -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_api_lists_the_patients_appointments_as_the_serializer_writes_them(
    visits: dict[str, Appointment], theirs: list[int], patient_api: APIClient, language: str
) -> None:
    response = patient_api.get("/api/v1/appointments", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert response.json() == serialized(listed(visits["held"].patient), language)
    assert [card["id"] for card in response.json()] == [visits[name].pk for name in IN_ORDER]


def test_the_api_names_the_treatment_in_spanish_for_a_spanish_reader(
    visits: dict[str, Appointment], patient_api: APIClient
) -> None:
    response = patient_api.get("/api/v1/appointments", HTTP_ACCEPT_LANGUAGE="es")

    names = {card["id"]: card["appointment_type"]["name"] for card in response.json()}
    assert names[visits["held"].pk] == "Punción seca"
    assert names[visits["no_show"].pk] == "Masaje terapéutico"


def test_another_patients_appointments_never_appear(
    visits: dict[str, Appointment], theirs: list[int], patient_api: APIClient, other_patient: Patient
) -> None:
    mine = [card["id"] for card in patient_api.get("/api/v1/appointments").json()]
    their_list = api_as(other_patient).get("/api/v1/appointments").json()

    assert not set(mine) & set(theirs)
    assert sorted(card["id"] for card in their_list) == sorted(theirs)
    assert their_list == serialized(listed(other_patient), "en-gb")


def test_a_patient_without_appointments_gets_an_empty_list(visits: dict[str, Appointment], theirs: list[int]) -> None:
    response = api_as(make_patient()).get("/api/v1/appointments")

    assert response.status_code == 200
    assert response.json() == []


def test_reading_one_appointment_answers_the_serializers_json(
    visits: dict[str, Appointment], patient_api: APIClient
) -> None:
    for name in IN_ORDER:
        response = patient_api.get(f"/api/v1/appointments/{visits[name].pk}", HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, name
        assert response.json() == serialized(listed(visits[name].patient), "fr")[IN_ORDER.index(name)], name


# --- Cost ------------------------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_two_appointments_as_for_ten(
    needling: AppointmentType, lucia: Practitioner, django_assert_max_num_queries: Any
) -> None:
    patient = make_patient()
    client = api_as(patient)
    first = local(needling.clinic, date(2026, 3, 3), "10:00")
    for n in range(2):
        insert_appointment(patient, lucia, needling, first + timedelta(days=n))
    client.get("/api/v1/appointments")  # compiles the precompiled query once, as any first request does

    with CaptureQueriesContext(connection) as two:
        assert len(client.get("/api/v1/appointments").json()) == 2
    for n in range(2, 10):
        insert_appointment(patient, lucia, needling, first + timedelta(days=n))
    with django_assert_max_num_queries(2), CaptureQueriesContext(connection) as ten:  # the token, the rows
        assert len(client.get("/api/v1/appointments").json()) == 10

    assert len(ten) == len(two)
