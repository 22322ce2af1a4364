"""SQL for the triggers that bump booking_catalogueversion (booking.models.catalogue_version).

On PostgreSQL they are constraint triggers deferred to the commit: the one counter row is
then locked only while a transaction commits, never while it still waits for other locks,
so two transactions editing the catalogue cannot deadlock on it. SQLite has one writer at a
time and no deferred triggers; its triggers run with each row."""

from __future__ import annotations

from typing import Any

FUNCTION = "booking_bump_catalogue_version"
TABLES = [
    "booking_clinic",
    "booking_appointmenttype",
    "booking_practitioner",
    "booking_practitioner_clinics",
    "booking_practitioner_appointment_types",
]

_BUMP = """
    INSERT INTO booking_catalogueversion (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = booking_catalogueversion.version + 1;"""

FUNCTION_PG = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN{_BUMP}
    RETURN NULL;
END
$$ LANGUAGE plpgsql;"""


def _name(table: str, op: str = "") -> str:
    return f"{table}_catalogue_version{op}"


def create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE CONSTRAINT TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();"
        ]
    if vendor == "sqlite":
        bump = _BUMP.replace("booking_catalogueversion.version", "version")
        return [
            f"CREATE TRIGGER {_name(table, '_' + op.lower())} AFTER {op} ON {table} BEGIN{bump}\nEND;"
            for op in ("INSERT", "UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"catalogue version triggers for {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {_name(table)} ON {table};"]
    return [f"DROP TRIGGER IF EXISTS {_name(table, '_' + op)};" for op in ("insert", "update", "delete")]


def installer() -> tuple[Any, Any]:
    """(forwards, backwards) for migrations.RunPython."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(FUNCTION_PG)
        for table in TABLES:
            for sql in create_sql(vendor, table):
                schema_editor.execute(sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table in TABLES:
            for sql in drop_sql(vendor, table):
                schema_editor.execute(sql)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}();")

    return forwards, backwards
