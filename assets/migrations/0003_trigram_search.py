"""Trigram indexes for the ledger's text search (``q``: code, name, model/spec, serial number).

Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%…%')``; these GIN indexes on the
same expressions let a selective search on a school of 50,000 assets skip the full scan. PostgreSQL only
(``pg_trgm`` is a trusted extension since PostgreSQL 13); on other databases this migration does nothing.
"""

from django.db import migrations

COLUMNS = ("code", "name", "model_spec", "serial_number")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS assets_asset_trgm_{column} ON assets_asset "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS assets_asset_trgm_{column}")


class Migration(migrations.Migration):
    dependencies = [("assets", "0002_bulk_item_import_status")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
