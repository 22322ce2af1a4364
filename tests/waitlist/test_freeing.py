"""Every event that frees time records a FreedSlot (and queues the fill after commit); a
visit booked without the waitlist marks the freed time booked elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, time, timedelta
from typing import Any

import pytest
import time_machine

from accounts.models import User
from booking import consent_flow, services
from booking.models import Appointment
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import make_time_off
from tests.waitlist.factories import join
from tests.workspace.factories import MONDAY, NOW, REVIEW, Desk, book_needling, book_plain, make_desk
from waitlist.models import Entry, FreedSlot, Offer
from waitlist.selectors.matching import matches_for
from waitlist.services.freeing import record_freed
from workspace.schedule_rules import Window
from workspace.services import schedule

pytestmark = pytest.mark.django_db
WEDNESDAY = MONDAY + timedelta(days=2)
Cause = FreedSlot.Cause


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


@pytest.fixture(autouse=True)
def _at_now() -> Iterator[None]:
    # The receivers read the clock: freed time is clipped to the future.
    with time_machine.travel(NOW, tick=False):
        yield


def only_slot(**filters: Any) -> FreedSlot:
    return FreedSlot.objects.get(**filters)


def test_a_cancellation_frees_the_visit_s_blocked_time_and_queues_the_fill(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    patient = make_patient()
    visit = book_needling(desk, patient, desk.at("10:00", WEDNESDAY))
    waiting = join(make_patient(), desk.needling)
    with django_capture_on_commit_callbacks() as callbacks:
        services.cancel_appointment(visit, actor=patient.user)
    slot = only_slot(cause=Cause.CANCELLED)
    assert (slot.start, slot.end) == (visit.blocked_start, visit.blocked_end)  # the 10 minutes after too
    assert slot.source_id == visit.pk and slot.practitioner == desk.alex and slot.clinic == desk.clinic
    assert slot.outcome == FreedSlot.Outcome.OPEN
    assert any(getattr(c, "__qualname__", "").startswith("record_freed") for c in callbacks)
    # What the fill task hands to offer_slot: the waiting entry at the freed start.
    assert [(m.entry.pk, m.start) for m in matches_for(slot)] == [(waiting.pk, visit.start)]


def test_a_move_frees_the_old_time(desk: Desk) -> None:
    patient = make_patient()
    visit = book_plain(desk, patient, desk.at("10:00", WEDNESDAY))
    services.reschedule_appointment(visit, actor=patient.user, start=desk.at("14:00", WEDNESDAY))
    slot = only_slot(cause=Cause.MOVED)
    assert (slot.start, slot.end) == (desk.at("10:00", WEDNESDAY), desk.at("10:45", WEDNESDAY))
    assert slot.source_id == visit.pk


def test_a_move_to_another_practitioner_frees_the_first_one_s_time(desk: Desk) -> None:
    patient = make_patient()
    visit = book_plain(desk, patient, desk.at("10:00", WEDNESDAY))
    services.reschedule_appointment(visit, actor=patient.user, start=visit.start, practitioner=desk.priya)
    assert only_slot(cause=Cause.MOVED).practitioner == desk.alex


def test_a_declined_review_frees_the_time(desk: Desk) -> None:
    visit = book_needling(desk, make_patient(), desk.at("10:00", WEDNESDAY), answers=REVIEW)
    assert visit.status == Appointment.Status.PENDING_REVIEW
    consent_flow.decide_review(visit, reviewer=desk.alex.user, approve=False, note="Not today")
    slot = only_slot(cause=Cause.DECLINED)
    assert (slot.start, slot.source_id) == (visit.blocked_start, visit.pk)


def test_each_expired_hold_frees_its_own_time(desk: Desk) -> None:
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        first = services.hold_appointment(
            make_patient(), appointment_type=desk.plain, start=desk.at("10:00", WEDNESDAY), practitioner=desk.alex
        )
        second = services.hold_appointment(
            make_patient(), appointment_type=desk.plain, start=desk.at("10:00", WEDNESDAY), practitioner=desk.priya
        )
    assert services.release_expired_holds() == 2
    slots = FreedSlot.objects.filter(cause=Cause.HOLD_EXPIRED)
    assert {(s.source_id, s.practitioner_id) for s in slots} == {
        (first.pk, desk.alex.pk),
        (second.pk, desk.priya.pk),
    }


def test_an_expired_offer_hold_is_left_to_the_offers(desk: Desk) -> None:
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        patient = make_patient()
        hold = services.hold_appointment(
            patient, appointment_type=desk.plain, start=desk.at("10:00", WEDNESDAY), practitioner=desk.alex
        )
    earlier = FreedSlot.objects.create(
        clinic=desk.clinic, practitioner=desk.alex, start=hold.start, end=hold.end, cause=Cause.CANCELLED
    )
    Offer.objects.create(
        slot=earlier,
        entry=join(patient, desk.plain),
        start=hold.start,
        appointment_type=desk.plain,
        practitioner=desk.alex,
        token_hash="0" * 64,
        hold=hold,
        expires_at=NOW,
    )
    services.release_expired_holds()
    assert not FreedSlot.objects.filter(cause=Cause.HOLD_EXPIRED).exists()


def test_a_claimed_offer_s_visit_frees_time_when_cancelled(desk: Desk) -> None:
    patient = make_patient()
    visit = book_plain(desk, patient, desk.at("10:00", WEDNESDAY))
    earlier = FreedSlot.objects.create(
        clinic=desk.clinic, practitioner=desk.alex, start=visit.start, end=visit.end, cause=Cause.CANCELLED
    )
    Offer.objects.create(
        slot=earlier,
        entry=join(patient, desk.plain),
        start=visit.start,
        appointment_type=desk.plain,
        practitioner=desk.alex,
        token_hash="3" * 64,
        hold=visit,
        claimed=visit,
        claimed_at=NOW,
        status=Offer.Status.CLAIMED,
        expires_at=NOW,
    )
    services.cancel_appointment(visit, actor=patient.user)
    assert FreedSlot.objects.filter(cause=Cause.CANCELLED, source=visit).exists()


def test_removed_time_off_frees_the_working_hours_it_covered(desk: Desk) -> None:
    off = make_time_off(desk.alex, desk.at("12:00", WEDNESDAY), desk.at("20:00", WEDNESDAY))
    schedule.remove_time_off(off, actor=desk.admin)
    slot = only_slot(cause=Cause.TIME_OFF_REMOVED)
    assert (slot.start, slot.end) == (desk.at("12:00", WEDNESDAY), desk.at("17:00", WEDNESDAY))  # hours end at 17


def test_removed_time_off_frees_only_the_next_14_days_and_not_other_time_off(desk: Desk) -> None:
    off = make_time_off(desk.alex, desk.at("00:00", MONDAY), desk.at("00:00", MONDAY + timedelta(days=30)))
    make_time_off(desk.alex, desk.at("09:00", WEDNESDAY), desk.at("17:00", WEDNESDAY), reason="Course")
    schedule.remove_time_off(off, actor=desk.admin)
    slots = FreedSlot.objects.filter(cause=Cause.TIME_OFF_REMOVED)
    days = sorted(s.start.astimezone(desk.clinic.zone).date() for s in slots)
    assert WEDNESDAY not in days
    assert days[0] == MONDAY and days[-1] == MONDAY + timedelta(days=13)  # 14 days from Monday 09:00
    assert all(s.start >= NOW for s in slots)  # Monday from now (09:00), not from midnight


def test_new_working_hours_free_the_added_hours(desk: Desk) -> None:
    windows = [Window(day, time(9), time(18)) for day in range(7)]
    schedule.set_working_hours(desk.alex, clinic=desk.clinic, windows=windows, actor=desk.admin)
    slots = list(FreedSlot.objects.filter(cause=Cause.HOURS_CHANGED).order_by("start"))
    assert len(slots) == 14  # 17:00 to 18:00 on each of the 14 days from now
    assert all(s.start.astimezone(desk.clinic.zone).time() == time(17) for s in slots)
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)


def test_unchanged_hours_free_nothing(desk: Desk) -> None:
    windows = [Window(day, time(9), time(17)) for day in range(7)]
    schedule.set_working_hours(desk.alex, clinic=desk.clinic, windows=windows, actor=desk.admin)
    assert not FreedSlot.objects.exists()


def test_past_time_is_clipped_and_wholly_past_time_is_not_recorded(desk: Desk) -> None:
    slot = record_freed(
        practitioner=desk.alex, start=NOW - timedelta(hours=1), end=NOW + timedelta(hours=1), cause=Cause.CANCELLED
    )
    assert slot is not None and slot.start == NOW
    assert record_freed(practitioner=desk.alex, start=NOW - timedelta(hours=2), end=NOW, cause=Cause.CANCELLED) is None


def test_adjacent_freed_times_merge_until_an_offer_is_out(desk: Desk) -> None:
    ten, half, eleven = desk.at("10:00", WEDNESDAY), desk.at("10:30", WEDNESDAY), desk.at("11:00", WEDNESDAY)
    first = record_freed(practitioner=desk.alex, start=ten, end=half, cause=Cause.CANCELLED)
    second = record_freed(practitioner=desk.alex, start=half, end=eleven, cause=Cause.CANCELLED)
    assert first is not None and second is not None and first.pk == second.pk
    assert (second.start, second.end) == (ten.astimezone(UTC), eleven.astimezone(UTC))
    Offer.objects.create(
        slot=second,
        entry=join(make_patient(), desk.plain),
        start=ten,
        appointment_type=desk.plain,
        practitioner=desk.alex,
        token_hash="1" * 64,
        expires_at=NOW + timedelta(minutes=30),
    )
    third = record_freed(practitioner=desk.alex, start=eleven, end=desk.at("11:30", WEDNESDAY), cause=Cause.CANCELLED)
    assert third is not None and third.pk != second.pk


def test_a_visit_booked_without_the_waitlist_marks_the_freed_time_booked_elsewhere(desk: Desk) -> None:
    freed = record_freed(
        practitioner=desk.alex,
        start=desk.at("10:00", WEDNESDAY),
        end=desk.at("11:00", WEDNESDAY),
        cause=Cause.CANCELLED,
    )
    untouched = record_freed(
        practitioner=desk.alex,
        start=desk.at("14:00", WEDNESDAY),
        end=desk.at("15:00", WEDNESDAY),
        cause=Cause.CANCELLED,
    )
    book_plain(desk, make_patient(), desk.at("10:15", WEDNESDAY))
    assert freed is not None and untouched is not None
    freed.refresh_from_db()
    untouched.refresh_from_db()
    assert freed.outcome == FreedSlot.Outcome.BOOKED_ELSEWHERE
    assert untouched.outcome == FreedSlot.Outcome.OPEN


def test_a_visit_of_the_patient_offered_the_time_is_left_to_the_offers(desk: Desk) -> None:
    patient = make_patient()
    freed = record_freed(
        practitioner=desk.alex,
        start=desk.at("10:00", WEDNESDAY),
        end=desk.at("11:00", WEDNESDAY),
        cause=Cause.CANCELLED,
    )
    assert freed is not None
    Offer.objects.create(
        slot=freed,
        entry=join(patient, desk.plain),
        start=freed.start,
        appointment_type=desk.plain,
        practitioner=desk.alex,
        token_hash="2" * 64,
        expires_at=NOW + timedelta(minutes=30),
    )
    book_plain(desk, patient, desk.at("10:00", WEDNESDAY))
    freed.refresh_from_db()
    assert freed.outcome == FreedSlot.Outcome.OPEN
    assert Entry.objects.filter(patient=patient).exists()


def test_a_rolled_back_change_leaves_no_freed_time(desk: Desk) -> None:
    patient = make_patient()
    visit = book_plain(desk, patient, desk.at("10:00", WEDNESDAY))
    with pytest.raises(RuntimeError), time_machine.travel(NOW, tick=False):
        from django.db import transaction

        with transaction.atomic():
            services.cancel_appointment(visit, actor=patient.user)
            raise RuntimeError("the request failed after the cancel")
    assert not FreedSlot.objects.exists()
