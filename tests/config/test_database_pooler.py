"""DATABASE_POOLER=transaction gives settings that work through PgBouncer in transaction
pooling (tests/pooler/ runs them through a real one), and nothing changes without it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.config.environment import ROOT, manage, settings_env

URL = "postgres://acus:secret@pgbouncer:6432/acus"
SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(json.dumps([s.DATABASE_POOLER, d.get('DISABLE_SERVER_SIDE_CURSORS', False), "
    "d['OPTIONS'].get('prepare_threshold', 'unset'), d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['PORT'], "
    "d['OPTIONS'].get('server_side_binding')]))"
)


def database_settings(**env: str) -> list[object]:
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=settings_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_transaction_pooling_turns_off_server_side_cursors_and_prepared_statements() -> None:
    assert database_settings(DATABASE_URL=URL, DATABASE_POOLER="transaction") == [
        "transaction",
        True,
        None,
        60,  # kept: the connection to PgBouncer is cheap to keep, the pooler shares the server's
        True,
        6432,
        True,  # server-side binding stays: its unnamed statements live within one round of the protocol
    ]


@pytest.mark.parametrize("pooler", ["<unset>", "none", "session"])
def test_without_transaction_pooling_queries_are_prepared_on_the_server(pooler: str) -> None:
    found = database_settings(DATABASE_URL=URL, DATABASE_POOLER=pooler)

    # Server-side cursors on, and psycopg prepares a query on its sixth run (config/database.py).
    assert [found[1], found[2], found[-1]] == [False, 5, True]


def test_the_production_check_is_clean_behind_a_transaction_pooler() -> None:
    result = manage("check", "--deploy", "--fail-level", "DEBUG", DATABASE_URL=URL, DATABASE_POOLER="transaction")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": URL, "DATABASE_POOLER": "pgpool"},
            "DATABASE_POOLER must be one of none, session, transaction",
        ),
        (
            {"DATABASE_URL": "sqlite:///tmp/acus.sqlite3", "DATABASE_POOLER": "transaction"},
            "DATABASE_POOLER is for PostgreSQL",
        ),
    ],
)
def test_it_refuses_a_pooler_it_cannot_honour(env: dict[str, str], message: str, tmp_path: Path) -> None:
    result = manage("check", ACUS_VAR_DIR=str(tmp_path), **env)

    assert result.returncode != 0
    assert message in result.stderr
