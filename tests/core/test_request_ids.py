"""Every request has an id: taken from our proxy's X-Request-ID when well-formed, else made
here; it is in the answer's X-Request-ID, in every log line of the request, and in the
log lines of the Celery tasks the request causes."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client, override_settings

from core import request_id
from core.log_json import JsonFormatter
from tests.notifications.workers import celery_worker, wait_until
from tests.resources import need_postgres, need_redis

UUID_HEX = re.compile(r"[0-9a-f]{32}")
PROXY = "10.0.0.7"


def test_it_makes_an_id_and_returns_it(client: Client) -> None:
    response = client.get("/healthz")

    assert UUID_HEX.fullmatch(response["X-Request-ID"])
    assert response["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_it_keeps_a_well_formed_id_from_a_trusted_proxy(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c2e.0001", REMOTE_ADDR=PROXY)

    assert response["X-Request-ID"] == "lb-7f3a9c2e.0001"


@override_settings(TRUSTED_PROXIES=[PROXY])
@pytest.mark.parametrize("offered", ["short", "x" * 65, "has space in it", 'quote"injection', "line\nbreak-xxxx"])
def test_it_replaces_a_malformed_id(client: Client, offered: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered, REMOTE_ADDR=PROXY)

    assert UUID_HEX.fullmatch(response["X-Request-ID"])


def test_it_ignores_an_id_from_anyone_else(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-caller", REMOTE_ADDR="203.0.113.9")

    assert response["X-Request-ID"] != "chosen-by-the-caller"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


def test_the_requests_log_lines_carry_it(client: Client) -> None:
    handler = Lines()
    logging.getLogger("django.request").addHandler(handler)
    try:
        response = client.get("/no-such-page/")  # Django logs the 404 after the middleware returned
    finally:
        logging.getLogger("django.request").removeHandler(handler)

    line = handler.lines[-1]
    assert response.status_code == 404
    assert line["request_id"] == response["X-Request-ID"]
    assert request_id.request_id.get() is None  # gone once the request is answered


def test_a_published_task_carries_it_and_the_worker_binds_it() -> None:
    headers: dict[str, object] = {}
    token = request_id.request_id.set("abcdef0123456789")
    try:
        request_id.add_to_task_headers(headers=headers)
    finally:
        request_id.request_id.reset(token)
    task = SimpleNamespace(name="booking.expire_stale_holds", request=SimpleNamespace(**headers))

    request_id.bind_for_task(task_id="t-1", task=task)
    try:
        assert request_id.request_id.get() == "abcdef0123456789"
        assert request_id.current_task.get() == ("booking.expire_stale_holds", "t-1")
    finally:
        request_id.clear_after_task()
    assert request_id.request_id.get() is None
    assert request_id.current_task.get() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.core.task_view")
def test_a_workers_lines_for_the_task_carry_the_requests_id(client: Client, tmp_path: Path) -> None:
    need_postgres()
    redis_url = need_redis()
    log = tmp_path / "worker.log"

    with celery_worker(tmp_path, log, redis_url, LOG_FORMAT="json"):
        response = client.get("/enqueue")
        task_id = response.json()["task_id"]
        rid = response["X-Request-ID"]

        def task_lines() -> list[dict[str, object]]:
            lines = [json.loads(raw) for raw in log.read_text().splitlines() if raw.startswith("{")]
            return [line for line in lines if line.get("task_id") == task_id]

        wait_until(
            lambda: any("succeeded" in str(line["message"]) for line in task_lines()),
            seconds=60,
            what="the task to run",
            log=log,
        )

    assert all(line["request_id"] == rid for line in task_lines())
    assert all(line["task"] == "booking.expire_stale_holds" for line in task_lines())
    assert all(line.keys() >= {"time", "level", "logger", "message"} for line in task_lines())
