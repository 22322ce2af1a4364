"""Asking PostgreSQL directly whether any two live appointments overlap: the proof every race
test ends with (booking's own races, and a course's series racing in tests/care)."""

from __future__ import annotations

from django.db import connection

LIVE = "('held', 'pending_review', 'confirmed')"


def overlapping_pairs(column: str, start: str, end: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
              ON a.{column} = b.{column} AND a.id < b.id
             AND tstzrange(a.{start}, a.{end}, '[)') && tstzrange(b.{start}, b.{end}, '[)')
            WHERE a.status IN {LIVE} AND b.status IN {LIVE}
            """
        )
        return int(cursor.fetchone()[0])


def assert_no_overlaps() -> None:
    assert overlapping_pairs("practitioner_id", "blocked_start", "blocked_end") == 0
    assert overlapping_pairs("patient_id", "start", '"end"') == 0
