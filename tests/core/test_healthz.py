from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.resources import IN_CI, need_redis

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = 9  # "discard": nothing listens there on this machine


@pytest.mark.django_db
def test_it_reports_ok_when_database_and_broker_answer(client: Client) -> None:
    if IN_CI or os.environ.get("REDIS_URL"):
        need_redis()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_it_answers_503_naming_the_broker_when_redis_is_unreachable(client: Client) -> None:
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0", CELERY_BROKER_TRANSPORT_OPTIONS={}):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unreachable"}


def test_it_answers_503_naming_the_database_when_postgres_is_unreachable(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "ACUS_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://acus@127.0.0.1:{CLOSED_PORT}/acus",
    }
    env.pop("REDIS_URL", None)

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert '"database": "unreachable"' in body
    assert '"broker": "ok"' in body
