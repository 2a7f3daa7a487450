"""Celery tasks of the import engine: take the record's model label and id, idempotent."""

from celery import shared_task
from django.apps import apps
from django.contrib.auth import get_user_model

from logistics.audit.context import change_context

from .choices import ImportStatus as S


def _record(label, pk):
    model = apps.get_model(label)
    return model._base_manager.filter(pk=pk).select_related("school").first()


@shared_task(name="imports.validate")
def validate_import_task(label, pk, user_id=None):
    from . import engine

    record = _record(label, pk)
    if record is None or record.status != S.VALIDATING:
        return  # done already (acks_late: a task may run twice)
    user = get_user_model().objects.filter(pk=user_id).first()
    with change_context(user=user):
        engine.check_now(record, user)


@shared_task(name="imports.run")
def run_import_task(label, pk, user_id=None):
    from . import engine

    record = _record(label, pk)
    if record is None or record.status != S.RUNNING:
        return  # idempotent: a second run imports nothing twice
    user = get_user_model().objects.filter(pk=user_id).first()
    with change_context(user=user):
        engine.apply_now(record, user)
