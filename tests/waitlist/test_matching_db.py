"""matches_for on PostgreSQL: joining order, busy and screening-blocked patients, notice, the
practitioner's own grid, and a query count that does not grow with the waitlist."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from accounts.models import Patient, User
from booking import consent_flow
from booking.models import Appointment
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import insert_appointment
from tests.waitlist.factories import freed_slot, join
from tests.workspace.factories import MONDAY, NOW, Desk, make_desk
from waitlist.models import Entry
from waitlist.selectors.matching import matches_for

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


def test_matches_come_in_the_order_patients_joined_at_the_first_grid_start(desk: Desk) -> None:
    patients = [make_patient() for _ in range(3)]
    second = join(patients[0], desk.plain, joined=NOW - timedelta(hours=2))
    first = join(patients[1], desk.plain, joined=NOW - timedelta(hours=5))
    third = join(patients[2], desk.plain, joined=NOW - timedelta(hours=1))
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    matches = matches_for(slot, now=NOW)
    assert [m.entry.pk for m in matches] == [first.pk, second.pk, third.pk]
    assert {m.start for m in matches} == {desk.at("10:00", TUESDAY)}
    assert {m.appointment_type.pk for m in matches} == {desk.plain.pk}


def test_the_treatment_must_fit_with_its_buffers(desk: Desk) -> None:
    join(make_patient(), desk.needling)  # 30 minutes + 10 after: needs 40
    join(make_patient(), desk.plain)  # 45 minutes
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("10:40", TUESDAY))
    assert [m.appointment_type.pk for m in matches_for(slot, now=NOW)] == [desk.needling.pk]


def test_an_entry_for_another_practitioner_is_skipped_and_any_is_kept(desk: Desk) -> None:
    mine = join(make_patient(), desk.plain, practitioner=desk.alex)
    theirs = join(make_patient(), desk.plain, practitioner=desk.priya)
    anyone = join(make_patient(), desk.plain)
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    found = [m.entry.pk for m in matches_for(slot, now=NOW)]
    assert mine.pk in found and anyone.pk in found and theirs.pk not in found


def test_a_patient_with_a_visit_then_is_skipped_whoever_it_is_with(desk: Desk) -> None:
    busy, free = make_patient(), make_patient()
    join(busy, desk.plain, joined=NOW - timedelta(days=1))
    kept = join(free, desk.plain)
    insert_appointment(busy, desk.priya, desk.plain, desk.at("10:30", TUESDAY))
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    assert [m.entry.pk for m in matches_for(slot, now=NOW)] == [kept.pk]


def test_a_cancelled_visit_does_not_make_a_patient_busy(desk: Desk) -> None:
    patient = make_patient()
    entry = join(patient, desk.plain)
    insert_appointment(patient, desk.priya, desk.plain, desk.at("10:30", TUESDAY), status=Appointment.Status.CANCELLED)
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    assert [m.entry.pk for m in matches_for(slot, now=NOW)] == [entry.pk]


def screen(desk: Desk, patient: Patient, answers: dict[str, str], at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        consent_flow.screen(
            patient, questionnaire=desk.questionnaire, answers=answers, clinic=desk.clinic, visit_day=TUESDAY
        )


def test_a_patient_blocked_by_screening_is_not_offered_needling(desk: Desk) -> None:
    blocked, cleared, reviewed = make_patient(), make_patient(), make_patient()
    screen(desk, blocked, {"needle_fear": "yes", "diabetes": "no"}, NOW - timedelta(days=3))
    screen(desk, cleared, {"needle_fear": "yes", "diabetes": "no"}, NOW - timedelta(days=3))
    screen(desk, cleared, {"needle_fear": "no", "diabetes": "no"}, NOW - timedelta(days=2))  # newer answers
    screen(desk, reviewed, {"needle_fear": "no", "diabetes": "yes"}, NOW - timedelta(days=2))
    for patient in (blocked, cleared, reviewed):
        join(patient, desk.needling)
    plain = join(blocked, desk.plain, joined=NOW + timedelta(minutes=1))
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    found = [(m.entry.patient_id, m.appointment_type.pk) for m in matches_for(slot, now=NOW)]
    assert (blocked.pk, desk.needling.pk) not in found
    assert (cleared.pk, desk.needling.pk) in found and (reviewed.pk, desk.needling.pk) in found
    # Blocked for needling only: the treatment without needling is still offered.
    assert (blocked.pk, plain.appointment_type_id) in found


def test_notice_is_respected(desk: Desk) -> None:
    relaxed = join(make_patient(), desk.plain, notice_minutes=120)
    join(make_patient(), desk.plain, notice_minutes=48 * 60)
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))  # 25 hours ahead
    assert [m.entry.pk for m in matches_for(slot, now=NOW)] == [relaxed.pk]


def test_ended_or_left_entries_and_other_days_are_not_matched(desk: Desk) -> None:
    join(make_patient(), desk.plain, status=Entry.Status.LEFT)
    join(make_patient(), desk.plain, first_day=MONDAY + timedelta(days=2))
    join(make_patient(), desk.plain, weekdays=[0])
    join(make_patient(), desk.plain, parts_of_day=["afternoon"])
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    assert matches_for(slot, now=NOW) == []


def test_time_the_practitioner_is_busy_with_again_is_not_offered(desk: Desk) -> None:
    join(make_patient(), desk.plain)
    insert_appointment(make_patient(), desk.alex, desk.plain, desk.at("10:00", TUESDAY))
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    assert matches_for(slot, now=NOW) == []


def test_dst_a_freed_morning_on_the_day_the_clocks_go_back(desk: Desk) -> None:
    sunday = date(2026, 10, 25)
    now = desk.at("09:00", date(2026, 10, 23))
    entry = join(make_patient(), desk.plain, first_day=sunday, last_day=sunday, weekdays=[6], parts_of_day=["morning"])
    slot = freed_slot(desk, desk.at("10:00", sunday), desk.at("11:00", sunday))
    matches = matches_for(slot, now=now)
    assert [m.entry.pk for m in matches] == [entry.pk]
    assert matches[0].start == desk.at("10:00", sunday)


def test_the_number_of_queries_does_not_grow_with_the_waitlist(desk: Desk, django_assert_max_num_queries: Any) -> None:
    slot = freed_slot(desk, desk.at("10:00", TUESDAY), desk.at("11:00", TUESDAY))
    for i in range(3):
        patient = make_patient()
        screen(desk, patient, {"needle_fear": "no", "diabetes": "no"}, NOW - timedelta(days=1))
        join(patient, desk.needling if i % 2 else desk.plain)
        insert_appointment(patient, desk.priya, desk.plain, desk.at("15:00", TUESDAY + timedelta(days=i + 1)))
    with django_assert_max_num_queries(12):
        few = matches_for(slot, now=NOW)
    for i in range(40):
        patient = make_patient()
        screen(desk, patient, {"needle_fear": "no", "diabetes": "no"}, NOW - timedelta(days=1))
        join(patient, desk.needling if i % 2 else desk.plain)
        insert_appointment(patient, desk.priya, desk.plain, desk.at("15:00", TUESDAY + timedelta(days=i + 5)))
    with django_assert_max_num_queries(12):
        many = matches_for(slot, now=NOW)
    assert len(few) == 3 and len(many) == 43
