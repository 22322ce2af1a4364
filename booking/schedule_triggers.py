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
