"""Celery tasks of the assets app: thin, take ids, idempotent.

The ledger import runs on the platform's tasks (``imports.validate``, ``imports.run``); these two names
stay so that a task queued before an upgrade still runs.
"""

from celery import shared_task


@shared_task(name="assets.validate_import")
def validate_import_task(import_id, user_id=None):
    from logistics.imports.tasks import validate_import_task as platform_task

    platform_task("assets.assetimport", import_id, user_id)


@shared_task(name="assets.run_import")
def run_import_task(import_id, user_id=None):
    from logistics.imports.tasks import run_import_task as platform_task

    platform_task("assets.assetimport", import_id, user_id)
