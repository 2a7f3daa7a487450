"""Writes ChangeRecords: every save/delete of a ChangeLoggedModel, and domain events.

Receivers are connected per model (``sender=``) in ``AuditConfig.ready()`` for every concrete
subclass of ``ChangeLoggedModel`` — domain models get their history without a line of their own.
"""

import datetime
import decimal
import uuid

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from logistics.tenancy import versions

from . import context
from .models import ChangeAction, ChangeRecord


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "as_e164"):  # a phone number: stored normalised
        return value.as_e164 if value else ""
    return value


def serialize(instance):
    """The object's own fields as JSON-ready values (foreign keys as ids)."""
    exclude = set(getattr(instance, "audit_exclude", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.attname in exclude:
            continue
        key = field.attname if isinstance(field, models.ForeignKey) else field.name
        data[key] = _plain(field.value_from_object(instance))
    return data


def _school_id(instance):
    if hasattr(instance, "school_field") and instance.school_field == "pk":
        return instance.pk
    return getattr(instance, "school_id", None)


def _versions_moved(instances):
    """The data versions (``logistics.tenancy.versions``) of each (model, school) among ``instances`` move."""
    if not versions.enabled():
        return
    seen = set()
    for obj in instances:
        pair = (
            versions.label_of(obj.__class__),
            _school_id(obj),
        )  # __class__: a lazy object (request.user) says its own
        if pair not in seen:
            seen.add(pair)
            versions.changed(*pair)


def _write(instance, action, before, after, event="", message="", school_id=None):
    ctx = context.current()
    user = ctx.user if ctx else None
    return ChangeRecord.objects.create(
        school_id=school_id or _school_id(instance),
        user=user,
        user_name=str(user)[:150] if user else "",
        request_id=ctx.request_id if ctx else None,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        action=action,
        event=event,
        message=str(message)[:500],
        before=before,
        after=after,
    )


def record_bulk_create(instances, batch_size=2000, school=None):
    """Change records for rows made with ``bulk_create`` (which sends no signals): one create record
    each, written in batches — an import of 20,000 cards is as much on the record as 20,000 saves.
    ``school`` files rows without a school of their own (user accounts) under a school."""
    ctx = context.current()
    user = ctx.user if ctx else None
    rows = [
        ChangeRecord(
            school_id=_school_id(obj) or getattr(school, "pk", school),
            user=user,
            user_name=str(user)[:150] if user else "",
            request_id=ctx.request_id if ctx else None,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            action=ChangeAction.CREATE,
            after=serialize(obj),
        )
        for obj in instances
    ]
    ChangeRecord.objects.bulk_create(rows, batch_size=batch_size)
    _versions_moved(instances)
    return len(rows)


def record_event(instance, event, message="", data=None, school=None):
    """A readable timeline entry for a domain event (``ticket.assigned``, ``asset.transferred``).

    ``school`` files the event under a school for objects that have none of their own (a user's
    password reset by one school's logistics head)."""
    _versions_moved([instance])  # its timeline changed
    return _write(
        instance, ChangeAction.EVENT, None, data, event=event, message=message, school_id=getattr(school, "pk", school)
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    user = context.current_user()
    if user is not None:
        if not instance.pk and hasattr(instance, "created_by_id") and instance.created_by_id is None:
            instance.created_by = user
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = user
    instance._audit_before = None
    if instance.pk and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = serialize(old) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    _versions_moved([instance])
    if raw:
        return
    if created and getattr(sender, "audit_append_only", False):
        # an append-only event (a patrol scan): the row is its own record — who, when, from which
        # device — and is never edited; a change record would only copy it (updates and deletes are
        # still recorded)
        return
    after = serialize(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(instance, ChangeAction.CREATE, None, after)
    elif before != after:
        changed = {k for k in after if before.get(k) != after.get(k)}
        _write(
            instance,
            ChangeAction.UPDATE,
            {k: before.get(k) for k in changed},
            {k: after[k] for k in changed},
        )
    instance._audit_before = None


def _post_delete(sender, instance, **kwargs):
    _versions_moved([instance])
    _write(instance, ChangeAction.DELETE, serialize(instance), None)


def connect(model):
    uid = f"audit-{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}-del")
    for field in model._meta.local_many_to_many:
        if field.remote_field.through._meta.auto_created:
            m2m_changed.connect(_m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")


def _m2m_changed(sender, instance, action, reverse, model, **kwargs):
    """A relation of an audited model changed (a ticket's assignees): its rows' data versions move —
    the instance's, or, from the other side, every school's of the related model."""
    if not action.startswith("post_"):
        return
    if reverse:
        versions.changed(versions.label_of(model))
    else:
        _versions_moved([instance])


def connect_all():
    from django.apps import apps

    from logistics.tenancy.base import ChangeLoggedModel

    for model in apps.get_models():
        if issubclass(model, ChangeLoggedModel) and not model._meta.proxy:
            connect(model)
    # Accounts matter too: who became active, staff or superuser, and when.
    connect(get_user_model())


def recorded_update(queryset, **fields):
    """``queryset.update(**fields)`` with the change record every save would write: one UPDATE
    record per changed row, with the fields' values before and after, the user and the request id.

    The rows are locked for the update; ``updated``/``updated_by`` follow when the model has them.
    Returns the number of rows updated. The only sanctioned ``.update()`` on an audited model
    (``tests/test_audit_writes.py`` refuses any other).
    """
    from django.db import transaction
    from django.utils import timezone

    model = queryset.model
    names = {f.name for f in model._meta.concrete_fields}
    user = context.current_user()
    if "updated" in names and "updated" not in fields:
        fields["updated"] = timezone.now()
    if "updated_by" in names and "updated_by" not in fields and user is not None:
        fields["updated_by"] = user
    with transaction.atomic():
        rows = list(model._base_manager.filter(pk__in=queryset.values("pk")).select_for_update().order_by("pk"))
        if not rows:
            return 0
        before = {row.pk: serialize(row) for row in rows}
        count = model._base_manager.filter(pk__in=list(before)).update(**fields)
        ctx = context.current()
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        records = []
        for row in model._base_manager.filter(pk__in=list(before)).order_by("pk"):
            old, new = before[row.pk], serialize(row)
            changed = [k for k in new if old.get(k) != new.get(k)]
            if not changed:
                continue
            records.append(
                ChangeRecord(
                    school_id=_school_id(row),
                    user=user,
                    user_name=str(user)[:150] if user else "",
                    request_id=ctx.request_id if ctx else None,
                    content_type=content_type,
                    object_id=row.pk,
                    object_repr=str(row)[:200],
                    action=ChangeAction.UPDATE,
                    before={k: old.get(k) for k in changed},
                    after={k: new[k] for k in changed},
                )
            )
        ChangeRecord.objects.bulk_create(records, batch_size=2000)
        _versions_moved(rows)
    return count
