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

    Row triggers never see TRUNCATE: `refuse_truncate` guards that, beside this one."""
    forward = f"""
    {APPEND_ONLY_FUNCTION}
    CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION acus_refuse_change();
    """
    backward = f"""
    DROP TRIGGER IF EXISTS {table}_append_only ON {table};
    """
    return postgres_only(forward, backward)


REFUSE_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION acus_refuse_truncate() RETURNS trigger AS $$
BEGIN
    -- The test suite empties tables between transactional tests; it says so for its own
    -- session. The service never sets this, and whoever can set it could drop the trigger.
    IF current_setting('acus.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'acus: TRUNCATE on % is not allowed: this table is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def refuse_truncate(table: str) -> migrations.RunPython:
    """A statement-level trigger that refuses TRUNCATE on an append-only `table`
    (TRUNCATE fires no row triggers, so `append_only` alone lets it wipe the table).

    A session may set `acus.allow_truncate = on` to empty the table: the test suite does,
    for its flush between transactional tests. Only someone who can already drop triggers
    can set it; the anchors (consent/anchors.py) make such a wipe detectable."""
    forward = f"""
    {REFUSE_TRUNCATE_FUNCTION}
    CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION acus_refuse_truncate();
    """
    backward = f"""
    DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
    """
    return postgres_only(forward, backward)
