"""Joining, changing and leaving the waitlist, and the entries that end by themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.models import Patient
from booking import services as booking_services
from booking.models import Appointment
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.waitlist.factories import insert_entry, wish
from tests.workspace.factories import MONDAY, NOW, Desk, book_plain
from waitlist import tasks
from waitlist.models import Entry
from waitlist.services import entries
from waitlist.services.entries import DuplicateEntry, EntryNotWaiting, InvalidEntry, TooManyEntries

pytestmark = pytest.mark.usefixtures("frozen")
Status = Entry.Status


def test_joining_keeps_the_wish_in_a_tidy_order(desk: Desk, patient: Patient) -> None:
    entry = entries.join(patient, data=wish(desk, weekdays=[4, 0], parts_of_day=["evening", "morning"]))

    assert entry.status == Status.WAITING
    assert entry.clinic == desk.clinic
    assert entry.weekdays == [0, 4]
    assert entry.parts_of_day == ["morning", "evening"]
    assert entry.joined_at == NOW


def test_every_bad_field_is_named_at_once(desk: Desk, patient: Patient) -> None:
    bad = wish(
        desk,
        first_day=MONDAY - timedelta(days=2),
        last_day=MONDAY + timedelta(days=120),
        weekdays=[1, 1, 9],
        parts_of_day=["night"],
        notice_minutes=8 * 24 * 60,
    )
    with pytest.raises(InvalidEntry) as refused:
        entries.join(patient, data=bad)

    assert set(refused.value.fields) == {"first_day", "last_day", "weekdays", "parts_of_day", "notice_minutes"}
    assert not Entry.objects.exists()


def test_a_first_day_that_passed_at_midnight_while_the_form_was_open_starts_today(desk: Desk, patient: Patient) -> None:
    # The page offered Sunday 31 May as the first day; the patient sent it after the midnight.
    entry = entries.join(patient, data=wish(desk, first_day=MONDAY - timedelta(days=1)))

    assert entry.first_day == MONDAY


def test_a_first_day_two_days_gone_is_still_refused(desk: Desk, patient: Patient) -> None:
    with pytest.raises(InvalidEntry) as refused:
        entries.join(patient, data=wish(desk, first_day=MONDAY - timedelta(days=2)))

    assert list(refused.value.fields) == ["first_day"]


def test_a_range_ending_before_it_starts_is_refused(desk: Desk, patient: Patient) -> None:
    with pytest.raises(InvalidEntry) as refused:
        entries.join(patient, data=wish(desk, last_day=MONDAY - timedelta(days=1)))

    assert list(refused.value.fields) == ["last_day"]


def test_an_inactive_treatment_or_a_practitioner_who_does_not_offer_it_is_refused(desk: Desk, patient: Patient) -> None:
    other = make_clinic()
    elsewhere = make_practitioner(other, types=[make_type(other)])
    with pytest.raises(InvalidEntry) as refused:
        entries.join(patient, data=wish(desk, practitioner=elsewhere))
    assert list(refused.value.fields) == ["practitioner"]

    desk.plain.active = False
    desk.plain.save()
    with pytest.raises(InvalidEntry) as refused:
        entries.join(patient, data=wish(desk))
    assert list(refused.value.fields) == ["appointment_type"]


def test_sms_needs_a_phone_on_the_patients_record(desk: Desk, patient: Patient) -> None:
    with pytest.raises(InvalidEntry) as refused:
        entries.join(patient, data=wish(desk, reach_by="sms"))
    assert list(refused.value.fields) == ["reach_by"]

    patient.phone = "+447911123456"
    patient.save()
    assert entries.join(patient, data=wish(desk, reach_by="sms")).reach_by == "sms"


def test_the_same_wish_twice_is_a_conflict(desk: Desk, patient: Patient) -> None:
    entries.join(patient, data=wish(desk, weekdays=[0, 2]))

    with pytest.raises(DuplicateEntry):
        entries.join(patient, data=wish(desk, weekdays=[2, 0]))
    entries.join(patient, data=wish(desk, weekdays=[2]))  # a different wish is fine

    assert Entry.objects.count() == 2


def test_a_patient_waits_in_at_most_five_entries(desk: Desk, patient: Patient, other_patient: Patient) -> None:
    for days in range(5):
        entries.join(patient, data=wish(desk, last_day=MONDAY + timedelta(days=days)))

    with pytest.raises(TooManyEntries):
        entries.join(patient, data=wish(desk, last_day=MONDAY + timedelta(days=20)))

    entries.leave(Entry.objects.filter(patient=patient).first(), actor=patient.user)  # type: ignore[arg-type]
    entries.join(patient, data=wish(desk, last_day=MONDAY + timedelta(days=20)))
    entries.join(other_patient, data=wish(desk))


def test_leaving_ends_the_entry_once(desk: Desk, patient: Patient) -> None:
    entry = entries.join(patient, data=wish(desk))

    left = entries.leave(entry, actor=patient.user)

    assert (left.status, left.ended_at) == (Status.LEFT, NOW)
    with pytest.raises(EntryNotWaiting):
        entries.leave(entry, actor=patient.user)
    with pytest.raises(EntryNotWaiting):
        entries.change(entry, data=wish(desk), actor=patient.user)


def test_a_change_keeps_the_place_in_the_queue(desk: Desk, patient: Patient, time_machine: object) -> None:
    entry = entries.join(patient, data=wish(desk))
    later = NOW + timedelta(days=3)
    time_machine.move_to(later, tick=False)  # type: ignore[attr-defined]

    changed = entries.change(
        entry, data=wish(desk, practitioner=desk.priya, notice_minutes=24 * 60), actor=patient.user, now=later
    )

    # The first day has passed by now, and the change may keep it.
    assert changed.first_day == MONDAY
    assert (changed.practitioner, changed.notice_minutes, changed.joined_at) == (desk.priya, 24 * 60, NOW)
    with pytest.raises(InvalidEntry) as refused:
        entries.change(entry, data=wish(desk, first_day=MONDAY + timedelta(days=1)), actor=patient.user, now=later)
    assert list(refused.value.fields) == ["first_day"]


def test_a_confirmed_visit_ends_the_entries_it_satisfies(desk: Desk, patient: Patient) -> None:
    visit_day = MONDAY + timedelta(days=9)  # Wednesday 10 June
    anyone = insert_entry(patient, desk.plain)
    with_alex = insert_entry(patient, desk.plain, practitioner=desk.alex, weekdays=[4], parts_of_day=["evening"])
    with_priya = insert_entry(patient, desk.plain, practitioner=desk.priya)
    needling = insert_entry(patient, desk.needling)
    too_early = insert_entry(patient, desk.plain, last_day=visit_day - timedelta(days=1))
    someone_else = insert_entry(make_patient(), desk.plain)

    visit = book_plain(desk, patient, desk.at("10:00", visit_day), practitioner=desk.alex)

    assert visit.status == Appointment.Status.CONFIRMED
    for satisfied in (anyone, with_alex):
        satisfied.refresh_from_db()
        assert (satisfied.status, satisfied.booked) == (Status.BOOKED, visit)
        assert satisfied.ended_at is not None
    for untouched in (with_priya, needling, too_early, someone_else):
        untouched.refresh_from_db()
        assert (untouched.status, untouched.booked) == (Status.WAITING, None)


def test_a_held_visit_ends_nothing_until_it_is_confirmed(desk: Desk, patient: Patient) -> None:
    entry = insert_entry(patient, desk.plain)
    held = booking_services.hold_appointment(
        patient, appointment_type=desk.plain, start=desk.at("10:00", MONDAY + timedelta(days=2)), practitioner=desk.alex
    )
    entry.refresh_from_db()
    assert entry.status == Status.WAITING

    booking_services.confirm_appointment(held, actor=patient.user)
    entry.refresh_from_db()
    assert (entry.status, entry.booked_id) == (Status.BOOKED, held.pk)


def test_entries_end_after_their_last_day_in_the_clinics_zone_across_a_clock_change(
    desk: Desk, patient: Patient
) -> None:
    # London moves to summer time at 01:00 UTC on Sunday 29 March 2026; the range crosses it.
    last_day = date(2026, 3, 29)
    entry = insert_entry(patient, desk.plain, first_day=date(2026, 3, 20), last_day=last_day)
    tokyo = make_clinic(time_zone="Asia/Tokyo")
    far_east = insert_entry(patient, make_type(tokyo), first_day=date(2026, 3, 20), last_day=last_day)
    make_practitioner(tokyo)

    # 22:30 UTC is 23:30 BST: still the 29th in London, while Tokyo's 30th has begun.
    assert entries.end_past(datetime(2026, 3, 29, 22, 30, tzinfo=UTC)) == 1
    entry.refresh_from_db()
    far_east.refresh_from_db()
    assert (entry.status, far_east.status) == (Status.WAITING, Status.ENDED)

    ended_at = datetime(2026, 3, 29, 23, 0, tzinfo=UTC)  # midnight BST: London's 30th, still the 29th in UTC
    assert entries.end_past(ended_at) == 1
    entry.refresh_from_db()
    assert (entry.status, entry.ended_at) == (Status.ENDED, ended_at)
    assert entries.end_past(ended_at + timedelta(days=1)) == 0


def test_the_beat_task_ends_the_past_entries(desk: Desk, patient: Patient) -> None:
    past = insert_entry(patient, desk.plain, first_day=MONDAY - timedelta(days=10), last_day=MONDAY - timedelta(days=1))
    current = insert_entry(patient, desk.plain)

    assert tasks.end_past_entries() == 1

    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.status, past.ended_at, current.status) == (Status.ENDED, NOW, Status.WAITING)
