"""Who syncs when: two syncs of one calendar at once do the work once (the lease); a lease left
by a dead worker runs out; calendars.sync_due queues the calendars due, and through a real broker
a real Celery worker reads a due calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import time_machine
from celery import current_app
from django.utils import timezone

from calendars import tasks
from calendars.models import BusyRange, Connection
from calendars.services.sync import lease_length, sync_connection
from tests.calendars.factories import KEYS
from tests.calendars.servers import IcsServer
from tests.calendars.sync_world import EVENTS, NOW, calendar, connect, make_world
from tests.notifications.workers import celery_worker, wait_until
from tests.races import race
from tests.resources import need_postgres, need_redis


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_syncs_of_one_calendar_at_once_read_it_once(
    ics_server: IcsServer, time_machine: time_machine.TimeMachineFixture
) -> None:
    need_postgres()
    time_machine.move_to(NOW, tick=False)
    world = make_world()
    url = ics_server.serve("/feed.ics", calendar(*EVENTS.values()))
    connection = connect(world, kind=Connection.Kind.ICS, url=url)
    ics_server.delay = 0.5  # the first is still reading when the second arrives

    outcomes = race([lambda: sync_connection(connection.pk), lambda: sync_connection(connection.pk)])

    assert sorted(outcomes, key=str) == [False, True]
    assert ics_server.requests == ["/feed.ics"]
    assert BusyRange.objects.filter(connection=connection).count() == 6


@pytest.mark.django_db
def test_a_calendar_another_worker_is_syncing_is_skipped(ics_server: IcsServer) -> None:
    world = make_world()
    connection = connect(world, kind=Connection.Kind.ICS, url=ics_server.serve("/feed.ics", calendar()))
    Connection.objects.filter(pk=connection.pk).update(sync_leased_until=timezone.now() + timedelta(minutes=1))

    assert sync_connection(connection.pk) is False
    assert ics_server.requests == []


@pytest.mark.django_db
def test_a_lease_left_by_a_dead_worker_runs_out(ics_server: IcsServer) -> None:
    world = make_world()
    connection = connect(world, kind=Connection.Kind.ICS, url=ics_server.serve("/feed.ics", calendar()))
    Connection.objects.filter(pk=connection.pk).update(sync_leased_until=timezone.now() - timedelta(seconds=1))

    assert sync_connection(connection.pk) is True
    connection.refresh_from_db()
    assert connection.sync_leased_until is None and connection.last_success_at is not None


def test_the_lease_outlasts_a_whole_fetch(settings: Any) -> None:
    settings.CALENDAR_FETCH_SECONDS = 30
    assert lease_length() > timedelta(seconds=30)


@pytest.mark.django_db
def test_sync_due_queues_calendars_not_read_for_the_interval_and_not_paused(
    ics_server: IcsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world()
    now = timezone.now()

    def calendar_at(tried: datetime | None, **fields: Any) -> int:
        connection = connect(world, kind=Connection.Kind.ICS, url=ics_server.serve("/feed.ics", calendar()))
        Connection.objects.filter(pk=connection.pk).update(last_attempt_at=tried, **fields)
        return connection.pk

    never = calendar_at(None)
    old = calendar_at(now - timedelta(minutes=11))
    failing = calendar_at(now - timedelta(minutes=11), last_failure=Connection.Failure.UNREACHABLE, failures=3)
    calendar_at(now - timedelta(minutes=3))  # read recently
    calendar_at(None, paused=True)
    calendar_at(None, sync_leased_until=now + timedelta(minutes=1))  # being read
    queued: list[int] = []
    monkeypatch.setattr(tasks.sync_connection, "delay", queued.append)

    assert tasks.sync_due(minutes=10) == 3

    assert sorted(queued) == sorted([never, old, failing])


def test_beat_runs_sync_due_every_minute_with_the_interval_from_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from config.schedule import beat_schedule

    monkeypatch.setenv("CALENDAR_SYNC_MINUTES", "15")
    entry = beat_schedule()["calendars-sync-due"]
    assert entry["task"] == "calendars.sync_due" and entry["schedule"] == 60.0
    assert entry["kwargs"] == {"minutes": 15} and entry["options"]["expires"] < 60
    assert "calendars.sync_due" in current_app.tasks and "calendars.sync_connection" in current_app.tasks


@pytest.fixture(scope="module")
def worker_log(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    need_postgres()
    redis_url = need_redis()
    folder = tmp_path_factory.mktemp("calendar-sync-worker")
    (folder / "mail").mkdir()
    log = folder / "worker.log"
    redis.Redis.from_url(redis_url).delete(current_app.conf.task_default_queue or "celery")
    extra = {"CALENDAR_KEYS": KEYS[0], "CALENDAR_ALLOW_PRIVATE_HOSTS": "1"}
    with celery_worker(folder / "mail", log, redis_url, **extra):
        yield log


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.redis
def test_sync_due_through_the_broker_has_a_worker_read_a_due_calendar(worker_log: Path, ics_server: IcsServer) -> None:
    world = make_world()
    # The worker runs on the real clock: an event three days from now, 10:00-11:30 UTC.
    day = timezone.now().date() + timedelta(days=3)
    start, end = datetime.combine(day, time(10), UTC), datetime.combine(day, time(11, 30), UTC)
    event = EVENTS["single"].replace(";TZID=Europe/London:20260324T113000", f":{start:%Y%m%dT%H%M%SZ}")
    event = event.replace(";TZID=Europe/London:20260324T121500", f":{end:%Y%m%dT%H%M%SZ}")
    connection = connect(world, kind=Connection.Kind.ICS, url=ics_server.serve("/worker.ics", calendar(event)))

    current_app.send_task("calendars.sync_due", kwargs={"minutes": 10})

    wait_until(
        lambda: Connection.objects.filter(pk=connection.pk, last_success_at__isnull=False).exists(),
        seconds=60,
        what="the worker to sync the due calendar",
        log=worker_log,
    )
    ranges = list(BusyRange.objects.filter(connection=connection).values_list("start", "end"))
    assert ranges == [(start, end)]
    assert ics_server.requests == ["/worker.ics"]


@pytest.mark.django_db
def test_an_unexpected_error_releases_the_lease(ics_server: IcsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world()
    connection = connect(world, kind=Connection.Kind.ICS, url=ics_server.serve("/feed.ics", calendar()))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("calendars.services.sync.busy_intervals", broken)
    with pytest.raises(RuntimeError):
        sync_connection(connection.pk)

    connection.refresh_from_db()
    assert connection.sync_leased_until is None and connection.last_failure == ""
