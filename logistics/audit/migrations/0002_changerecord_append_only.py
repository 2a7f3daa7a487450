"""On PostgreSQL, change records are append-only in the database itself: UPDATE and DELETE raise,
except the user link being cleared when a user account is deleted (ON DELETE SET NULL)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_changerecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'change records are never deleted';
    END IF;
    IF (to_jsonb(NEW) - 'user_id') IS DISTINCT FROM (to_jsonb(OLD) - 'user_id') OR NEW.user_id IS NOT NULL THEN
        RAISE EXCEPTION 'change records are never edited';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_changerecord_append_only ON audit_changerecord;
CREATE TRIGGER audit_changerecord_append_only BEFORE UPDATE OR DELETE ON audit_changerecord
    FOR EACH ROW EXECUTE FUNCTION audit_changerecord_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_changerecord_append_only ON audit_changerecord;
DROP FUNCTION IF EXISTS audit_changerecord_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
