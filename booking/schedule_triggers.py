"""SQL for the triggers that bump booking_scheduleversion (booking.models.schedule_versions).

Used by the migrations that create them (booking 0012, calendars 0002), for PostgreSQL and for
SQLite. Each table named has a practitioner_id column; an update bumps the old and the new
practitioner (a visit moved to someone else frees the one and fills the other)."""

from __future__ import annotations

from typing import Any

FUNCTION = "booking_bump_schedule_version"

_BUMP_PG = """
INSERT INTO booking_scheduleversion (practitioner_id, version) VALUES ({who}.practitioner_id, 1)
ON CONFLICT (practitioner_id) DO UPDATE SET version = booking_scheduleversion.version + 1;"""

FUNCTION_PG = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.practitioner_id IS NOT NULL THEN{_BUMP_PG.format(who="OLD")}
    END IF;
    IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.practitioner_id IS DISTINCT FROM OLD.practitioner_id))
        AND NEW.practitioner_id IS NOT NULL THEN{_BUMP_PG.format(who="NEW")}
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;"""

_BUMP_SQLITE = """
    INSERT INTO booking_scheduleversion (practitioner_id, version)
    SELECT {who}.practitioner_id, 1 WHERE {who}.practitioner_id IS NOT NULL
    ON CONFLICT (practitioner_id) DO UPDATE SET version = version + 1;"""


def _name(table: str, op: str = "") -> str:
    return f"{table}_schedule_version{op}"


def create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"
        ]
    if vendor == "sqlite":
        old, new = _BUMP_SQLITE.format(who="OLD"), _BUMP_SQLITE.format(who="NEW")
        return [
            f"CREATE TRIGGER {_name(table, '_insert')} AFTER INSERT ON {table} BEGIN{new}\nEND;",
            f"CREATE TRIGGER {_name(table, '_update')} AFTER UPDATE ON {table} BEGIN{old}{new}\nEND;",
            f"CREATE TRIGGER {_name(table, '_delete')} AFTER DELETE ON {table} BEGIN{old}\nEND;",
        ]
    raise NotImplementedError(f"schedule version triggers for {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {_name(table)} ON {table};"]
    return [f"DROP TRIGGER IF EXISTS {_name(table, op)};" for op in ("_insert", "_update", "_delete")]


def installer(tables: list[str], *, with_function: bool) -> tuple[Any, Any]:
    """(forwards, backwards) for migrations.RunPython."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if with_function and vendor == "postgresql":
            schema_editor.execute(FUNCTION_PG)
        for table in tables:
            for sql in create_sql(vendor, table):
                schema_editor.execute(sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            for sql in drop_sql(vendor, table):
                schema_editor.execute(sql)
        if with_function and vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}();")

    return forwards, backwards


# --- Per day (PostgreSQL) -------------------------------------------------------------
# Appointments, time off and calendar busy time occupy a span, so a change to one of them
# changes only the UTC days the span touches: those days' versions move
# (booking_scheduledayversion), not the practitioner's, and a slot list for other days
# keeps what it read. The practitioner's row is still locked first (an upsert that leaves
# its number alone), so writes to one practitioner's days queue on that one row, in the same
# order as before this table existed, and cannot deadlock on each other's day rows.
# SQLite keeps the per-practitioner triggers above (its triggers cannot generate a series of
# days); the day table then stays empty and every day's version is 0.

DAYS_FUNCTION = "booking_bump_schedule_days"
DAY_TABLES = {  # table: (start column, end column) of the span it occupies
    "booking_appointment": ("blocked_start", "blocked_end"),
    "booking_timeoff": ("start", "end"),
}

# A plain string (no formatting): the function's name is written out, as DAYS_FUNCTION says.
DAYS_FUNCTION_PG = """
CREATE OR REPLACE FUNCTION booking_bump_schedule_days(who bigint, lo timestamptz, hi timestamptz) RETURNS void AS $$
    INSERT INTO booking_scheduleversion (practitioner_id, version) VALUES (who, 0)
    ON CONFLICT (practitioner_id) DO UPDATE SET version = booking_scheduleversion.version;
    INSERT INTO booking_scheduledayversion (practitioner_id, day, version)
    SELECT who, d::date, 1
    FROM generate_series(
        (lo AT TIME ZONE 'UTC')::date,
        (GREATEST(lo, hi - interval '1 microsecond') AT TIME ZONE 'UTC')::date,
        interval '1 day'
    ) AS d
    ORDER BY 2
    ON CONFLICT (practitioner_id, day) DO UPDATE SET version = booking_scheduledayversion.version + 1;
$$ LANGUAGE sql;"""


def _span_function(lo: str, hi: str) -> str:
    return f"{DAYS_FUNCTION}_{lo}_{hi}"


def span_function_pg(lo: str, hi: str) -> str:
    """A trigger function that bumps the days of the old and the new span of a row."""
    name = _span_function(lo, hi)
    lo, hi = f'"{lo}"', f'"{hi}"'  # quoted: "end" is a PL/pgSQL keyword
    moved = f"NEW.practitioner_id IS DISTINCT FROM OLD.practitioner_id OR NEW.{lo} <> OLD.{lo} OR NEW.{hi} <> OLD.{hi}"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.practitioner_id IS NOT NULL THEN
        PERFORM {DAYS_FUNCTION}(OLD.practitioner_id, OLD.{lo}, OLD.{hi});
    END IF;
    IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND ({moved}))) AND NEW.practitioner_id IS NOT NULL THEN
        PERFORM {DAYS_FUNCTION}(NEW.practitioner_id, NEW.{lo}, NEW.{hi});
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;"""


def _day_trigger(table: str) -> str:
    return f"{table}_schedule_days"


def day_installer(tables: dict[str, tuple[str, str]], *, with_function: bool) -> tuple[Any, Any]:
    """(forwards, backwards) for migrations.RunPython: on PostgreSQL, `tables` move from the
    per-practitioner trigger to the per-day one (and back)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        if with_function:
            schema_editor.execute(DAYS_FUNCTION_PG)
        for table, (lo, hi) in tables.items():
            schema_editor.execute(span_function_pg(lo, hi))
            for sql in drop_sql("postgresql", table):
                schema_editor.execute(sql)
            schema_editor.execute(
                f"CREATE TRIGGER {_day_trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {_span_function(lo, hi)}();"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_day_trigger(table)} ON {table};")
            for sql in create_sql("postgresql", table):
                schema_editor.execute(sql)
        if with_function:
            for lo, hi in {span for span in tables.values()}:
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {_span_function(lo, hi)}();")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {DAYS_FUNCTION}(bigint, timestamptz, timestamptz);")

    return forwards, backwards
