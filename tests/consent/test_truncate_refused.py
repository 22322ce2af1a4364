"""TRUNCATE fires no row triggers, so each append-only table has its own statement trigger
that refuses it: a signed record cannot be wiped quietly with `TRUNCATE ... CASCADE`."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests.resources import need_postgres

pytestmark = pytest.mark.django_db

APPEND_ONLY = [
    "accounts_accountevent",
    "booking_appointmentevent",
    "booking_practitionerevent",
    "booking_erasurerequest",
    "consent_consentformversion",
    "consent_questionnaireversion",
    "consent_screeningresponse",
    "consent_signedconsent",
    "consent_consentwithdrawal",
    "consent_screeningreview",
    "consent_consentaccesslog",
    "consent_consentexport",
    "consent_chainverification",
    "care_careplanstatuschange",
    "care_outcomescore",
    "care_healthchangeanswer",
    "care_discharge",
    "calendars_calendarevent",
    "interop_clientcall",
]


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_it_refuses_truncate_of_an_append_only_table(table: str) -> None:
    need_postgres()
    with connection.cursor() as cursor:
        # The suite's own sessions may truncate (for the flush between tests); the service's never do.
        cursor.execute("SET acus.allow_truncate = 'off'")
        try:
            with pytest.raises(DatabaseError, match=f"TRUNCATE on {table} is not allowed"), transaction.atomic():
                cursor.execute(f"TRUNCATE {table} CASCADE")
        finally:
            cursor.execute("SET acus.allow_truncate = 'on'")


def test_every_append_only_table_refuses_truncate() -> None:
    need_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
            ["%_append_only"],
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert guarded == set(APPEND_ONLY)
