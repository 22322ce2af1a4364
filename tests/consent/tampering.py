"""Changing signed records behind the app's back, as the integrity tests need to."""

from __future__ import annotations

from django.db import connection


def tamper(sql: str, params: list[str | int]) -> None:
    """Alter a row behind the app's back, with the append-only triggers off (as a rogue DBA could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Replica mode skips user triggers for this session: a superuser's way round them.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
