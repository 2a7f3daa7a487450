"""Celery tasks of the assets app: thin, take ids, idempotent."""

from celery import shared_task
from django.contrib.auth import get_user_model

from logistics.audit.context import change_context

from .choices import ImportStatus


@shared_task(name="assets.validate_import")
def validate_import_task(import_id, user_id=None):
    from . import services
    from .models import AssetImport

    import_ = AssetImport.objects.filter(pk=import_id).select_related("school").first()
    if import_ is None or import_.status in (ImportStatus.DONE, ImportStatus.RUNNING):
        return
    user = get_user_model().objects.filter(pk=user_id).first()
    with change_context(user=user):
        services.validate_import(import_=import_, user=user)


@shared_task(name="assets.run_import")
def run_import_task(import_id, user_id=None):
    from . import services
    from .models import AssetImport

    import_ = AssetImport.objects.filter(pk=import_id).select_related("school").first()
    if import_ is None or import_.status == ImportStatus.DONE:
        return  # idempotent: a second run imports nothing twice
    user = get_user_model().objects.filter(pk=user_id).first()
    with change_context(user=user):
        services.run_import(import_=import_, user=user)
