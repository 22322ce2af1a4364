"""An outage is two log lines per process, not a line per probe or tick: a stopped
PostgreSQL under gunicorn probed on /healthz, and a stopped Redis under Celery beat.

An outside drill counted 64 ERROR lines for one 15-second database stop (every /healthz
503 logged by django.request) and a SchedulingError traceback on every beat tick while
Redis was down. Each outage here is a few seconds of a private server (tests/faults/live.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.live import (
    Api,
    Postgres,
    Redis,
    gunicorn,
    private_postgres,
    private_redis,
    service_env,
    start,
    stop_process,
    tail,
    wait_until,
)

PROBES = 8
BEAT_SECONDS = 5  # NOTIFY_DISPATCH_SECONDS's minimum: beat sends dispatch_due this often


def json_lines(log: Path) -> list[dict[str, Any]]:
    found = []
    for raw in log.read_text(errors="replace").splitlines():
        if raw.startswith("{"):
            found.append(json.loads(raw))
    return found


def said(log: Path, logger: str) -> list[tuple[str, str]]:
    return [(line["level"], line["message"]) for line in json_lines(log) if line["logger"] == logger]


@pytest.fixture
def cluster() -> Iterator[Postgres]:
    with private_postgres() as postgres:
        yield postgres


@pytest.mark.postgres
def test_a_database_stop_is_one_warning_and_one_info_not_an_error_per_probe(cluster: Postgres, tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    log = tmp_path / "gunicorn.log"
    env = service_env(var_dir, cluster.url, LOG_LEVEL="INFO", LOG_FORMAT="json")

    with gunicorn(env, log, workers=1) as server:
        api = Api(server.port)
        cluster.stop()
        try:
            statuses = [api.get("/healthz").status for _ in range(PROBES)]
        finally:
            cluster.start()
        wait_until(lambda: api.get("/healthz").status == 200, seconds=30, what="/healthz to recover", logs=(log,))
        api.get("/healthz")

    assert statuses == [503] * PROBES, tail(log)
    lines = json_lines(log)
    assert [line for line in lines if line["level"] in ("ERROR", "CRITICAL")] == [], tail(log)
    assert "Traceback" not in log.read_text(), tail(log)
    assert said(log, "core.outages") == [
        ("WARNING", "database unreachable (OperationalError); saying nothing more until it is back"),
        ("INFO", "database reachable again"),
    ], tail(log)


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    with private_redis(tmp_path / "redis.log") as server:
        yield server


@pytest.mark.slow
@pytest.mark.redis
def test_beat_with_redis_stopped_says_so_once_and_once_when_it_is_back(redis: Redis, tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    log = tmp_path / "beat.log"
    database = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # beat only sends; it reads no table
    env = service_env(
        var_dir, database, redis_url=redis.url, LOG_LEVEL="INFO", NOTIFY_DISPATCH_SECONDS=str(BEAT_SECONDS)
    )
    command = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"]
    command += ["--schedule", str(tmp_path / "celerybeat-schedule")]
    beat = start(command, env, log)
    try:
        wait_until(lambda: sending(log) >= 1, seconds=60, what="beat to send a task", logs=(log,))
        redis.stop()
        before = sending(log)
        try:
            wait_until(lambda: sending(log) >= before + 3, seconds=60, what="3 ticks with Redis down", logs=(log,))
        finally:
            redis.start()
        wait_until(
            lambda: ("INFO", "broker reachable again") in said(log, "core.outages"),
            seconds=60,
            what="beat to send again",
            logs=(log,),
        )
    finally:
        stop_process(beat)
        print(tail(log, chars=8000))

    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "SchedulingError" not in text, tail(log)
    assert [line for line in json_lines(log) if line["level"] in ("ERROR", "CRITICAL")] == [], tail(log)
    outage = said(log, "core.outages")
    assert [level for level, _ in outage] == ["WARNING", "INFO"], outage
    assert outage[0][1].startswith("broker unreachable (beat cannot send scheduled tasks:"), outage


def sending(log: Path) -> int:
    """How many times beat has tried to send a due task."""
    return sum(1 for _, message in said(log, "celery.beat") if message.startswith("Scheduler: Sending due task"))
