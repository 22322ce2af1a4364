"""Redis stopped under a running gunicorn and Celery worker (with beat): bookings still
succeed at once, /healthz names the broker, and the messages that fell due meanwhile go
out once Redis is back, each exactly once.

Gunicorn and the worker use pytest's test database (committed data: transaction=True)
and a private redis-server (the machine's shared Redis is never stopped). The email
backend writes one file per message, named by its notification id."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from booking.models import Appointment, AppointmentType
from notifications.models import Kind, Notification
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.faults.live import (
    Answer,
    Api,
    Redis,
    Server,
    celery_worker_with_beat,
    emails_by_notification,
    gunicorn,
    private_redis,
    service_env,
    wait_until,
)
from tests.notifications.factories import add_row
from tests.resources import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

API = "/api/v1"
BEAT_SECONDS = 5  # NOTIFY_DISPATCH_SECONDS: beat sends dispatch_due this often
QUICK = 3.0  # seconds a request may take with Redis down
Status = Notification.Status


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    need_postgres()  # the service shares the test database
    with private_redis(tmp_path / "redis.log") as server:
        yield server


@dataclass
class Service:
    web: Server
    worker: subprocess.Popen[bytes]
    worker_log: Path


@pytest.fixture
def service(redis: Redis, mail_dir: Path, tmp_path: Path) -> Iterator[Service]:
    """gunicorn and a Celery worker with embedded beat, both on the private Redis."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = service_env(
        var_dir,
        database_url(),
        redis_url=redis.url,
        EMAIL_BACKEND="tests.notifications.backends.SlowFileEmailBackend",
        ACUS_TEST_MAIL_DIR=str(mail_dir),
        NOTIFY_DISPATCH_SECONDS=str(BEAT_SECONDS),
    )
    worker_log = tmp_path / "worker.log"
    with (
        gunicorn(env, tmp_path / "gunicorn.log") as server,
        celery_worker_with_beat(env, worker_log, tmp_path / "celerybeat-schedule") as worker,
    ):
        yield Service(server, worker, worker_log)


@pytest.fixture
def api(service: Service) -> Api:
    clinic = make_clinic(name="Harbour Physio", min_notice_minutes=30)
    make_practitioner(clinic, weekdays=range(7), name="Alex Morgan", types=[make_type(clinic, minutes=60)])
    patient = make_patient("pat@example.com", legal_name="Pat Example")
    return Api(service.web.port, Token.objects.create(user=patient.user).key)


def book(api: Api, day: int) -> tuple[Appointment, list[Answer]]:
    """GET slots, hold the first free one in the `day`-th 24 hours from now, confirm it: the patient's path.

    Within 48 hours the pre-visit information is due at once, like the confirmation."""
    kind = AppointmentType.objects.get()
    start = timezone.now() + timedelta(days=day)
    window = {"appointment_type": kind.pk, "start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat()}
    slots = api.get(f"{API}/slots?{urlencode(window)}")
    assert slots.status == 200 and slots.body, str(slots)
    slot = slots.body[0]
    body = {"appointment_type": kind.pk, "practitioner": slot["practitioner"], "start": slot["start"]}
    held = api.post(f"{API}/appointments", body, key=str(uuid.uuid4()))
    assert held.status == 201, str(held)
    confirmed = api.post(f"{API}/appointments/{held.body['id']}/confirm", {})
    assert confirmed.status == 200 and confirmed.body["status"] == "confirmed", str(confirmed)
    return Appointment.objects.get(pk=held.body["id"]), [slots, held, confirmed]


def due_now(appointment: Appointment) -> list[int]:
    rows = Notification.objects.filter(appointment=appointment, due_at__lte=timezone.now())
    return sorted(rows.values_list("pk", flat=True))


def statuses(ids: list[int]) -> set[str]:
    return set(Notification.objects.filter(pk__in=ids).values_list("status", flat=True))


def a_reminder_falls_due(appointment: Appointment, now: datetime) -> None:
    """As if the visit's email reminder fell due while Redis was down."""
    reminders = Notification.objects.filter(appointment=appointment, kind=Kind.REMINDER, status=Status.PENDING)
    if not reminders.update(due_at=now, next_attempt_at=now):
        add_row(appointment, Kind.REMINDER, due_at=now)


def test_bookings_go_on_while_redis_is_down_and_their_messages_go_out_once_when_it_is_back(
    redis: Redis, service: Service, api: Api, mail_dir: Path
) -> None:
    server = service.web
    logs = (server.log, service.worker_log, redis.log)

    # Redis up: the booking's nudge wakes the worker at once.
    before, _ = book(api, day=0)
    sent_before = due_now(before)
    assert len(sent_before) == 2, "the confirmation and the pre-visit information"
    wait_until(lambda: statuses(sent_before) == {Status.SENT}, seconds=30, what="the first booking's mail", logs=logs)

    redis.stop()
    outage = time.monotonic()
    during, answers = book(api, day=1)
    slow = [str(a) for a in answers if a.seconds > QUICK]
    assert not slow, f"with Redis down, the booking waited: {slow}"
    health = api.get("/healthz")
    assert (health.status, health.body) == (503, {"status": "error", "database": "ok", "broker": "unreachable"})
    assert health.seconds < QUICK, str(health)
    a_reminder_falls_due(during, timezone.now())
    waiting = due_now(during)
    assert sorted(Notification.objects.filter(pk__in=waiting).values_list("kind", flat=True)) == sorted(
        [Kind.CONFIRMATION, Kind.PRE_VISIT, Kind.REMINDER]
    )
    time.sleep(max(0.0, BEAT_SECONDS + 1 - (time.monotonic() - outage)))  # a beat period with no broker
    assert statuses(waiting) == {Status.PENDING}, "nothing can reach the worker without Redis"

    redis.start()
    took = wait_until(
        lambda: statuses(waiting) == {Status.SENT},
        seconds=60,
        what="the mail left waiting during the outage",
        logs=logs,
    )
    time.sleep(BEAT_SECONDS + 1)  # another beat: nothing goes twice
    assert emails_by_notification(mail_dir) == {pk: 1 for pk in sent_before + waiting}
    assert api.get("/healthz").status == 200
    assert 500 not in server.statuses(), server.log.read_text()[-6000:]
    assert server.process.poll() is None and service.worker.poll() is None, "gunicorn and the worker kept running"
    print(f"messages left during the outage went {took:.1f} s after Redis was back; gunicorn {server.statuses()}")
