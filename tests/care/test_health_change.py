"""The health question before a later visit of a course: no keeps the visit; a yes re-screens,
and a flag sends this and the later visits to review, a block cancels them and holds the plan."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from accounts.models import Patient
from booking import consent_flow
from booking.models import Appointment, AppointmentEvent
from care.models import CarePlanStatusChange, HealthChangeAnswer, PlanStatus
from care.selectors.health import needs_health_check
from care.services.health import answer_health_change
from consent.models import ConsentWithdrawal
from notifications.kinds import Kind
from notifications.models import Notification
from tests.accounts.factories import make_patient
from tests.accounts.sign_in import api_as
from tests.care.health_course import BLOCK, CLEAR, REVIEW, Course, make_course
from tests.workspace.factories import NOW, Desk, book_needling

pytestmark = pytest.mark.django_db
Status = Appointment.Status


@pytest.fixture
def course(desk: Desk, patient: Patient, time_machine: time_machine.TimeMachineFixture) -> Course:
    built = make_course(desk, patient)
    time_machine.move_to(NOW, tick=False)
    return built


def url(appointment: Appointment) -> str:
    return f"/api/v1/appointments/{appointment.pk}/health-change"


def post(patient: Patient, appointment: Appointment, body: dict[str, object]) -> object:
    return api_as(patient).post(url(appointment), json.dumps(body), content_type="application/json")


def test_nothing_changed_keeps_the_visit(course: Course, patient: Patient) -> None:
    visit = course.visits[1]
    assert needs_health_check(visit)
    answer = answer_health_change(patient, appointment_id=visit.pk, changed=False)
    assert (answer.outcome, answer.changed, answer.screening) == ("unchanged", False, None)
    assert str(answer.since) == "2026-05-23"  # the consent's screening, two days before visit 1
    assert [v.status for v in course.fresh()] == [Status.CONFIRMED] * 4
    assert not needs_health_check(visit)


def test_a_clear_rescreen_keeps_the_visit_and_the_consent(course: Course, patient: Patient) -> None:
    visit = course.visits[1]
    answer = answer_health_change(patient, appointment_id=visit.pk, changed=True, answers=CLEAR)
    assert answer.outcome == "clear" and answer.screening is not None
    assert [v.status for v in course.fresh()] == [Status.CONFIRMED] * 4
    assert not ConsentWithdrawal.objects.exists()


def test_a_flag_sends_this_and_the_later_visits_to_review(course: Course, patient: Patient, desk: Desk) -> None:
    visit = course.visits[1]
    answer = answer_health_change(patient, appointment_id=visit.pk, changed=True, answers=REVIEW)
    assert answer.outcome == "review"
    first, *later = course.fresh()
    assert first.status == Status.CONFIRMED  # earlier visits untouched
    assert [v.status for v in later] == [Status.PENDING_REVIEW] * 3
    assert {v.screening_id for v in later} == {answer.screening_id}
    # A change that flags review needs a new consent (FACTS.md section 3).
    withdrawal = ConsentWithdrawal.objects.get()
    assert (withdrawal.consent_id, withdrawal.reason) == (first.consent_id, ConsentWithdrawal.Reason.HEALTH_CHANGED)
    # They are in the practitioner's queue: a decline goes through the usual path.
    declined = consent_flow.decide_review(later[2], reviewer=desk.alex.user, approve=False, note="Check diabetes first")
    assert declined.status == Status.DECLINED


def test_the_rescreen_that_blocks_mid_course_cancels_the_rest_and_holds_the_plan(
    course: Course, patient: Patient
) -> None:
    visit = course.visits[1]
    answer = answer_health_change(patient, appointment_id=visit.pk, changed=True, answers=BLOCK)
    assert answer.outcome == "blocked"
    first, *later = course.fresh()
    assert first.status == Status.CONFIRMED
    assert [v.status for v in later] == [Status.CANCELLED] * 3
    assert all("not safe" in v.cancel_reason for v in later)
    events = AppointmentEvent.objects.filter(appointment__in=later, action=AppointmentEvent.Action.CANCELLED)
    assert events.count() == 3
    # The patient is told, as for any cancellation, through the outbox.
    told = Notification.objects.filter(appointment__in=later, kind=Kind.CANCELLATION)
    assert told.values("appointment").distinct().count() == 3
    course.plan.refresh_from_db()
    assert course.plan.status == PlanStatus.ON_HOLD
    change = CarePlanStatusChange.objects.filter(plan=course.plan).latest("at")
    assert change.to_status == PlanStatus.ON_HOLD and change.note
    assert ConsentWithdrawal.objects.get().reason == ConsentWithdrawal.Reason.HEALTH_CHANGED


def test_it_blocks_even_inside_the_cancellation_window(course: Course, patient: Patient) -> None:
    visit = course.visits[1]
    with time_machine.travel(visit.start - timedelta(hours=2), tick=False):
        answer_health_change(patient, appointment_id=visit.pk, changed=True, answers=BLOCK)
    assert Appointment.objects.get(pk=visit.pk).status == Status.CANCELLED


def test_a_second_answer_is_refused(course: Course, patient: Patient) -> None:
    visit = course.visits[1]
    assert post(patient, visit, {"changed": False}).status_code == 201  # type: ignore[attr-defined]
    again = post(patient, visit, {"changed": True, "answers": BLOCK})
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert again.json()["code"] == "health_change_answered"  # type: ignore[attr-defined]
    assert Appointment.objects.get(pk=visit.pk).status == Status.CONFIRMED
    assert HealthChangeAnswer.objects.count() == 1


def test_the_api_asks_with_the_date_and_the_questions(course: Course, patient: Patient) -> None:
    response = api_as(patient).get(url(course.visits[1]))
    assert response.status_code == 200
    data = response.json()
    assert (data["asked"], data["since"], data["answer"]) == (True, "2026-05-23", None)
    assert [q["id"] for q in data["questions"]] == ["needle_fear", "diabetes", "medicines"]
    done = post(patient, course.visits[1], {"changed": True, "answers": REVIEW})
    assert done.status_code == 201  # type: ignore[attr-defined]
    assert done.json()["answer"]["outcome"] == "review"  # type: ignore[attr-defined]


def test_bad_answers_are_field_errors(course: Course, patient: Patient) -> None:
    response = post(patient, course.visits[1], {"changed": True, "answers": {"needle_fear": "maybe"}})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert set(response.json()["fields"]) >= {"answers.needle_fear", "answers.diabetes"}  # type: ignore[attr-defined]
    assert post(patient, course.visits[1], {"changed": "yes"}).status_code == 400  # type: ignore[attr-defined]
    assert post(patient, course.visits[1], {"changed": True}).status_code == 400  # type: ignore[attr-defined]
    assert not HealthChangeAnswer.objects.exists()


def test_another_patients_visit_is_a_404(course: Course) -> None:
    olive = make_patient("olive@example.com")
    assert api_as(olive).get(url(course.visits[1])).status_code == 404
    assert post(olive, course.visits[1], {"changed": False}).status_code == 404  # type: ignore[attr-defined]


def test_the_first_visit_and_a_visit_outside_a_course_are_refused(course: Course, patient: Patient, desk: Desk) -> None:
    lone = book_needling(desk, patient, desk.at("15:00", NOW.date() + timedelta(days=1)), booked_at=NOW)
    for appointment in (course.visits[0], lone):
        response = post(patient, appointment, {"changed": False})
        assert response.status_code == 409  # type: ignore[attr-defined]
        assert response.json()["code"] == "not_a_later_course_visit"  # type: ignore[attr-defined]
        assert api_as(patient).get(url(appointment)).status_code == 409


def test_it_opens_three_days_before_the_visit(course: Course, patient: Patient) -> None:
    far = course.visits[3]  # 17 June: not yet
    assert not needs_health_check(far)
    response = post(patient, far, {"changed": False})
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert response.json()["code"] == "health_change_not_open"  # type: ignore[attr-defined]
    with time_machine.travel(far.start - timedelta(days=2), tick=False):
        assert needs_health_check(far)
