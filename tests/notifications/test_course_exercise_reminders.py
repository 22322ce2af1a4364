"""The daily exercise reminder: one row per plan, channel and local day at the patient's chosen
wall-clock time in the clinic's zone (DST days too), quiet hours respected, and skipped at send
time once the reminder is stopped, the plan is no longer active or the day's exercises are done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import Patient, User
from booking.models import AppointmentType, Clinic, Practitioner
from care.models import CarePlan, ExerciseReminder
from care.models.plans import PlanStatus
from notifications import content, course
from notifications.models import Channel, Kind, Notification
from notifications.selectors import settings_for
from notifications.tasks import course_messages
from tests.booking.factories import local
from tests.core.i18n import english_left_in
from tests.notifications.courses import course_rows, make_plan, prescribe, remind, send_due, the_email, tick

pytestmark = pytest.mark.django_db
Status = Notification.Status
MONDAY = date(2026, 6, 1)
EIGHT_PM = time(20, 0)


@pytest.fixture
def plan(patient: Patient, physio: Practitioner, visit: AppointmentType) -> CarePlan:
    plan = make_plan(patient, physio, visit)
    prescribe(plan, start_on=MONDAY - timedelta(days=7))
    return plan


def write(clinic: Clinic, day: date, hh_mm: str) -> int:
    return course.write_exercise_reminders(now=local(clinic, day, hh_mm))


def test_a_row_is_written_once_for_the_day_at_the_chosen_time(plan: CarePlan, clinic: Clinic) -> None:
    remind(plan, EIGHT_PM)

    assert write(clinic, MONDAY, "19:40") == 0  # not yet
    assert write(clinic, MONDAY, "19:52") == 1
    assert write(clinic, MONDAY, "19:57") == 0
    with time_machine.travel(local(clinic, MONDAY, "20:02"), tick=False):
        course_messages.apply()

    [row] = course_rows(plan, Kind.EXERCISE_REMINDER)
    assert (row.channel, row.for_day, row.due_at) == (Channel.EMAIL, MONDAY, local(clinic, MONDAY, "20:00"))
    assert row.appointment_id is None
    assert write(clinic, MONDAY + timedelta(days=1), "19:55") == 1  # and again the next day


@pytest.mark.parametrize(
    "day", [date(2026, 3, 28), date(2026, 3, 29), date(2026, 10, 25)], ids=["before-spring", "spring", "autumn"]
)
def test_a_dst_day_keeps_the_wall_clock_time(plan: CarePlan, clinic: Clinic, day: date) -> None:
    plan.exercises.update(start_on=day)
    remind(plan, time(18, 0))

    write(clinic, day, "17:55")

    [row] = course_rows(plan, Kind.EXERCISE_REMINDER)
    assert row.due_at.astimezone(clinic.zone).time() == time(18, 0)
    assert row.for_day == day


def test_a_time_the_clocks_skip_comes_at_the_jump(plan: CarePlan, clinic: Clinic) -> None:
    spring = date(2026, 3, 29)  # London: 01:00 GMT becomes 02:00 BST
    plan.exercises.update(start_on=spring)
    remind(plan, time(1, 30))

    course.write_exercise_reminders(now=datetime.fromisoformat("2026-03-29T00:55:00+00:00"))

    [row] = course_rows(plan, Kind.EXERCISE_REMINDER)
    assert row.due_at == datetime.fromisoformat("2026-03-29T01:00:00+00:00")


def test_no_row_without_an_exercise_that_day(plan: CarePlan, clinic: Clinic) -> None:
    plan.exercises.update(stopped_on=MONDAY - timedelta(days=1))
    remind(plan, EIGHT_PM)

    assert write(clinic, MONDAY, "19:55") == 0


@pytest.mark.parametrize("status", [PlanStatus.COMPLETED, PlanStatus.STOPPED, PlanStatus.ON_HOLD])
def test_never_for_a_plan_that_is_not_active(plan: CarePlan, clinic: Clinic, status: str) -> None:
    CarePlan.objects.filter(pk=plan.pk).update(status=status)
    remind(plan, EIGHT_PM)

    assert write(clinic, MONDAY, "19:55") == 0


def test_never_for_a_stopped_reminder(plan: CarePlan, clinic: Clinic) -> None:
    remind(plan, EIGHT_PM, active=False)

    assert write(clinic, MONDAY, "19:55") == 0


def test_a_reminder_stopped_after_its_row_was_written_is_not_sent(plan: CarePlan, clinic: Clinic) -> None:
    remind(plan, EIGHT_PM)
    write(clinic, MONDAY, "19:55")
    ExerciseReminder.objects.filter(plan=plan).update(active=False)

    assert set(send_due(now=local(clinic, MONDAY, "20:00")).values()) == {Status.SKIPPED}
    assert mail.outbox == []
    assert Notification.objects.get(kind=Kind.EXERCISE_REMINDER).last_error == "the patient stopped the reminder"


def test_not_sent_when_the_plan_ended_meanwhile(plan: CarePlan, clinic: Clinic) -> None:
    remind(plan, EIGHT_PM)
    write(clinic, MONDAY, "19:55")
    CarePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.COMPLETED)

    assert set(send_due(now=local(clinic, MONDAY, "20:00")).values()) == {Status.SKIPPED}


def test_not_sent_once_every_exercise_of_the_day_is_ticked(plan: CarePlan, clinic: Clinic) -> None:
    second = prescribe(plan, name="Shoulder rolls", start_on=MONDAY)
    remind(plan, EIGHT_PM)
    write(clinic, MONDAY, "19:55")
    tick(second, MONDAY)
    tick(plan.exercises.get(exercise__name="Chin tucks"), MONDAY - timedelta(days=1))  # yesterday's tick

    assert set(send_due(now=local(clinic, MONDAY, "20:00")).values()) == {Status.SENT}

    write(clinic, MONDAY + timedelta(days=1), "19:55")
    for prescription in plan.exercises.all():
        tick(prescription, MONDAY + timedelta(days=1))
    assert set(send_due(now=local(clinic, MONDAY + timedelta(days=1), "20:00")).values()) == {Status.SKIPPED}


def test_not_sent_once_its_day_is_over(plan: CarePlan, clinic: Clinic) -> None:
    remind(plan, time(23, 0))
    write(clinic, MONDAY, "22:55")

    assert set(send_due(now=local(clinic, MONDAY + timedelta(days=1), "00:10")).values()) == {Status.SKIPPED}


def test_quiet_hours_defer_the_text_message_to_their_end(sms_patient: Patient, plan: CarePlan, clinic: Clinic) -> None:
    remind(plan, time(7, 0))

    write(clinic, MONDAY, "06:55")

    email, sms = course_rows(plan, Kind.EXERCISE_REMINDER)
    assert (email.channel, email.due_at) == (Channel.EMAIL, local(clinic, MONDAY, "07:00"))
    assert (sms.channel, sms.due_at) == (Channel.SMS, local(clinic, MONDAY, "08:00"))
    assert send_due(now=local(clinic, MONDAY, "07:00")) == {email.pk: Status.SENT}
    assert send_due(now=local(clinic, MONDAY, "08:00")) == {sms.pk: Status.SENT}


def test_a_text_message_quiet_until_the_day_is_over_is_not_written(
    sms_patient: Patient, plan: CarePlan, clinic: Clinic
) -> None:
    remind(plan, time(22, 0))

    write(clinic, MONDAY, "21:55")

    assert [row.channel for row in course_rows(plan, Kind.EXERCISE_REMINDER)] == [Channel.EMAIL]


def test_the_reminder_has_the_stop_link_and_the_exercises_link(plan: CarePlan, clinic: Clinic) -> None:
    reminder = remind(plan, EIGHT_PM)
    write(clinic, MONDAY, "19:55")

    send_due(now=local(clinic, MONDAY, "20:00"))

    message = the_email()
    stop = f"https://acus.example/care/reminders/stop/{reminder.stop_token}/"
    exercises = f"https://acus.example/care/plans/{plan.pk}/exercises/"
    assert stop in message.body and exercises in message.body
    assert "Chin tucks" in message.body
    html = message.html
    assert f'href="{stop}"' in html and f'href="{exercises}"' in html


def test_the_text_message_has_the_stop_link(sms_patient: Patient, plan: CarePlan, clinic: Clinic) -> None:
    reminder = remind(plan, time(12, 0))
    write(clinic, MONDAY, "11:55")

    sms = Notification.objects.select_related("plan__patient__user", "plan__clinic").get(channel=Channel.SMS)
    text = content.render(sms, settings_for(clinic)).text
    assert f"/care/reminders/stop/{reminder.stop_token}/" in text
    assert "\n" not in text.strip()


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_reminder_reads_in_the_patients_language(
    plan: CarePlan, clinic: Clinic, patient: Patient, language: str
) -> None:
    User.objects.filter(pk=patient.user_id).update(language=language)
    remind(plan, EIGHT_PM)
    write(clinic, MONDAY, "19:55")

    send_due(now=local(clinic, MONDAY, "20:00"))

    message = the_email()
    for part in (message.subject, message.body, message.html):
        assert english_left_in(part) == [], part
    assert f"Chin tucks ({language})" in message.body
    assert Notification.objects.get(kind=Kind.EXERCISE_REMINDER).language == language
