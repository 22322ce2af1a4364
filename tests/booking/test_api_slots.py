"""GET slots: public, validated, and written in the clinic's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from tests.accounts.sign_in import api_as
from tests.booking.factories import insert_appointment, make_clinic, make_practitioner, make_type

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday; the clocks go forward on 29 March


@pytest.fixture(autouse=True)
def _frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(time_zone="Europe/London", slot_step_minutes=60)


@pytest.fixture
def kind(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60)


@pytest.fixture
def alex(clinic: Clinic, kind: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, hours=[(time(9), time(12))])


def slots(client: APIClient, **params: Any) -> Any:
    return client.get("/api/v1/slots", params)


def day(kind: AppointmentType, date: str, **params: Any) -> dict[str, Any]:
    return {"appointment_type": kind.pk, "start": f"{date}T00:00:00+00:00", "end": f"{date}T23:59:00+00:00", **params}


def test_anyone_sees_the_free_slots_of_a_day(stranger: APIClient, kind: AppointmentType, alex: Practitioner) -> None:
    response = slots(stranger, **day(kind, "2026-03-03"))

    assert response.status_code == 200, response.json()
    assert response.json() == [
        {
            "start": f"2026-03-03T{hh:02d}:00:00+00:00",
            "end": f"2026-03-03T{hh + 1}:00:00+00:00",
            "practitioner": alex.pk,
        }
        for hh in (9, 10, 11)
    ]


def test_slots_are_written_in_the_clinics_zone_with_its_summer_offset(
    stranger: APIClient, kind: AppointmentType, alex: Practitioner
) -> None:
    response = slots(stranger, **day(kind, "2026-03-30"))

    assert [slot["start"] for slot in response.json()] == [
        "2026-03-30T09:00:00+01:00",
        "2026-03-30T10:00:00+01:00",
        "2026-03-30T11:00:00+01:00",
    ]


def test_a_clinic_in_another_zone_shows_its_own_wall_clock(stranger: APIClient) -> None:
    clinic = make_clinic(time_zone="America/New_York", jurisdiction="US-FL", slot_step_minutes=60)
    kind = make_type(clinic, minutes=60)
    make_practitioner(clinic, hours=[(time(9), time(10))])

    response = slots(stranger, **{**day(kind, "2026-03-03"), "end": "2026-03-04T06:00:00+00:00"})

    assert [slot["start"] for slot in response.json()] == ["2026-03-03T09:00:00-05:00"]


def test_the_same_instant_is_written_in_each_clinics_own_zone(
    stranger: APIClient, kind: AppointmentType, alex: Practitioner
) -> None:
    """The slot list remembers the strings it wrote; a string is one zone's, never another's."""
    new_york = make_clinic(time_zone="America/New_York", jurisdiction="US-FL", slot_step_minutes=60)
    far_kind = make_type(new_york, minutes=60)
    make_practitioner(new_york, hours=[(time(4), time(5))])  # 09:00 UTC on a winter day, as alex's first

    london = slots(stranger, **day(kind, "2026-03-03")).json()
    there = slots(stranger, **{**day(far_kind, "2026-03-03"), "end": "2026-03-04T06:00:00+00:00"}).json()

    assert london[0]["start"] == "2026-03-03T09:00:00+00:00"
    assert [slot["start"] for slot in there] == ["2026-03-03T04:00:00-05:00"]
    assert there[0]["end"] == "2026-03-03T05:00:00-05:00"


def test_a_taken_slot_is_not_offered(
    stranger: APIClient, other_patient: Patient, kind: AppointmentType, alex: Practitioner
) -> None:
    services.hold_appointment(
        other_patient, appointment_type=kind, start=datetime(2026, 3, 3, 10, tzinfo=LONDON), practitioner=alex
    )

    response = slots(stranger, **day(kind, "2026-03-03"))

    assert [slot["start"][11:16] for slot in response.json()] == ["09:00", "11:00"]


def test_any_practitioner_offers_each_time_once(
    stranger: APIClient, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    sam = make_practitioner(clinic, hours=[(time(11), time(13))])

    response = slots(stranger, **day(kind, "2026-03-03"), practitioner="any")

    starts = [(slot["start"][11:16], slot["practitioner"]) for slot in response.json()]
    assert [hhmm for hhmm, _ in starts] == ["09:00", "10:00", "11:00", "12:00"]
    assert dict(starts)["12:00"] == sam.pk


def test_one_practitioner_can_be_asked_for(
    stranger: APIClient, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    sam = make_practitioner(clinic, hours=[(time(11), time(13))])

    response = slots(stranger, **day(kind, "2026-03-03"), practitioner=sam.pk)

    assert [(slot["start"][11:16], slot["practitioner"]) for slot in response.json()] == [
        ("11:00", sam.pk),
        ("12:00", sam.pk),
    ]


def test_an_unencoded_plus_in_the_query_string_still_works(
    stranger: APIClient, kind: AppointmentType, alex: Practitioner
) -> None:
    response = stranger.get(
        f"/api/v1/slots?appointment_type={kind.pk}&start=2026-03-03T00:00:00+00:00&end=2026-03-04T00:00:00+01:00"
    )

    assert response.status_code == 200, response.json()
    assert len(response.json()) == 3


def test_a_range_of_exactly_92_days_is_allowed(stranger: APIClient, kind: AppointmentType, alex: Practitioner) -> None:
    response = slots(stranger, appointment_type=kind.pk, start="2026-03-02T00:00:00Z", end="2026-06-02T00:00:00Z")

    assert response.status_code == 200
    assert response.json()[0]["start"] == "2026-03-02T10:00:00+00:00"  # two hours' notice from 08:00


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"appointment_type": None}, "appointment_type"),
        ({"appointment_type": 999999}, "appointment_type"),
        ({"appointment_type": "99999999999999999999"}, "appointment_type"),
        ({"appointment_type": "massage"}, "appointment_type"),
        ({"start": None}, "start"),
        ({"end": None}, "end"),
        ({"start": "2026-03-03T00:00:00"}, "start"),
        ({"end": "2026-03-04"}, "end"),
        ({"start": "tomorrow"}, "start"),
        ({"start": "0001-01-01T00:00:00+14:00"}, "start"),
        ({"end": "9999-12-31T23:59:59-14:00"}, "end"),
        ({"end": "2026-03-02T23:00:00+00:00"}, "end"),
        ({"end": "2026-03-03T00:00:00+00:00"}, "end"),
        ({"end": "2026-06-03T00:00:01+00:00"}, "end"),
        ({"practitioner": 999999}, "practitioner"),
        ({"practitioner": "99999999999999999999"}, "practitioner"),
        ({"practitioner": "someone"}, "practitioner"),
        ({"practitioner": "²"}, "practitioner"),
    ],
)
def test_it_rejects_bad_queries_with_a_field_error(
    stranger: APIClient, kind: AppointmentType, alex: Practitioner, params: dict[str, Any], field: str
) -> None:
    query = {"appointment_type": kind.pk, "start": "2026-03-03T00:00:00+00:00", "end": "2026-03-04T00:00:00+00:00"}
    query.update(params)

    response = slots(stranger, **{key: value for key, value in query.items() if value is not None})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_an_inactive_treatment_has_no_slots(stranger: APIClient, clinic: Clinic, alex: Practitioner) -> None:
    retired = make_type(clinic, active=False)
    alex.appointment_types.add(retired)

    response = slots(stranger, **day(retired, "2026-03-03"))

    assert response.status_code == 400
    assert "appointment_type" in response.json()["fields"]


def test_a_practitioner_who_does_not_offer_the_treatment_is_a_field_error(
    stranger: APIClient, clinic: Clinic, kind: AppointmentType, alex: Practitioner
) -> None:
    other = make_practitioner(clinic, types=[make_type(clinic)])

    response = slots(stranger, **day(kind, "2026-03-03"), practitioner=other.pk)

    assert response.status_code == 400
    assert "practitioner" in response.json()["fields"]


def test_needling_slots_need_a_credentialled_practitioner(stranger: APIClient, clinic: Clinic) -> None:
    needling = make_type(clinic, minutes=60, needling=True)
    make_practitioner(clinic, hours=[(time(9), time(10))], credentialled=False)

    response = slots(stranger, **day(needling, "2026-03-03"))

    assert response.status_code == 200
    assert response.json() == []


# --- For moving an appointment ----------------------------------------------------------


@pytest.fixture
def buffered(clinic: Clinic, alex: Practitioner) -> AppointmentType:
    """An hour and half an hour to tidy up after: a 10:00 visit blocks 10:00-11:30."""
    kind = make_type(clinic, minutes=60, after=30)
    alex.appointment_types.add(kind)
    return kind


@pytest.fixture
def own(patient: Patient, buffered: AppointmentType, alex: Practitioner) -> Appointment:
    return insert_appointment(patient, alex, buffered, datetime(2026, 3, 3, 10, tzinfo=LONDON))


def test_moving_ones_own_appointment_offers_the_times_that_overlap_it(
    patient_api: APIClient, buffered: AppointmentType, own: Appointment
) -> None:
    assert slots(patient_api, **day(buffered, "2026-03-03")).json() == []  # 09:00 and 11:00 reach into it

    response = slots(patient_api, **day(buffered, "2026-03-03"), reschedule=own.pk)

    assert response.status_code == 200, response.json()
    # Its own 10:00 is not offered: moving there changes nothing.
    assert [slot["start"][11:16] for slot in response.json()] == ["09:00", "11:00"]


def reschedule_refusal(client: APIClient, kind: AppointmentType, appointment_id: Any) -> Any:
    response = slots(client, **day(kind, "2026-03-03"), reschedule=appointment_id)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"reschedule"}
    return response.json()


def test_moving_someone_elses_appointment_is_a_field_error_that_does_not_say_it_exists(
    other_patient: Patient, buffered: AppointmentType, own: Appointment
) -> None:
    client = api_as(other_patient)
    missing = own.pk + 1000

    theirs = reschedule_refusal(client, buffered, own.pk)

    assert reschedule_refusal(client, buffered, missing) == theirs
    assert reschedule_refusal(client, buffered, "99999999999999999999") == theirs


def test_moving_needs_the_patient_signed_in(stranger: APIClient, buffered: AppointmentType, own: Appointment) -> None:
    reschedule_refusal(stranger, buffered, own.pk)


def test_moving_needs_a_live_appointment_of_the_same_treatment(
    patient_api: APIClient, kind: AppointmentType, buffered: AppointmentType, own: Appointment
) -> None:
    message = reschedule_refusal(patient_api, kind, own.pk)  # another treatment

    Appointment.objects.filter(pk=own.pk).update(status=Appointment.Status.CANCELLED)
    assert reschedule_refusal(patient_api, buffered, own.pk) == message


def test_slots_are_rate_limited(
    stranger: APIClient, kind: AppointmentType, alex: Practitioner, throttle_rates: Callable[..., None]
) -> None:
    throttle_rates(slots="2/minute")
    for _ in range(2):
        assert slots(stranger, **day(kind, "2026-03-03")).status_code == 200

    response = slots(stranger, **day(kind, "2026-03-03"))

    assert response.status_code == 429
    assert set(response.json()) == {"code", "detail", "fields"}
    assert 0 < int(response["Retry-After"]) <= 60
