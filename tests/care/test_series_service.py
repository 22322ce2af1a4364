"""Series booking on PostgreSQL: propose, book all or nothing, consent, DST, and one visit's
cancel or move leaving the rest alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from accounts.models import Patient
from booking import services as booking
from booking.models import Appointment, AppointmentEvent
from care.models import CourseVisit, PlanStatus
from care.selectors.series import unbooked_after_last
from care.services import series
from tests.care.series_helpers import live_course, make_plan
from tests.workspace.factories import CLEAR, Desk, book_plain, screen_and_sign

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TUESDAY = 1
LONDON_TWO = time(14)


def days(appointments: list[Appointment], desk: Desk) -> list[date]:
    return [a.start.astimezone(desk.clinic.zone).date() for a in appointments]


def test_six_weekly_visits_are_proposed_on_the_chosen_weekday_and_time(
    desk: Desk, patient: Patient, frozen: None
) -> None:
    plan = make_plan(desk, patient)
    proposal = series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert [v.number for v in proposal.visits] == [1, 2, 3, 4, 5, 6]
    local = [v.start.astimezone(desk.clinic.zone) for v in proposal.visits if v.start]
    assert [d.date() for d in local] == [date(2026, 6, 2) + timedelta(weeks=n) for n in range(6)]
    assert {d.time() for d in local} == {LONDON_TWO}
    assert proposal.complete and proposal.consent == "none"


def test_booking_confirms_every_visit_and_links_it_to_the_course(desk: Desk, patient: Patient, frozen: None) -> None:
    plan = make_plan(desk, patient)
    booked = series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert booked.needs_consent is None
    visits = live_course(plan)
    assert len(visits) == 6 and {a.status for a in visits} == {Appointment.Status.CONFIRMED}
    assert {a.practitioner_id for a in visits} == {desk.alex.pk}
    assert {a.appointment_type_id for a in visits} == {desk.plain.pk}
    assert sorted(CourseVisit.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert unbooked_after_last(plan) == 0
    confirmed = AppointmentEvent.objects.filter(action="confirmed", appointment__in=visits, actor=patient.user)
    assert confirmed.count() == 6


def test_a_taken_time_is_moved_and_says_why(desk: Desk, patient: Patient, other_patient: Patient, frozen: None) -> None:
    book_plain(desk, other_patient, desk.at("14:00", date(2026, 6, 9)))
    plan = make_plan(desk, patient)
    series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    second = CourseVisit.objects.get(plan=plan, number=2)
    assert second.moved == CourseVisit.Moved.OTHER_TIME
    assert "nearest free time" in second.moved_reason
    assert second.appointment.start.astimezone(desk.clinic.zone).date() == date(2026, 6, 9)
    assert CourseVisit.objects.get(plan=plan, number=3).moved == ""


def test_a_stale_proposal_books_nothing_and_offers_a_new_one(
    desk: Desk, patient: Patient, other_patient: Patient, frozen: None
) -> None:
    plan = make_plan(desk, patient)
    seen = series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO)
    fourth = seen.visits[3].start
    assert fourth is not None
    book_plain(desk, other_patient, fourth)
    with pytest.raises(series.SeriesChanged) as refused:
        series.book_series(
            plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO, starts=[s for s in seen.starts if s]
        )
    assert refused.value.proposal is not None and refused.value.proposal.visits[3].moved == "other_time"
    assert not CourseVisit.objects.filter(plan=plan).exists()
    assert not Appointment.objects.filter(patient=patient).exists()


def test_a_session_with_no_free_time_refuses_the_whole_series(desk: Desk, patient: Patient, frozen: None) -> None:
    plan = make_plan(desk, patient, sessions_planned=12)  # the 12th is beyond the 60 days bookings open
    with pytest.raises(series.SeriesIncomplete) as refused:
        series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert refused.value.session is not None and refused.value.session > 6
    assert not Appointment.objects.filter(patient=patient).exists()


def test_the_wall_clock_time_is_kept_through_the_autumn_change(desk: Desk, patient: Patient) -> None:
    with time_machine.travel(datetime(2026, 10, 12, 8, tzinfo=UTC), tick=False):
        plan = make_plan(desk, patient, sessions_planned=4)
        series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=time(10))
    visits = live_course(plan)
    assert [a.start.astimezone(desk.clinic.zone).time() for a in visits] == [time(10)] * 4
    # BST (UTC+1) until 25 October, then GMT.
    assert [a.start.astimezone(UTC).hour for a in visits] == [9, 9, 10, 10]
    assert days(visits, desk) == [date(2026, 10, 13), date(2026, 10, 20), date(2026, 10, 27), date(2026, 11, 3)]


def test_cancelling_one_visit_leaves_the_others_and_frees_its_session(
    desk: Desk, patient: Patient, frozen: None
) -> None:
    plan = make_plan(desk, patient, sessions_planned=4)
    series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    third = CourseVisit.objects.get(plan=plan, number=3).appointment
    booking.cancel_appointment(third, actor=patient.user)
    kept = live_course(plan)
    assert len(kept) == 3 and third.pk not in {a.pk for a in kept}
    assert {a.status for a in kept} == {Appointment.Status.CONFIRMED}
    assert unbooked_after_last(plan) == 1
    again = series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert [v.number for v in again.visits] == [3]
    # After the last booked visit (23 June), a week on.
    assert again.visits[0].start is not None
    assert again.visits[0].start.astimezone(desk.clinic.zone).date() == date(2026, 6, 30)


def test_moving_one_visit_leaves_the_others(desk: Desk, patient: Patient, frozen: None) -> None:
    plan = make_plan(desk, patient, sessions_planned=4)
    series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    before = {a.pk: a.start for a in live_course(plan)}
    second = CourseVisit.objects.get(plan=plan, number=2).appointment
    new_start = desk.at("11:00", date(2026, 6, 10))
    booking.reschedule_appointment(second, actor=patient.user, start=new_start)
    after = {a.pk: a.start for a in live_course(plan)}
    assert after[second.pk] == new_start
    assert {pk: s for pk, s in after.items() if pk != second.pk} == {
        pk: s for pk, s in before.items() if pk != second.pk
    }
    assert CourseVisit.objects.get(plan=plan, number=2).appointment_id == second.pk
    assert unbooked_after_last(plan) == 0


def test_a_closed_plan_cannot_be_booked(desk: Desk, patient: Patient, frozen: None) -> None:
    plan = make_plan(desk, patient, status=PlanStatus.ON_HOLD)
    with pytest.raises(series.PlanNotOpen):
        series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)


def test_a_fully_booked_plan_has_nothing_left_to_book(desk: Desk, patient: Patient, frozen: None) -> None:
    plan = make_plan(desk, patient, sessions_planned=2)
    series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    with pytest.raises(series.NothingToBook):
        series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)


def test_needling_without_consent_holds_the_first_visit_for_the_consent_steps(
    desk: Desk, patient: Patient, frozen: None
) -> None:
    plan = make_plan(desk, patient, kind=desk.needling, sessions_planned=4)
    proposal = series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert proposal.consent == "first_visit"
    booked = series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert booked.needs_consent is not None and booked.needs_consent.status == Appointment.Status.HELD
    assert [v.number for v in booked.visits] == [1]
    screen_and_sign(desk, patient, booked.needs_consent, CLEAR, visit_day=date(2026, 6, 2))
    assert Appointment.objects.get(pk=booked.needs_consent.pk).status == Appointment.Status.CONFIRMED
    assert unbooked_after_last(plan) == 3

    rest = series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert rest.consent == "covered" and rest.consent_since == date(2026, 6, 1)
    with pytest.raises(series.HealthQuestion):
        series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    series.book_series(plan, actor=patient.user, weekday=TUESDAY, time_of_day=LONDON_TWO, health_unchanged=True)
    visits = live_course(plan)
    assert len(visits) == 4 and {a.status for a in visits} == {Appointment.Status.CONFIRMED}
    assert len({a.consent_id for a in visits}) == 1 and visits[0].consent_id is not None


def test_a_practitioner_cannot_book_needling_for_a_patient_without_consent(
    desk: Desk, patient: Patient, frozen: None
) -> None:
    plan = make_plan(desk, patient, kind=desk.needling)
    with pytest.raises(series.ConsentRequired):
        series.book_series(plan, actor=desk.alex.user, weekday=TUESDAY, time_of_day=LONDON_TWO)
    assert not Appointment.objects.filter(patient=patient).exists()


def test_a_consent_signed_for_another_practitioner_does_not_cover_the_course(
    desk: Desk, patient: Patient, frozen: None
) -> None:
    held = booking.hold_appointment(
        patient,
        appointment_type=desk.needling,
        start=desk.at("10:00", date(2026, 6, 1)) + timedelta(hours=3),
        practitioner=desk.priya,
    )
    screen_and_sign(desk, patient, held, CLEAR, visit_day=date(2026, 6, 1))
    plan = make_plan(desk, patient, kind=desk.needling)
    assert series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO).consent == "first_visit"


def test_the_patients_other_bookings_are_avoided(desk: Desk, patient: Patient, frozen: None) -> None:
    clash = book_plain(desk, patient, desk.at("14:00", date(2026, 6, 16)), practitioner=desk.priya)
    plan = make_plan(desk, patient, sessions_planned=3)
    proposal = series.propose_series(plan, weekday=TUESDAY, time_of_day=LONDON_TWO)
    third = proposal.visits[2]
    assert third.start is not None and third.moved == "other_time"
    assert third.start + timedelta(minutes=45) <= clash.start or third.start >= clash.end
