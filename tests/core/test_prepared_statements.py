"""On a direct connection PostgreSQL plans a query the API runs over and over only once per
connection (config/database.py: server-side binding and psycopg's prepare_threshold), and a
prepared query answers exactly as an unprepared one."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import User
from config.database import PREPARE_THRESHOLD
from tests.accounts.factories import make_patient
from tests.resources import need_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_often_on_one_connection_is_prepared_once_and_keeps_its_answers() -> None:
    need_postgres()
    make_patient("pat@example.com")
    make_patient("other@example.com")

    answers = [
        list(User.objects.filter(email=email).values_list("email", flat=True))
        for _ in range(PREPARE_THRESHOLD + 2)
        for email in ("pat@example.com", "other@example.com", "nobody@example.com")
    ]

    assert any('"accounts_user"."email" = $1' in sql for sql in prepared_statements())
    assert answers == [["pat@example.com"], ["other@example.com"], []] * (PREPARE_THRESHOLD + 2)


def test_a_query_run_fewer_times_than_the_threshold_is_not_prepared() -> None:
    need_postgres()

    for _ in range(PREPARE_THRESHOLD - 1):
        list(User.objects.filter(language="never-prepared").values_list("pk", flat=True))

    assert not any('"accounts_user"."language" = $1' in sql for sql in prepared_statements())
