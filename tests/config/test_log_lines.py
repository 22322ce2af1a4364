"""Every process writes JSON lines unless LOG_FORMAT=plain: gunicorn started as docker-compose
starts it (its own lines and the access log too), with the answer's request id in its access
line; bad values for the new variables stop start-up; workers run without gossip or mingle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from tests.config.environment import ROOT, manage
from tests.faults.live import free_port


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def run_gunicorn_as_compose_does(tmp_path: Path, **env: str) -> tuple[requests.Response, str]:
    command = list(compose()["services"]["web"]["command"])
    port = free_port()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    child = {**os.environ, "DEBUG": "1", "ACUS_VAR_DIR": str(tmp_path), **env}
    for name in ("DATABASE_URL", "REDIS_URL", "LOG_FORMAT"):
        if name not in env:
            child.pop(name, None)
    server = subprocess.Popen(command, cwd=ROOT, env=child, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return answer, output


def test_gunicorn_as_compose_starts_it_writes_only_json_lines(tmp_path: Path) -> None:
    answer, output = run_gunicorn_as_compose_does(tmp_path)

    lines = [json.loads(raw) for raw in output.splitlines() if raw.strip()]  # fails on any other line
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= {line["logger"] for line in lines}, output
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert access[-1]["request_id"] == answer.headers["X-Request-ID"], output
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found[-1]["request_id"] == answer.headers["X-Request-ID"], output
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)


def test_log_format_plain_keeps_the_old_lines(tmp_path: Path) -> None:
    _, output = run_gunicorn_as_compose_does(tmp_path, LOG_FORMAT="plain")

    assert not any(raw.startswith("{") for raw in output.splitlines()), output
    assert "WARNING django.request Not Found: /no-such-page/" in output


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of json, plain"),
        ("SENTRY_TRACES_SAMPLE_RATE", "2", "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1"),
        ("SENTRY_TRACES_SAMPLE_RATE", "often", "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1"),
    ],
)
def test_it_refuses_bad_values(name: str, value: str, message: str) -> None:
    result = manage("check", **{name: value, "SENTRY_DSN": "https://public@sentry.invalid/1"})

    assert result.returncode != 0
    assert message in result.stderr


def test_workers_run_without_gossip_and_mingle_everywhere_they_start() -> None:
    # gossip's consumer logged an AttributeError traceback on every broker loss; Acus uses
    # neither it nor mingle.
    worker = compose()["services"]["worker"]["command"]
    run = (ROOT / "scripts" / "run.sh").read_text()

    assert {"--without-gossip", "--without-mingle"} <= set(worker)
    assert "--without-gossip --without-mingle" in run
    assert 'LOG_FORMAT="${LOG_FORMAT:-plain}"' in run
