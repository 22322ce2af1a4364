"""An expected outage is one WARNING when it starts and one INFO when it ends, per process:
not an ERROR per /healthz probe, nor a traceback per beat tick."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
from celery.beat import SchedulingError
from django.test import Client, override_settings
from kombu.exceptions import OperationalError

from core import outages

CLOSED_PORT = 9
BROKER_DOWN = {"CELERY_BROKER_URL": f"redis://127.0.0.1:{CLOSED_PORT}/0", "CELERY_BROKER_TRANSPORT_OPTIONS": {}}


@pytest.fixture(autouse=True)
def _nothing_down() -> Iterator[None]:
    outages._down.clear()
    yield
    outages._down.clear()


def lines(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno == level]


@pytest.mark.django_db
def test_probes_during_an_outage_log_one_warning_and_no_errors(
    client: Client, caplog: pytest.LogCaptureFixture, tmp_path: object
) -> None:
    caplog.set_level(logging.INFO)
    with override_settings(**BROKER_DOWN):
        statuses = [client.get("/healthz").status_code for _ in range(5)]

    assert statuses == [503] * 5
    assert lines(caplog, logging.ERROR) == []
    warnings = lines(caplog, logging.WARNING)
    assert len(warnings) == 1
    assert "broker unreachable" in warnings[0]


@pytest.mark.django_db
def test_recovery_logs_one_info_line(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="core.outages")
    outages.note("broker", "ConnectionError")
    caplog.clear()

    for _ in range(3):
        client.get("/healthz")

    assert [r.getMessage() for r in caplog.records if r.name == "core.outages"] == ["broker reachable again"]


def scheduling_error() -> logging.LogRecord:
    try:
        try:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        except OperationalError as exc:
            raise SchedulingError(f"Couldn't apply scheduled task dispatch: {exc}") from exc
    except SchedulingError:
        info = sys.exc_info()
    return logging.LogRecord("celery.beat", logging.ERROR, __file__, 1, "Message Error: %s\n%s", ("x", "y"), info)


def test_beat_says_once_that_it_cannot_reach_the_broker_and_once_that_it_can(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="core.outages")
    collapse = outages.CollapseBeatBrokerErrors()

    passed = [collapse.filter(scheduling_error()) for _ in range(10)]
    outages.broker_published()
    outages.broker_published()

    assert passed == [False] * 10  # no traceback at all
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "core.outages"]
    assert said == [
        (
            "WARNING",
            "broker unreachable (beat cannot send scheduled tasks: OperationalError); "
            "saying nothing more until it is back",
        ),
        ("INFO", "broker reachable again"),
    ]


def test_other_scheduling_errors_keep_their_traceback() -> None:
    try:
        try:
            raise TypeError("Object of type Clinic is not JSON serializable")
        except TypeError as exc:
            raise SchedulingError("Couldn't apply scheduled task x") from exc
    except SchedulingError:
        info = sys.exc_info()
    record = logging.LogRecord("celery.beat", logging.ERROR, __file__, 1, "Message Error", (), info)

    assert outages.CollapseBeatBrokerErrors().filter(record) is True
