"""Multiprocess mode for real: gunicorn with two workers (config/gunicorn.py's hooks) and
PROMETHEUS_MULTIPROC_DIR. Whichever worker answers the scrape counts the requests both
served, and a worker that is replaced takes nothing away from the count."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.faults.live import HOST, Api, free_port, service_env, start, stop_process, tail, wait_until
from tests.metrics.scrape import Scrape, parse
from tests.resources import need_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ACCESS = re.compile(r"access <(\d+)> (\d{3}) GET /healthz\b")
GONE_PID = 2**22 + 7  # above Linux's highest pid: no process has it


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def healthz_by_worker(log: Path) -> dict[int, int]:
    served: dict[int, int] = {}
    for pid, status in ACCESS.findall(log.read_text(errors="replace")):
        if status == "200":
            served[int(pid)] = served.get(int(pid), 0) + 1
    return served


def scrape_over_http(api: Api) -> Scrape:
    answer = api.get("/metrics")
    assert answer.status == 200, answer
    return parse(answer.body)


def test_two_workers_count_into_one_scrape(tmp_path: Path) -> None:
    need_postgres()
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / f"counter_{GONE_PID}.db").write_bytes(b"left by an earlier run")
    env = service_env(tmp_path / "var", database_url(), PROMETHEUS_MULTIPROC_DIR=str(folder))
    port, log = free_port(), tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", "python:config.gunicorn"]
    command += ["--bind", f"{HOST}:{port}", "--workers", "2", "--no-control-socket"]
    command += ["--access-logfile", "-", "--access-logformat", "access %(p)s %(s)s %(m)s %(U)s"]
    process = start(command, env, log)
    api = Api(port)
    try:
        wait_until(lambda: api.get("/healthz").status == 200, seconds=60, what="gunicorn", logs=(log,))
        assert not (folder / f"counter_{GONE_PID}.db").exists()  # the master cleared it before forking

        # Eight at a time, so that both sync workers take some, until both have: a worker loads
        # every view before it accepts (config/wsgi.py), so the second may still be starting
        # when the first answers.
        answered = [1]  # the readiness check's 200

        def both_served() -> bool:
            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(lambda _: api.get("/healthz").status, range(60)))
            assert statuses == [200] * 60
            answered[0] += 60
            return len(healthz_by_worker(log)) == 2

        wait_until(both_served, seconds=60, what="both workers to answer", logs=(log,))
        # gunicorn writes a request's access line after the answer has gone out, so the last
        # lines may still be on their way.
        logged = lambda: sum(healthz_by_worker(log).values()) == answered[0]  # noqa: E731
        wait_until(logged, seconds=10, what="every answer's access line", logs=(log,))
        served = healthz_by_worker(log)
        assert len(served) == 2, served
        assert scrape_over_http(api).value("acus_http_requests_total", route="healthz") == sum(served.values())

        # One worker is replaced: its counts stay in its file, the new one adds its own.
        os.kill(min(served), signal.SIGTERM)
        time.sleep(3)
        assert api.get("/healthz").status == 200
        wait_until(lambda: len(list(folder.glob("counter_*.db"))) >= 3, seconds=30, what="a new worker", logs=(log,))
        total = sum(served.values()) + 1
        wait_until(
            lambda: sum(healthz_by_worker(log).values()) == total, seconds=10, what="its access line", logs=(log,)
        )
        assert scrape_over_http(api).value("acus_http_requests_total", route="healthz") == total
    finally:
        stop_process(process)
        print(tail(log))
