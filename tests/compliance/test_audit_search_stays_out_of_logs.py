"""A search of the consent audit for a patient's email leaves no email in request logs.

The search travels in the query string (`?q=`), so the query string is dropped from
every request log line: gunicorn's access log in production, `runserver`'s lines
(django.server) in development, and django.request's warnings. Each is checked with
the real thing writing the line."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer, get_internal_wsgi_application
from django.test import Client

from core.log_redaction import redact

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "pat@example.com"
SEARCH = "/staff/audit/consents/?q=pat%40example.com&status=active"


def assert_no_email(text: str) -> None:
    for form in (EMAIL, "pat%40example.com", "example.com"):
        assert form not in text, text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_redacts_every_query_string_in_a_line() -> None:
    line = '"GET /staff/audit/consents/?q=pat%40example.com HTTP/1.1" 302 0 /signin/?next=/a/%3Fq%3Dx'

    assert redact(line) == '"GET /staff/audit/consents/?[redacted] HTTP/1.1" 302 0 /signin/?[redacted]'


@pytest.mark.django_db
def test_django_request_warnings_name_the_path_only(admin_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    refused = admin_client.get(SEARCH + "&signed_from=not-a-date")  # a 400, which django.request reports
    found = admin_client.get(SEARCH)

    assert (refused.status_code, found.status_code) == (400, 200)
    lines = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert lines and "/staff/audit/consents/" in lines[0]
    assert_no_email(caplog.text)


@pytest.fixture
def runserver(transactional_db: None) -> Iterator[str]:
    """Django's development server (the one `runserver` starts), with its own request handler."""
    server = WSGIServer(("127.0.0.1", free_port()), WSGIRequestHandler)
    server.set_app(get_internal_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_runserver_request_lines_leave_the_email_out(runserver: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="django.server")

    answer = requests.get(runserver + SEARCH, timeout=10)  # signed out: sent on to the sign-in, next= and all

    assert answer.history and answer.status_code == 200
    lines = server_lines(caplog, expected=len(answer.history) + 1)
    assert any("/staff/audit/consents/?[redacted]" in line for line in lines), lines
    assert any("/staff/signin/?[redacted]" in line for line in lines), lines
    assert_no_email(caplog.text)


def server_lines(caplog: pytest.LogCaptureFixture, *, expected: int) -> list[str]:
    """The server writes a request's line after sending its answer: wait for the last one."""
    deadline = time.monotonic() + 5
    while True:
        lines = [r.getMessage() for r in caplog.records if r.name == "django.server"]
        if len(lines) >= expected or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def compose_web_command() -> list[str]:
    return list(yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"])


def test_gunicorns_access_log_format_in_compose_names_no_query_string() -> None:
    command = compose_web_command()
    log_format = command[command.index("--access-logformat") + 1]

    # %(r)s is the request line and %(q)s the query string; %(f)s, the referrer, repeats them.
    assert "%(U)s" in log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({referer}i)s", "%({query_string}e)s"):
        assert atom not in log_format


def test_gunicorn_started_as_compose_starts_it_logs_the_path_without_the_email(tmp_path: Path) -> None:
    command = compose_web_command()
    port = free_port()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    env = {**os.environ, "DEBUG": "1", "ACUS_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # a signed-out request reaches no database; SQLite in tmp_path if it did
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        answer = wait_and_get(f"http://127.0.0.1:{port}{SEARCH}")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)

    assert answer.status_code == 200, output
    access = [line for line in output.splitlines() if " /staff/" in line]
    assert any("GET /staff/audit/consents/ HTTP/1.1 302" in line for line in access), output
    assert_no_email(output)


def wait_and_get(url: str) -> Any:
    deadline = time.monotonic() + 30
    while True:
        try:
            return requests.get(url, timeout=10)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
