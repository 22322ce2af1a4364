"""Database guards that only PostgreSQL can give, as migration operations.

They run as RunPython so that they stay out of Django's model state: SQLite
rebuilds tables from model state when a later migration alters them, and an
EXCLUDE or a trigger in that state would break every such rebuild."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def postgres_only(forward_sql: str, backward_sql: str) -> migrations.RunPython:
    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql, params=None)

    return migrations.RunPython(forwards, backwards, elidable=False)


APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION acus_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'acus: % on % is not allowed: this table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def append_only(table: str) -> migrations.RunPython:
    """A trigger that refuses UPDATE and DELETE on `table`.

    TRUNCATE is left alone on purpose: it is a database owner's tool, never the
    app's, and the test suite's flush between transactional tests uses it."""
    forward = f"""
    {APPEND_ONLY_FUNCTION}
    CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION acus_refuse_change();
    """
    backward = f"""
    DROP TRIGGER IF EXISTS {table}_append_only ON {table};
    """
    return postgres_only(forward, backward)
