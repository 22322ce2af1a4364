"""A reviewed translation never changes and is never removed: PostgreSQL refuses it. The one
change allowed is the stamp that publishing a newer version puts on it (outdated_at, once).
Drafts (not yet reviewed) may be edited or removed."""

from django.db import migrations

from core.db import postgres_only, refuse_truncate

TABLES = ["consent_consentformtranslation", "consent_questionnairetranslation"]

FUNCTION = """
CREATE OR REPLACE FUNCTION acus_reviewed_translation_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.reviewed_at IS NULL THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.outdated_at IS NULL AND NEW.outdated_at IS NOT NULL
        AND (to_jsonb(NEW) - 'outdated_at') = (to_jsonb(OLD) - 'outdated_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'acus: % on % is not allowed: a reviewed translation never changes', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def frozen(table: str) -> migrations.RunPython:
    forward = f"""
    {FUNCTION}
    CREATE TRIGGER {table}_reviewed_frozen BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION acus_reviewed_translation_frozen();
    """
    return postgres_only(forward, f"DROP TRIGGER IF EXISTS {table}_reviewed_frozen ON {table};")


class Migration(migrations.Migration):
    dependencies = [("consent", "0009_translations")]

    operations = [op for table in TABLES for op in (frozen(table), refuse_truncate(table))]
