"""The database refuses any change to a published fee disclosure (收费公示): no UPDATE or DELETE of a
published or superseded version — except the one step published → superseded, which only sets its status
and date —, and no INSERT, UPDATE or DELETE of the entries of such a version. Holds for every writer: the
app, a queryset ``update()``, the admin, raw SQL. PostgreSQL (production) and SQLite (``make run``)."""

from django.db import migrations

FROZEN = "('published', 'superseded')"
MESSAGE = "a published fee disclosure is never changed: publish a new version instead"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION finance_disclosure_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN {FROZEN} THEN
      RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'superseded' OR (OLD.status = 'published' AND (
       NEW.status NOT IN ('published', 'superseded')
       OR (to_jsonb(NEW) - 'status' - 'superseded_at' - 'updated' - 'updated_by_id')
          IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'superseded_at' - 'updated' - 'updated_by_id'))) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER finance_disclosure_frozen BEFORE UPDATE OR DELETE ON finance_feedisclosure
  FOR EACH ROW EXECUTE FUNCTION finance_disclosure_frozen();

CREATE OR REPLACE FUNCTION finance_entry_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
       SELECT 1 FROM finance_feedisclosure d WHERE d.id = OLD.disclosure_id AND d.status IN {FROZEN}) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (
       SELECT 1 FROM finance_feedisclosure d WHERE d.id = NEW.disclosure_id AND d.status IN {FROZEN}) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER finance_entry_frozen BEFORE INSERT OR UPDATE OR DELETE ON finance_disclosureentry
  FOR EACH ROW EXECUTE FUNCTION finance_entry_frozen();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS finance_entry_frozen ON finance_disclosureentry;
DROP FUNCTION IF EXISTS finance_entry_frozen();
DROP TRIGGER IF EXISTS finance_disclosure_frozen ON finance_feedisclosure;
DROP FUNCTION IF EXISTS finance_disclosure_frozen();
"""

# SQLite: the columns a published version may never change, listed (SQLite has no row-to-JSON).
KEPT = (
    "id", "school_id", "version", "note", "supersedes_id", "submitted_at", "submitted_by_id", "approved_at",
    "approved_by_id", "published_at", "published_by_id", "rejection_reason", "created", "created_by_id",
)  # fmt: skip
_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in KEPT)
SQLITE = [
    f"""CREATE TRIGGER finance_disclosure_frozen_update BEFORE UPDATE ON finance_feedisclosure
    WHEN OLD.status = 'superseded' OR (OLD.status = 'published' AND (
         NEW.status NOT IN ('published', 'superseded') OR {_changed}))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER finance_disclosure_frozen_delete BEFORE DELETE ON finance_feedisclosure
    WHEN OLD.status IN {FROZEN} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER finance_entry_frozen_insert BEFORE INSERT ON finance_disclosureentry
    WHEN (SELECT status FROM finance_feedisclosure WHERE id = NEW.disclosure_id) IN {FROZEN}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER finance_entry_frozen_update BEFORE UPDATE ON finance_disclosureentry
    WHEN (SELECT status FROM finance_feedisclosure WHERE id = OLD.disclosure_id) IN {FROZEN}
      OR (SELECT status FROM finance_feedisclosure WHERE id = NEW.disclosure_id) IN {FROZEN}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER finance_entry_frozen_delete BEFORE DELETE ON finance_disclosureentry
    WHEN (SELECT status FROM finance_feedisclosure WHERE id = OLD.disclosure_id) IN {FROZEN}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_NAMES = [
    "finance_disclosure_frozen_update",
    "finance_disclosure_frozen_delete",
    "finance_entry_frozen_insert",
    "finance_entry_frozen_update",
    "finance_entry_frozen_delete",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for name in SQLITE_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
