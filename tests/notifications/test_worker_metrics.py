"""A real Celery worker (prefork pool, with beat) counts the messages it sends, and the counts
reach a scrape both ways README's "Metrics" describes: the worker's own port
(METRICS_WORKER_PORT, a worker in its own container) and the web's /metrics reading the same
PROMETHEUS_MULTIPROC_DIR (one host)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from notifications.models import Notification
from tests.booking.factories import local
from tests.faults.live import Api, free_port
from tests.metrics.scrape import parse, scrape
from tests.notifications.helpers import book
from tests.notifications.workers import REPO, child_env, sent_files, stopping, wait_until
from tests.resources import need_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = Notification.Status


def test_a_workers_sent_messages_reach_its_port_and_the_web_scrape(
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    need_postgres()
    mail_dir, folder, log = tmp_path / "mail", tmp_path / "prometheus", tmp_path / "worker.log"
    mail_dir.mkdir()
    day = timezone.now().astimezone(ZoneInfo(clinic.time_zone)).date() + timedelta(days=1)
    appointment = book(patient, visit, local(clinic, day, "15:00"), now=timezone.now())
    due = Notification.objects.filter(appointment=appointment, due_at__lte=timezone.now())
    port = free_port()
    env = child_env(
        mail_dir,
        ACUS_VAR_DIR=str(tmp_path / "var"),  # kombu's file-system broker there: nothing shared
        REDIS_URL="",
        NOTIFY_DISPATCH_SECONDS="5",
        PROMETHEUS_MULTIPROC_DIR=str(folder),
        METRICS_WORKER_PORT=str(port),
    )
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=prefork"]
    command += ["--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    command += ["--schedule", str(tmp_path / "celerybeat-schedule")]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    with stopping(process):
        wait_until(
            lambda: due.exists() and set(due.values_list("status", flat=True)) == {Status.SENT},
            seconds=90,
            what="the worker to send the booking's messages",
            log=log,
        )
        answer = Api(port).get("/metrics")

    sent = due.count()
    assert sent >= 1 and len(sent_files(mail_dir)) == sent
    assert answer.status == 200, answer
    assert parse(answer.body).value("acus_messages_sent_total", channel="email") == sent
    # The web on the same host, reading the same folder, sees them too.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    assert scrape(Client()).value("acus_messages_sent_total", channel="email") == sent
