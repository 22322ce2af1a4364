"""Dispatch through real processes: a Celery worker on Redis, a worker killed mid-send,
and a booking made while the broker is down.

The subprocesses use pytest's test database (committed data: transaction=True) and an
email backend that writes one file per message, named by the notification id."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from notifications.dispatch import claim_due, dispatch_due
from notifications.models import Kind, Notification
from notifications.tasks import dispatch_due as dispatch_task
from tests.booking.factories import insert_appointment, local
from tests.notifications.factories import add_row
from tests.notifications.helpers import book
from tests.notifications.workers import (
    REPO,
    celery_worker,
    child_env,
    sent_files,
    stopping,
    wait_until,
)
from tests.resources import need_postgres, need_redis

pytestmark = [pytest.mark.django_db(transaction=True)]
Status = Notification.Status


def free_port() -> int:
    """A port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tomorrow_at(clinic: Clinic, hh_mm: str) -> datetime:
    day = timezone.now().astimezone(ZoneInfo(clinic.time_zone)).date() + timedelta(days=1)
    return local(clinic, day, hh_mm)


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


# --- A booking while the broker is down -------------------------------------------------------


def test_a_booking_succeeds_quickly_with_the_broker_down_and_its_messages_go_later(
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broker_down = f"redis://127.0.0.1:{free_port()}/0"

    with override_settings(CELERY_BROKER_URL=broker_down, NOTIFICATIONS_NUDGE=True):
        started = time.monotonic()
        appointment = book(patient, visit, tomorrow_at(clinic, "14:00"), now=timezone.now())
        took = time.monotonic() - started

    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CONFIRMED
    assert took < 1.5, f"the booking waited {took:.2f} s for the broker"
    assert "could not nudge the dispatcher" in caplog.text
    due_now = Notification.objects.filter(appointment=appointment, status=Status.PENDING, due_at__lte=timezone.now())
    assert sorted(due_now.values_list("kind", flat=True)) == [Kind.CONFIRMATION, Kind.PRE_VISIT]

    # Redis is back: beat's next run (a task like any other) sends them.
    assert dispatch_task.apply().get() == 2
    assert sorted(message.subject.split(":")[0] for message in mail.outbox)[0] == "Booked"
    assert not due_now.exists()


# --- A real Celery worker on Redis --------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
def test_a_celery_worker_on_redis_sends_a_new_bookings_messages(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner, mail_dir: Path, tmp_path: Path
) -> None:
    need_postgres()
    redis_url = need_redis()
    log = tmp_path / "worker.log"

    with celery_worker(mail_dir, log, redis_url), override_settings(NOTIFICATIONS_NUDGE=True):
        # After commit, the booking nudges the worker through Redis.
        appointment = book(patient, visit, tomorrow_at(clinic, "15:00"), now=timezone.now())
        due_now = Notification.objects.filter(appointment=appointment, due_at__lte=timezone.now())
        wait_until(
            lambda: set(due_now.values_list("status", flat=True)) == {Status.SENT} and len(sent_files(mail_dir)) == 2,
            seconds=60,
            what="the worker to send the confirmation and the pre-visit information",
            log=log,
        )

    assert sent_files(mail_dir) == {pk: 1 for pk in due_now.values_list("pk", flat=True)}
    confirmation = due_now.get(kind=Kind.CONFIRMATION)
    [eml] = mail_dir.glob(f"{confirmation.pk}-*.eml")
    assert b"text/calendar" in eml.read_bytes()


@pytest.mark.postgres
@pytest.mark.redis
def test_messages_left_while_redis_was_down_go_out_through_the_worker_once_it_is_back(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner, mail_dir: Path, tmp_path: Path
) -> None:
    need_postgres()
    redis_url = need_redis()
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0", NOTIFICATIONS_NUDGE=True):
        appointment = book(patient, visit, tomorrow_at(clinic, "16:00"), now=timezone.now())
    due_now = Notification.objects.filter(appointment=appointment, due_at__lte=timezone.now())
    assert set(due_now.values_list("status", flat=True)) == {Status.PENDING}
    log = tmp_path / "worker.log"

    with celery_worker(mail_dir, log, redis_url):
        dispatch_task.apply_async()  # what beat sends every 30 s
        wait_until(lambda: len(sent_files(mail_dir)) == 2, seconds=60, what="the worker to catch up", log=log)

    assert set(due_now.values_list("status", flat=True)) == {Status.SENT}


# --- A worker killed while sending --------------------------------------------------------------


@pytest.mark.postgres
def test_a_worker_killed_mid_send_loses_nothing(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner, mail_dir: Path, tmp_path: Path
) -> None:
    need_postgres()
    appointment = insert_appointment(patient, physio, visit, tomorrow_at(clinic, "11:00"))
    row = add_row(appointment, Kind.CONFIRMATION, due_at=timezone.now() - timedelta(seconds=1))
    lease = timedelta(seconds=5)
    script = (
        "import django; django.setup()\n"
        "from datetime import timedelta\n"
        "from notifications.dispatch import dispatch_due\n"
        f"dispatch_due(worker='doomed', lease=timedelta(seconds={lease.total_seconds()}))\n"
    )
    log = tmp_path / "doomed.log"
    with open(log, "wb") as out:
        doomed = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=REPO,
            env=child_env(mail_dir, ACUS_TEST_SEND_SECONDS="60"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    with stopping(doomed):
        leased = Notification.objects.filter(pk=row.pk, status=Status.SENDING, leased_by="doomed")
        wait_until(leased.exists, seconds=30, what="the doomed worker to lease the row", log=log)
        time.sleep(0.5)  # well inside the slow send
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)

    assert sent_files(mail_dir) == {}, "killed before the message left"
    assert claim_due(worker="rescuer", lease=lease) == [], "the lease still holds"
    with time_machine.travel(timezone.now() + lease + timedelta(seconds=1), tick=False):
        assert dispatch_due(worker="rescuer") == 1

    rescued = Notification.objects.get(pk=row.pk)
    assert (rescued.status, rescued.attempts) == (Status.SENT, 2)
    assert [message.extra_headers["X-Acus-Notification"] for message in mail.outbox] == [str(row.pk)]
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")
