"""The apps write no SQL that needs a server session beyond one transaction (what PgBouncer in
transaction pooling cannot give: tests/pooler/session_state.py), and the search sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pooler.session_state import app_sources, session_state_in, sql_strings

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_writes_sql_that_needs_a_server_session() -> None:
    sources = list(app_sources(ROOT))
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sources
        for line, what in session_state_in(path.read_text(encoding="utf-8"))
    ]

    assert len(sources) > 100, f"only {len(sources)} modules: is ROOT ({ROOT}) the repository?"
    # It reads the SQL the apps do write: the outbox's one setting is local to its transaction.
    dispatch = (ROOT / "notifications" / "dispatch.py").read_text(encoding="utf-8")
    assert "SET LOCAL synchronous_commit TO OFF" in [c.value for c in sql_strings(dispatch)]
    assert not found, found


@pytest.mark.parametrize(
    "source",
    [
        'cursor.execute("SELECT pg_advisory_lock(%s)", [key])',
        'cursor.execute("select pg_try_advisory_lock(42)")',
        'cursor.execute("SET statement_timeout = 5000")',
        "cursor.execute(\"SET SESSION lock_timeout TO '1s'\")",
        "cursor.execute(\"SELECT set_config('app.clinic', %s, false)\", [scope])",
        'cursor.execute("LISTEN outbox")',
        'cursor.execute("NOTIFY outbox")',
        "cursor.execute(\"SELECT pg_notify('outbox', '1')\")",
        'cursor.execute("CREATE TEMP TABLE picked (id bigint)")',
        'cursor.execute("DECLARE c CURSOR WITH HOLD FOR SELECT 1")',
        'cursor.execute(f"SET search_path TO {schema}")',
        'FORWARD_SQL = "CREATE TEMPORARY TABLE picked (id bigint)"',
        "Model.objects.raw(\"SELECT * FROM t; SET work_mem = '64MB'\")",
    ],
)
def test_the_search_sees_session_state(source: str) -> None:
    assert list(session_state_in(source))


@pytest.mark.parametrize(
    "source",
    [
        'cursor.execute("SET LOCAL synchronous_commit TO OFF")',
        'cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])',
        "cursor.execute(\"SELECT set_config('app.clinic', %s, true)\", [scope])",
        'cursor.execute("UPDATE booking_appointment SET status = %s WHERE id = %s", [s, pk])',
        'cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")',
        'NOTIFY_DISPATCH_SECONDS = envint("NOTIFY_DISPATCH_SECONDS", 30)',
        'help_text = "Settings to listen for"',
        '"""Listen: SET the table WITH HOLD, as a docstring may say."""',
    ],
)
def test_the_search_lets_transaction_local_sql_be(source: str) -> None:
    assert list(session_state_in(source)) == []
