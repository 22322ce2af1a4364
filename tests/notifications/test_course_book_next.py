"""Book your next session: one message per plan and channel once the last booked visit of a
course with sessions left has happened, written when that visit is completed or by the beat
sweep, quiet hours respected, and checked again when it is sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import Patient, User
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from booking.services import mark_completed
from care.models import CarePlan
from care.models.plans import PlanStatus
from care.selectors.course_messages import book_next_visit, unbooked_after_last
from notifications import course
from notifications.models import Channel, Kind, Notification
from notifications.tasks import course_messages
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import local
from tests.core.i18n import english_left_in
from tests.notifications.courses import course_rows, course_visit, make_plan, send_due, the_email

pytestmark = pytest.mark.django_db
Status = Notification.Status
Visit = Appointment.Status
MONDAY = date(2026, 6, 1)
LAST_WEEK = date(2026, 5, 25)
NEXT_WEEK = date(2026, 6, 8)


@pytest.fixture
def plan(sms_patient: Patient, physio: Practitioner, visit: AppointmentType) -> CarePlan:
    return make_plan(sms_patient, physio, visit, sessions=4)


def two_visits(plan: CarePlan, clinic: Clinic, today_at: str = "10:00") -> Appointment:
    """A completed visit last week and one today (confirmed): today's is the last one booked."""
    course_visit(plan, local(clinic, LAST_WEEK, today_at), status=Visit.COMPLETED)
    return course_visit(plan, local(clinic, MONDAY, today_at))


def complete(appointment: Appointment, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        mark_completed(appointment, actor=appointment.practitioner.user, now=at)


def test_completing_the_last_booked_visit_writes_one_row_per_channel_and_only_once(
    plan: CarePlan, clinic: Clinic
) -> None:
    today = two_visits(plan, clinic)
    done_at = local(clinic, MONDAY, "11:15")

    complete(today, done_at)
    course.record_book_next(plan, now=done_at + timedelta(minutes=1))
    course.sweep_book_next(now=done_at + timedelta(hours=1))
    with time_machine.travel(done_at + timedelta(hours=2), tick=False):
        course_messages.apply()

    rows = course_rows(plan, Kind.BOOK_NEXT)
    assert [(row.channel, row.due_at, row.appointment_id) for row in rows] == [
        (Channel.EMAIL, done_at, today.pk),
        (Channel.SMS, done_at, today.pk),
    ]
    assert unbooked_after_last(plan) == 2


def test_no_row_while_a_later_session_is_booked(plan: CarePlan, clinic: Clinic) -> None:
    today = two_visits(plan, clinic)
    course_visit(plan, local(clinic, NEXT_WEEK, "10:00"))

    complete(today, local(clinic, MONDAY, "11:15"))

    assert course_rows(plan, Kind.BOOK_NEXT) == []


def test_no_row_once_every_session_is_booked(
    sms_patient: Patient, physio: Practitioner, visit: AppointmentType, clinic: Clinic
) -> None:
    plan = make_plan(sms_patient, physio, visit, sessions=2)
    today = two_visits(plan, clinic)

    complete(today, local(clinic, MONDAY, "11:15"))

    assert course_rows(plan, Kind.BOOK_NEXT) == []


def test_a_cancelled_or_missed_visit_leaves_its_session_to_book(plan: CarePlan, clinic: Clinic) -> None:
    two_visits(plan, clinic)
    course_visit(plan, local(clinic, NEXT_WEEK, "10:00"), status=Visit.CANCELLED)
    course_visit(plan, local(clinic, MONDAY, "08:00"), status=Visit.NO_SHOW)

    assert unbooked_after_last(plan) == 2


@pytest.mark.parametrize("status", [PlanStatus.COMPLETED, PlanStatus.STOPPED, PlanStatus.ON_HOLD])
def test_never_for_a_plan_that_is_not_active(plan: CarePlan, clinic: Clinic, status: str) -> None:
    two_visits(plan, clinic)
    CarePlan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    after = local(clinic, MONDAY, "18:00")

    assert course.record_book_next(plan, now=after) == 0
    assert course.sweep_book_next(now=after) == 0
    assert course_rows(plan, Kind.BOOK_NEXT) == []


def test_the_sweep_writes_once_the_last_visit_has_ended_without_being_marked(plan: CarePlan, clinic: Clinic) -> None:
    today = two_visits(plan, clinic)
    assert book_next_visit(plan, local(clinic, MONDAY, "10:59")) is None  # still going on

    ended = local(clinic, MONDAY, "11:05")
    assert course.sweep_book_next(now=ended) == 2
    assert course.sweep_book_next(now=ended + timedelta(minutes=5)) == 0

    assert {row.appointment_id for row in course_rows(plan, Kind.BOOK_NEXT)} == {today.pk}


def test_quiet_hours_defer_the_text_message_but_not_the_email(plan: CarePlan, clinic: Clinic) -> None:
    today = two_visits(plan, clinic, today_at="19:30")
    late = local(clinic, MONDAY, "21:40")

    complete(today, late)

    email, sms = course_rows(plan, Kind.BOOK_NEXT)
    morning = local(clinic, MONDAY + timedelta(days=1), "08:00")
    assert (email.due_at, sms.due_at) == (late, morning)
    assert send_due(now=late + timedelta(minutes=1)) == {email.pk: Status.SENT}
    assert send_due(now=morning) == {sms.pk: Status.SENT}


def test_a_row_that_waited_into_the_quiet_hours_waits_again(plan: CarePlan, clinic: Clinic) -> None:
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "20:55"))
    Notification.objects.filter(kind=Kind.BOOK_NEXT, channel=Channel.EMAIL).delete()

    [sms] = course_rows(plan, Kind.BOOK_NEXT)
    assert send_due(now=local(clinic, MONDAY, "21:30")) == {sms.pk: Status.PENDING}
    sms.refresh_from_db()
    assert sms.next_attempt_at == local(clinic, MONDAY + timedelta(days=1), "08:00")
    assert sms.attempts == 0


def test_skipped_at_send_time_when_the_next_sessions_were_booked_meanwhile(plan: CarePlan, clinic: Clinic) -> None:
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "12:00"))
    course_visit(plan, local(clinic, NEXT_WEEK, "10:00"))
    course_visit(plan, local(clinic, NEXT_WEEK + timedelta(days=7), "10:00"))

    statuses = send_due(now=local(clinic, MONDAY, "12:01"))

    assert set(statuses.values()) == {Status.SKIPPED}
    assert mail.outbox == []


def test_skipped_at_send_time_when_the_plan_was_stopped(plan: CarePlan, clinic: Clinic) -> None:
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "12:00"))
    CarePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.STOPPED)

    assert set(send_due(now=local(clinic, MONDAY, "12:01")).values()) == {Status.SKIPPED}
    assert Notification.objects.filter(last_error="the plan is stopped").count() == 2


def test_the_email_links_to_the_series_booking_page(plan: CarePlan, clinic: Clinic) -> None:
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "12:00"))

    send_due(now=local(clinic, MONDAY, "12:01"))

    message = the_email()
    link = f"https://acus.example/care/plans/{plan.pk}/book/"
    assert message.to == [plan.patient.user.email]
    assert "book your next session" in message.subject
    assert "2 sessions left to book" in message.body
    assert link in message.body
    assert f'href="{link}"' in message.html
    row = Notification.objects.get(kind=Kind.BOOK_NEXT, channel=Channel.EMAIL)
    assert (row.status, row.language) == (Status.SENT, "en-gb")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_message_reads_in_the_patients_language(plan: CarePlan, clinic: Clinic, language: str) -> None:
    User.objects.filter(pk=plan.patient.user_id).update(language=language)
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "12:00"))

    send_due(now=local(clinic, MONDAY, "12:01"))

    message = the_email()
    for part in (message.subject, message.body, message.html):
        assert english_left_in(part) == [], part
    assert set(Notification.objects.filter(kind=Kind.BOOK_NEXT).values_list("language", flat=True)) == {language}


def test_a_sent_reminder_is_never_repeated_even_after_another_visit(plan: CarePlan, clinic: Clinic) -> None:
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "12:00"))
    send_due(now=local(clinic, MONDAY, "12:01"))
    later = course_visit(plan, local(clinic, NEXT_WEEK, "10:00"))

    complete(later, local(clinic, NEXT_WEEK, "11:15"))

    assert len(course_rows(plan, Kind.BOOK_NEXT)) == 2
    assert course.sweep_book_next(now=local(clinic, NEXT_WEEK, "12:00")) == 0


def test_the_outbox_admin_lists_and_finds_a_row_about_a_plan(
    plan: CarePlan, clinic: Clinic, clinic_admin: User
) -> None:
    two_visits(plan, clinic)
    course.record_book_next(plan, now=local(clinic, MONDAY, "12:00"))
    client = verified_staff_client(clinic_admin)

    listed = client.get("/admin/notifications/notification/")
    found = client.get("/admin/notifications/notification/", {"q": str(plan.pk)})
    row = Notification.objects.filter(plan=plan).first()
    shown = client.get(f"/admin/notifications/notification/{row.pk if row else 0}/change/")

    assert (listed.status_code, found.status_code, shown.status_code) == (200, 200, 200)
    assert str(plan) in found.content.decode()
