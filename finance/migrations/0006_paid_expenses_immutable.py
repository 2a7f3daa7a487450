"""The database refuses to change what is on the books: a paid expense is never updated or deleted —
except the one step paid → reversed, which sets only the status and the reversal's who/when/why —;
a reversed one never changes again; a signature is never updated or deleted; a published staff
statement changes only by being superseded (status and date). Holds for every writer: the app, a
queryset ``update()``, the admin, raw SQL. PostgreSQL (production) and SQLite (``make run``)."""

from django.db import migrations

EXPENSE_MESSAGE = "a paid expense is never changed: reverse it with a reason instead"
SIGNATURE_MESSAGE = "a signature on an expense is never changed or removed"
STATEMENT_MESSAGE = "a published statement is never changed: publish a correction instead"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION finance_expense_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('paid', 'reversed') THEN
      RAISE EXCEPTION '{EXPENSE_MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'reversed' OR (OLD.status = 'paid' AND (
       NEW.status NOT IN ('paid', 'reversed')
       OR (to_jsonb(NEW) - 'status' - 'reversed_at' - 'reversed_by_id' - 'reversal_reason' - 'updated' - 'updated_by_id')
          IS DISTINCT FROM
          (to_jsonb(OLD) - 'status' - 'reversed_at' - 'reversed_by_id' - 'reversal_reason' - 'updated' - 'updated_by_id'))) THEN
    RAISE EXCEPTION '{EXPENSE_MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER finance_expense_frozen BEFORE UPDATE OR DELETE ON finance_expense
  FOR EACH ROW EXECUTE FUNCTION finance_expense_frozen();

CREATE OR REPLACE FUNCTION finance_signature_frozen() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{SIGNATURE_MESSAGE}' USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER finance_signature_frozen BEFORE UPDATE OR DELETE ON finance_expensesignature
  FOR EACH ROW EXECUTE FUNCTION finance_signature_frozen();

CREATE OR REPLACE FUNCTION finance_statement_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('published', 'superseded') THEN
      RAISE EXCEPTION '{STATEMENT_MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'superseded' OR (OLD.status = 'published' AND (
       NEW.status NOT IN ('published', 'superseded')
       OR (to_jsonb(NEW) - 'status' - 'superseded_at' - 'updated' - 'updated_by_id')
          IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'superseded_at' - 'updated' - 'updated_by_id'))) THEN
    RAISE EXCEPTION '{STATEMENT_MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER finance_statement_frozen BEFORE UPDATE OR DELETE ON finance_staffstatement
  FOR EACH ROW EXECUTE FUNCTION finance_statement_frozen();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS finance_statement_frozen ON finance_staffstatement;
DROP FUNCTION IF EXISTS finance_statement_frozen();
DROP TRIGGER IF EXISTS finance_signature_frozen ON finance_expensesignature;
DROP FUNCTION IF EXISTS finance_signature_frozen();
DROP TRIGGER IF EXISTS finance_expense_frozen ON finance_expense;
DROP FUNCTION IF EXISTS finance_expense_frozen();
"""

EXPENSE_KEPT = (
    "id", "school_id", "reference", "purpose", "amount", "category", "supplier", "spent_on", "buyer_id",
    "receiver_id", "decision_id", "filed_by_id", "approved_at", "paid_on", "paid_by_id", "pay_method",
    "voucher_number",
)  # fmt: skip
STATEMENT_KEPT = (
    "id", "school_id", "title", "period_start", "period_end", "version", "note", "figures", "supersedes_id",
    "published_at", "published_by_id",
)  # fmt: skip


def _changed(columns):
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


SQLITE = {
    "finance_expense_frozen_update": f"""CREATE TRIGGER finance_expense_frozen_update BEFORE UPDATE ON finance_expense
    WHEN OLD.status = 'reversed' OR (OLD.status = 'paid' AND (
         NEW.status NOT IN ('paid', 'reversed') OR {_changed(EXPENSE_KEPT)}))
    BEGIN SELECT RAISE(ABORT, '{EXPENSE_MESSAGE}'); END""",
    "finance_expense_frozen_delete": f"""CREATE TRIGGER finance_expense_frozen_delete BEFORE DELETE ON finance_expense
    WHEN OLD.status IN ('paid', 'reversed') BEGIN SELECT RAISE(ABORT, '{EXPENSE_MESSAGE}'); END""",
    "finance_signature_frozen_update": f"""CREATE TRIGGER finance_signature_frozen_update BEFORE UPDATE
    ON finance_expensesignature BEGIN SELECT RAISE(ABORT, '{SIGNATURE_MESSAGE}'); END""",
    "finance_signature_frozen_delete": f"""CREATE TRIGGER finance_signature_frozen_delete BEFORE DELETE
    ON finance_expensesignature BEGIN SELECT RAISE(ABORT, '{SIGNATURE_MESSAGE}'); END""",
    "finance_statement_frozen_update": f"""CREATE TRIGGER finance_statement_frozen_update BEFORE UPDATE
    ON finance_staffstatement WHEN OLD.status = 'superseded' OR (OLD.status = 'published' AND (
         NEW.status NOT IN ('published', 'superseded') OR {_changed(STATEMENT_KEPT)}))
    BEGIN SELECT RAISE(ABORT, '{STATEMENT_MESSAGE}'); END""",
    "finance_statement_frozen_delete": f"""CREATE TRIGGER finance_statement_frozen_delete BEFORE DELETE
    ON finance_staffstatement WHEN OLD.status IN ('published', 'superseded')
    BEGIN SELECT RAISE(ABORT, '{STATEMENT_MESSAGE}'); END""",
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE.values():
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for name in SQLITE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("finance", "0005_expenses_budgets_statements")]

    operations = [migrations.RunPython(create, drop)]
