"""The start-up check says which database setting would break behind a transaction pooler."""

from __future__ import annotations

from typing import Any

import pytest

from config.database import transaction_pooled
from core.checks import pooling_problems

POSTGRES: dict[str, Any] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "acus",
    "HOST": "pgbouncer",
    "PORT": 6432,
    "OPTIONS": {"connect_timeout": 5},
}


def ids(pooler: str, db: dict[str, Any]) -> list[str]:
    return [message.id or "" for message in pooling_problems(pooler, {"default": db})]


def test_the_pooled_settings_raise_no_warning() -> None:
    assert ids("transaction", transaction_pooled(POSTGRES)) == []


def test_without_a_transaction_pooler_nothing_is_asked() -> None:
    assert ids("none", POSTGRES) == []
    assert ids("session", {**POSTGRES, "OPTIONS": {"assume_role": "acus_app"}}) == []


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"DISABLE_SERVER_SIDE_CURSORS": False}, "core.W102"),
        ({"OPTIONS": {"prepare_threshold": 5}}, "core.W103"),
        ({"OPTIONS": {"prepare_threshold": None, "assume_role": "acus_app"}}, "core.W104"),
        ({"OPTIONS": {"prepare_threshold": None, "options": "-c statement_timeout=5s"}}, "core.W105"),
        ({"ENGINE": "django.db.backends.sqlite3"}, "core.W101"),
    ],
)
def test_it_warns_about_what_needs_a_server_session(change: dict[str, Any], warning: str) -> None:
    assert ids("transaction", {**transaction_pooled(POSTGRES), **change}) == [warning]


def test_a_database_set_by_hand_without_the_pooled_settings_gets_both_warnings() -> None:
    assert ids("transaction", {**POSTGRES, "OPTIONS": {"prepare_threshold": 5}}) == ["core.W102", "core.W103"]
