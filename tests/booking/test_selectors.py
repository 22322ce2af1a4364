"""booking.selectors: the slot engine's inputs, loaded in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from accounts.models import Patient
from booking import selectors
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from tests.accounts.factories import make_patient
from tests.booking.factories import (
    insert_appointment,
    local,
    make_clinic,
    make_credential,
    make_practitioner,
    make_time_off,
    make_type,
    minutes,
)

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # Monday 07:00 in London
MONDAY = date(2026, 6, 1)
TUESDAY = date(2026, 6, 2)
Status = Appointment.Status


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(min_notice_minutes=0)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, before=10, after=15)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


def slots(
    kind: AppointmentType, who: Practitioner | None, day: date = TUESDAY, days: int = 1, now: datetime = NOW
) -> list[selectors.OfferedSlot]:
    start = local(kind.clinic, day, "00:00")
    return selectors.available_slots(
        appointment_type=kind, practitioner=who, start=start, end=start + timedelta(days=days), now=now
    )


def london_times(offered: list[selectors.OfferedSlot], clinic: Clinic) -> list[str]:
    return [s.start.astimezone(clinic.zone).strftime("%H:%M") for s in offered]


# --- What is offered ------------------------------------------------------------------


def test_it_offers_the_working_day_on_the_grid(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    offered = slots(visit, physio)

    times = london_times(offered, clinic)
    assert times[0] == "09:00"
    assert times[-1] == "16:00"
    assert len(times) == 29  # 09:00 to 16:00 every 15 minutes
    assert all(s.practitioner_id == physio.pk and s.end - s.start == minutes(60) for s in offered)


def test_it_leaves_out_appointments_with_their_buffers(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "12:00"))  # blocks 11:50-13:15

    times = london_times(slots(visit, physio), clinic)

    assert "10:30" in times
    assert not {"10:45", "11:00", "12:00", "13:00", "13:15"} & set(times)
    assert "13:30" in times


def test_an_expired_hold_leaves_its_slot_free(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "12:00"), status=Status.HELD, hold_expires_at=NOW)
    insert_appointment(
        patient, physio, visit, local(clinic, TUESDAY, "15:00"), status=Status.HELD, hold_expires_at=NOW + minutes(1)
    )

    times = london_times(slots(visit, physio), clinic)

    assert "12:00" in times
    assert "15:00" not in times


def test_time_off_removes_slots(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    make_time_off(physio, local(clinic, TUESDAY, "00:00"), local(clinic, TUESDAY, "13:00"))

    # 13:00 would need its 10-minute buffer before from inside the time off.
    assert london_times(slots(visit, physio), clinic)[0] == "13:15"


def test_an_appointment_at_another_clinic_makes_the_practitioner_busy(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    elsewhere = make_clinic()
    physio.clinics.add(elsewhere)
    insert_appointment(patient, physio, make_type(elsewhere, minutes=60), local(clinic, TUESDAY, "12:00"))

    times = london_times(slots(visit, physio), clinic)

    assert "12:00" not in times


def test_needling_is_offered_only_while_a_credential_is_valid(clinic: Clinic) -> None:
    needling = make_type(clinic, minutes=30, needling=True)
    physio = make_practitioner(clinic, credentialled=False)
    make_credential(physio, valid_until=date(2026, 6, 3))

    offered = slots(needling, physio, day=TUESDAY, days=3)

    days = {s.start.astimezone(clinic.zone).date() for s in offered}
    assert days == {TUESDAY, date(2026, 6, 3)}


def test_an_unverified_credential_offers_no_needling(clinic: Clinic) -> None:
    needling = make_type(clinic, minutes=30, needling=True)
    physio = make_practitioner(clinic, credentialled=False)
    make_credential(physio, verified=False)

    assert slots(needling, physio) == []


def test_a_practitioner_who_does_not_offer_the_treatment_has_no_slots(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    # hold_appointment would refuse every one of them.
    other = make_type(clinic, minutes=30)
    specialist = make_practitioner(clinic, types=[other])
    Practitioner.objects.filter(pk=physio.pk).update(active=False)

    assert slots(visit, specialist) == []
    assert slots(visit, physio) == []
    assert slots(visit, None) == []


def test_an_inactive_treatment_has_no_slots(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    visit.active = False
    visit.save()

    assert slots(visit, physio) == []


def test_any_offers_each_time_once_from_the_least_busy(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "16:00"))

    offered = slots(visit, None)

    times = london_times(offered, clinic)
    assert len(times) == len(set(times)) == 29
    assert {s.practitioner_id for s in offered} == {colleague.pk}


def test_any_falls_back_to_whoever_is_free(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    insert_appointment(patient, colleague, visit, local(clinic, TUESDAY, "12:00"))
    insert_appointment(make_patient(), colleague, visit, local(clinic, TUESDAY, "15:00"))
    insert_appointment(make_patient(), physio, visit, local(clinic, TUESDAY, "09:00"))

    offered = {s.start.astimezone(clinic.zone).strftime("%H:%M"): s.practitioner_id for s in slots(visit, None)}

    assert offered["12:00"] == physio.pk
    assert offered["09:00"] == colleague.pk


# --- Moving an appointment -----------------------------------------------------------


def moving(kind: AppointmentType, who: Practitioner | None, appointment: Appointment) -> list[str]:
    start = local(kind.clinic, TUESDAY, "00:00")
    offered = selectors.available_slots(
        appointment_type=kind,
        practitioner=who,
        start=start,
        end=start + timedelta(days=1),
        now=NOW,
        exclude_appointment_id=appointment.pk,
    )
    return london_times(offered, kind.clinic)


def test_moving_an_appointment_offers_the_times_that_overlap_it(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    own = insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "12:00"))  # blocks 11:50-13:15

    times = moving(visit, physio, own)

    assert {"10:45", "11:00", "11:45", "12:15", "13:00", "13:15"} <= set(times)
    assert "12:00" not in times, "its own start is no new time"


def test_moving_one_appointment_still_counts_the_others_as_busy(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    own = insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "10:00"))
    insert_appointment(make_patient(), physio, visit, local(clinic, TUESDAY, "14:00"))  # blocks 13:50-15:15

    times = moving(visit, physio, own)

    assert "10:15" in times
    assert not {"13:00", "14:00", "15:00"} & set(times)


def test_moving_with_any_practitioner_offers_its_own_start_from_a_colleague(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    own = insert_appointment(patient, physio, visit, local(clinic, TUESDAY, "12:00"))

    start = local(clinic, TUESDAY, "00:00")
    offered = selectors.available_slots(
        appointment_type=visit,
        practitioner=None,
        start=start,
        end=start + timedelta(days=1),
        now=NOW,
        exclude_appointment_id=own.pk,
    )

    by_time = {s.start.astimezone(clinic.zone).strftime("%H:%M"): s.practitioner_id for s in offered}
    assert by_time["12:00"] == colleague.pk  # another practitioner at the same time is a real move
    assert "12:15" in by_time


# --- A fixed number of queries --------------------------------------------------------


@pytest.fixture
def busy_clinic(clinic: Clinic, visit: AppointmentType) -> tuple[AppointmentType, list[Practitioner]]:
    """Three practitioners, six days a week, with three appointments a day each for four weeks."""
    team = [
        make_practitioner(clinic, weekdays=range(6), hours=[(time(8), time(12)), (time(13), time(18))])
        for _ in range(3)
    ]
    patients = [make_patient() for _ in range(3)]
    for offset in range(28):
        day = TUESDAY + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for who, patient, hh_mm in zip(team, patients, ["08:00", "13:00", "16:00"], strict=True):
            insert_appointment(patient, who, visit, local(clinic, day, hh_mm))
        make_time_off(team[offset % 3], local(clinic, day, "10:00"), local(clinic, day, "11:00"))
    kind = AppointmentType.objects.select_related("clinic").get(pk=visit.pk)
    return kind, team


@pytest.mark.parametrize("days", [1, 28])
@pytest.mark.parametrize("anyone", [False, True], ids=["one-practitioner", "any"])
def test_available_slots_uses_the_same_few_queries_whatever_the_range(
    days: int, anyone: bool, busy_clinic: tuple[AppointmentType, list[Practitioner]], django_assert_num_queries: Any
) -> None:
    kind, team = busy_clinic

    with django_assert_num_queries(5):
        offered = slots(kind, None if anyone else team[1], days=days)

    assert offered
    assert len({s.start for s in offered}) == len(offered)


def test_moving_an_appointment_costs_no_extra_query(
    busy_clinic: tuple[AppointmentType, list[Practitioner]], django_assert_num_queries: Any
) -> None:
    kind, team = busy_clinic
    own = Appointment.objects.filter(practitioner=team[1]).order_by("start").first()
    assert own is not None
    start = local(kind.clinic, TUESDAY, "00:00")

    with django_assert_num_queries(5):
        offered = selectors.available_slots(
            appointment_type=kind,
            practitioner=None,
            start=start,
            end=start + timedelta(days=28),
            now=NOW,
            exclude_appointment_id=own.pk,
        )

    assert offered


@pytest.mark.parametrize(("days", "appointments"), [(1, 6), (28, 72)])
def test_load_schedules_uses_four_queries_whatever_the_range(
    days: int,
    appointments: int,
    busy_clinic: tuple[AppointmentType, list[Practitioner]],
    django_assert_num_queries: Any,
) -> None:
    kind, team = busy_clinic
    start = local(kind.clinic, TUESDAY, "00:00")

    with django_assert_num_queries(4):
        schedules = selectors.load_schedules(
            clinic=kind.clinic,
            practitioner_ids=[p.pk for p in team],
            start=start,
            end=start + timedelta(days=days),
            now=NOW,
        )

    assert set(schedules) == {p.pk for p in team}
    assert all(len(s.working_hours) == 12 and s.credentials for s in schedules.values())
    # The range is padded by a day each side, for neighbours' buffers.
    assert sum(len(s.busy) for s in schedules.values()) == appointments


def test_no_offered_slot_overlaps_a_busy_span(busy_clinic: tuple[AppointmentType, list[Practitioner]]) -> None:
    kind, team = busy_clinic

    for who in team:
        blocked = list(Appointment.objects.filter(practitioner=who).values_list("blocked_start", "blocked_end")) + list(
            who.time_off.values_list("start", "end")
        )
        for slot in slots(kind, who, days=28):
            span_start, span_end = slot.start - minutes(10), slot.end + minutes(15)
            assert not any(b_start < span_end and span_start < b_end for b_start, b_end in blocked), slot
