"""Issue 20's push end to end, with a real Celery worker on Redis (the pattern of
tests/waitlist/test_end_to_end.py): a visit booked through booking's services with
CALENDAR_PUSH_NUDGE on queues calendars.push_copy after commit, and the worker puts the event
in the practitioner's Radicale calendar; cancelled, the worker removes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import current_app
from django.test import override_settings

from accounts.models import User
from booking import services
from calendars.models import VisitCopy
from calendars.uids import visit_uid
from tests.accounts.factories import make_patient, make_staff
from tests.calendars.factories import KEYS
from tests.calendars.push_world import book, connect, event_in, uids_in, week_ahead
from tests.calendars.servers import Radicale
from tests.notifications.workers import celery_worker, wait_until
from tests.resources import need_postgres, need_redis
from tests.workspace.factories import make_desk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]
SECONDS = 60


@pytest.fixture(scope="module")
def worker_log(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    need_postgres()
    redis_url = need_redis()
    folder = tmp_path_factory.mktemp("calendars-push")
    log = folder / "worker.log"
    # Nothing a crashed earlier run left in the queue reaches this worker.
    redis.Redis.from_url(redis_url).delete(current_app.conf.task_default_queue or "celery")
    # The worker runs the real settings: it needs the key these tests seal with (conftest.py)
    # and loopback calendars.
    env = {"CALENDAR_KEYS": ",".join(KEYS), "CALENDAR_ALLOW_PRIVATE_HOSTS": "1"}
    with celery_worker(folder / "mail", log, redis_url, **env):
        yield log


def test_the_worker_puts_a_booked_visit_in_the_calendar_and_removes_it_when_cancelled(
    worker_log: Path, radicale: Radicale
) -> None:
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN))
    calendar = connect(radicale, desk.alex)
    patient = make_patient(legal_name="Jane Doe")
    uid = None

    with override_settings(CALENDAR_PUSH_NUDGE=True):
        visit = book(desk, patient, desk.at("10:00", week_ahead(desk)))
        uid = visit_uid(visit.pk)
        wait_until(lambda: uid in uids_in(radicale, calendar), seconds=SECONDS, what="the event", log=worker_log)
        assert event_in(radicale, calendar, visit)["start"] == visit.start
        wait_until(
            lambda: VisitCopy.objects.filter(appointment=visit, exists=True).exists(),
            seconds=SECONDS,
            what="the copy's record",
            log=worker_log,
        )

        services.cancel_appointment(visit, actor=patient.user)
        wait_until(lambda: uid not in uids_in(radicale, calendar), seconds=SECONDS, what="the removal", log=worker_log)

    copy = VisitCopy.objects.get(appointment=visit)
    wait_until(
        lambda: VisitCopy.objects.get(pk=copy.pk).exists is False, seconds=SECONDS, what="the record", log=worker_log
    )
    copy.refresh_from_db()
    assert copy.written == copy.wanted and copy.attempts == 0
