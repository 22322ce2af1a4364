"""A dead worker's rows go out within about a minute; a live worker's rows never go twice.

Leases are short (dispatch.LEASE, 30 s) and a heartbeat renews them while the worker
lives (notifications/leases.py). The first test kills a real Celery worker with SIGKILL
in the middle of a batch and lets a second one take over; the others race a live, slow
worker for its rows."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from notifications import dispatch
from notifications.leases import Heartbeat, renew
from notifications.models import Kind, Notification
from notifications.tasks import dispatch_due as dispatch_task
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment
from tests.notifications.factories import add_row
from tests.notifications.workers import REPO, SLOW_FILE_BACKEND, child_env, sent_files, stopping, wait_until
from tests.resources import need_postgres, need_redis

Status = Notification.Status
KINDS = [Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.REMINDER, Kind.AFTERCARE]
SEND_SECONDS = 0.5  # each email, in the workers below
BEAT_SECONDS = 10  # how often the test asks for a dispatch run (beat's default is 30 s)


def seed(clinic: Clinic, visit: AppointmentType, physio: Practitioner, appointments: int) -> list[int]:
    now = timezone.now()
    start = now.replace(microsecond=0) + timedelta(days=3)
    ids = []
    for n in range(appointments):
        patient: Patient = make_patient()
        appointment = insert_appointment(patient, physio, visit, start + timedelta(hours=2 * n))
        ids += [add_row(appointment, kind, due_at=now - timedelta(seconds=1)).pk for kind in KINDS]
    return ids


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@contextmanager
def worker(name: str, mail_dir: Path, tmp_path: Path, redis_url: str) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h"]
    env = child_env(mail_dir, REDIS_URL=redis_url, ACUS_TEST_SEND_SECONDS=str(SEND_SECONDS))
    with open(tmp_path / f"{name}.log", "wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    with stopping(process):
        yield process


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.redis
def test_a_celery_worker_killed_mid_batch_has_its_rows_sent_by_another_within_a_minute(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, mail_dir: Path, tmp_path: Path
) -> None:
    need_postgres()
    redis_url = need_redis()
    ids = seed(clinic, visit, physio, appointments=5)
    rows = Notification.objects.filter(pk__in=ids)

    with worker("doomed", mail_dir, tmp_path, redis_url) as doomed:
        dispatch_task.apply_async()
        wait_until(
            lambda: len(sent_files(mail_dir)) >= 4,
            seconds=60,
            what="the doomed worker to send a few",
            log=tmp_path / "doomed.log",
        )
        time.sleep(SEND_SECONDS / 2)  # in the middle of the next send
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    killed_at, killed_monotonic = timezone.now(), time.monotonic()

    stranded = rows.filter(status=Status.SENDING)
    assert stranded.count() >= len(ids) - 6, "the batch was cut short"
    assert len(set(stranded.values_list("leased_by", flat=True))) == 1
    leases = [until for until in stranded.values_list("leased_until", flat=True) if until is not None]
    assert leases and max(leases) <= killed_at + dispatch.LEASE, "a dead worker's rows are free within one lease"

    with worker("rescuer", mail_dir, tmp_path, redis_url):
        while rows.exclude(status=Status.SENT).exists() and time.monotonic() - killed_monotonic < 90:
            dispatch_task.apply_async()  # what beat sends
            beat = time.monotonic()
            while time.monotonic() - beat < BEAT_SECONDS and rows.exclude(status=Status.SENT).exists():
                time.sleep(0.2)
        took = time.monotonic() - killed_monotonic

    assert not rows.exclude(status=Status.SENT).exists(), (tmp_path / "rescuer.log").read_text()[-3000:]
    assert took <= 60, f"the dead worker's rows waited {took:.0f} s"
    assert sent_files(mail_dir) == {pk: 1 for pk in ids}, "every message went, none twice"


@contextmanager
def slow_email(mail_dir: Path, monkeypatch: pytest.MonkeyPatch, seconds: float) -> Iterator[None]:
    monkeypatch.setenv("ACUS_TEST_MAIL_DIR", str(mail_dir))
    monkeypatch.setenv("ACUS_TEST_SEND_SECONDS", str(seconds))
    with override_settings(EMAIL_BACKEND=SLOW_FILE_BACKEND):
        yield


def in_a_thread(**kwargs: Any) -> None:
    try:
        dispatch.dispatch_due(**kwargs)
    finally:
        connection.close()  # the thread's own connection


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_live_worker_keeps_its_rows_through_a_send_far_longer_than_the_lease(
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    mail_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    need_postgres()
    appointment = insert_appointment(patient, physio, visit, timezone.now() + timedelta(days=2))
    row = add_row(appointment, Kind.CONFIRMATION, due_at=timezone.now() - timedelta(seconds=1))
    lease = timedelta(seconds=1)
    taken: list[int] = []

    with slow_email(mail_dir, monkeypatch, seconds=4):
        sender = threading.Thread(target=in_a_thread, kwargs={"worker": "slow", "lease": lease, "heartbeat": lease / 4})
        sender.start()
        try:
            wait_until(Notification.objects.filter(pk=row.pk, leased_by="slow").exists, seconds=10, what="the claim")
            while sender.is_alive():
                taken += dispatch.claim_due(worker="rival", lease=lease)
                time.sleep(0.1)
        finally:
            sender.join(timeout=30)

    assert taken == [], "the rival took a row from a live worker"
    sent = Notification.objects.get(pk=row.pk)
    assert (sent.status, sent.attempts) == (Status.SENT, 1)
    assert sent_files(mail_dir) == {row.pk: 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_worker_stuck_past_its_budget_stops_renewing(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    appointment = insert_appointment(patient, physio, visit, timezone.now() + timedelta(days=2))
    row = add_row(appointment, Kind.CONFIRMATION, due_at=timezone.now() - timedelta(seconds=1))
    lease = timedelta(seconds=1)
    assert dispatch.claim_due(worker="stuck", lease=lease) == [row.pk]

    with Heartbeat(worker="stuck", lease=lease, until=time.monotonic() + 0.5, every=timedelta(seconds=0.2)):
        time.sleep(2.5)  # alive, but well past `until`

    assert dispatch.claim_due(worker="rival", lease=lease) == [row.pk]


@pytest.mark.django_db
def test_renewing_touches_only_the_workers_own_rows_in_flight(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    appointment = insert_appointment(patient, physio, visit, timezone.now() + timedelta(days=2))
    due = timezone.now() - timedelta(seconds=1)
    mine, theirs, done = (add_row(appointment, kind, due_at=due) for kind in KINDS[:3])
    now = timezone.now()
    Notification.objects.filter(pk__in=[mine.pk, theirs.pk]).update(status=Status.SENDING, leased_until=now)
    Notification.objects.filter(pk=mine.pk).update(leased_by="me")
    Notification.objects.filter(pk=theirs.pk).update(leased_by="them")
    Notification.objects.filter(pk=done.pk).update(status=Status.SENT, sent_at=now, leased_by="me")

    assert renew(worker="me", lease=timedelta(seconds=30), now=now) == 1

    leases = dict(Notification.objects.values_list("pk", "leased_until"))
    assert leases == {mine.pk: now + timedelta(seconds=30), theirs.pk: now, done.pk: None}


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_heartbeat_carries_on_after_its_database_connection_is_cut(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    appointment = insert_appointment(patient, physio, visit, timezone.now() + timedelta(days=2))
    row = add_row(appointment, Kind.CONFIRMATION, due_at=timezone.now() - timedelta(seconds=1))
    lease = timedelta(seconds=2)
    dispatch.claim_due(worker="alive", lease=lease)
    lease_end = Notification.objects.filter(pk=row.pk).values_list("leased_until", flat=True)

    with Heartbeat(worker="alive", lease=lease, until=time.monotonic() + 60, every=timedelta(seconds=0.2)):
        first = lease_end.get()
        wait_until(lambda: lease_end.get() != first, seconds=5, what="a first renewal")
        with connection.cursor() as cursor:  # as a database restart would
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        cut = timezone.now()
        wait_until(lambda: (lease_end.get() or cut) > cut + lease, seconds=5, what="a renewal after the cut")
