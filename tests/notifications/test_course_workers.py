"""Course messages through a real Celery worker on Redis: completing the last booked visit of a
course nudges the worker, which sends "book your next session"; the beat job, run by the worker,
writes today's exercise reminder, which the next dispatch sends.

The worker uses pytest's test database (committed data: transaction=True) and writes one file per
email, named by the notification id (tests/notifications/workers.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from booking.services import mark_completed
from notifications.models import Kind, Notification
from notifications.tasks import course_messages, dispatch_due
from tests.notifications.courses import course_visit, make_plan, prescribe, remind
from tests.notifications.workers import celery_worker, sent_files, wait_until
from tests.resources import need_postgres, need_redis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]
Status = Notification.Status


def test_a_celery_worker_sends_book_next_and_the_exercise_reminder(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner, tmp_path: Path
) -> None:
    need_postgres()
    redis_url = need_redis()
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    now = timezone.now()
    plan = make_plan(patient, physio, visit, sessions=3)
    course_visit(plan, now - timedelta(days=7), status=Appointment.Status.COMPLETED)
    today = course_visit(plan, now - timedelta(hours=2))
    prescribe(plan, start_on=now.astimezone(clinic.zone).date() - timedelta(days=1))
    reminder = remind(plan, now.astimezone(clinic.zone).time().replace(second=0, microsecond=0))

    with celery_worker(mail_dir, log, redis_url), override_settings(NOTIFICATIONS_NUDGE=True):
        # After commit, the completion nudges the worker through Redis.
        mark_completed(today, actor=physio.user)
        book_next = Notification.objects.filter(plan=plan, kind=Kind.BOOK_NEXT)
        wait_until(
            lambda: list(book_next.values_list("status", flat=True)) == [Status.SENT],
            seconds=60,
            what="the worker to send book your next session",
            log=log,
        )
        course_messages.apply_async()  # what beat sends every five minutes
        reminders = Notification.objects.filter(plan=plan, kind=Kind.EXERCISE_REMINDER)
        wait_until(reminders.exists, seconds=60, what="the worker to write the exercise reminder", log=log)
        dispatch_due.apply_async()  # what beat sends every 30 s
        wait_until(
            lambda: list(reminders.values_list("status", flat=True)) == [Status.SENT],
            seconds=60,
            what="the worker to send the exercise reminder",
            log=log,
        )

    [sent_book_next] = book_next
    [sent_reminder] = reminders
    assert sent_files(mail_dir) == {sent_book_next.pk: 1, sent_reminder.pk: 1}
    [eml] = mail_dir.glob(f"{sent_book_next.pk}-*.eml")
    assert f"/care/plans/{plan.pk}/book/".encode() in eml.read_bytes()
    [eml] = mail_dir.glob(f"{sent_reminder.pk}-*.eml")
    assert f"/care/reminders/stop/{reminder.stop_token}/".encode() in eml.read_bytes()
    assert sent_reminder.language == sent_book_next.language == "en-gb"
