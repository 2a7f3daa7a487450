"""Damage compensation (损坏赔偿): "谁使用谁管理, 人为损坏必须赔偿"."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event
from logistics.workflow.guard import run

from ..models import DamageRecord
from ._common import source_fields


def open_damage_record(
    *,
    school,
    user,
    amount,
    description,
    asset=None,
    room=None,
    responsible_class=None,
    responsible_student=None,
    responsible_person="",
    source=None,
):
    """Open a damage record (损坏赔偿记录).

    Called by logistics staff, and by repairs when a ticket's cause is human damage (``source`` = the
    ticket). The responsible class defaults to the student's class; the room to the asset's room.
    Everything must belong to ``school``.
    """
    amount = Decimal(str(amount))
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."))
    school_id = school.pk
    for obj in (asset, room, responsible_class, responsible_student):
        if obj is not None and obj.school_id != school_id:
            raise ValidationError(_("%(obj)s belongs to another school.") % {"obj": obj})
    if responsible_student is not None and responsible_class is None:
        responsible_class = responsible_student.school_class
    if asset is not None and room is None:
        room = asset.room
    with transaction.atomic():
        record = DamageRecord(
            school=school,
            asset=asset,
            room=room,
            responsible_class=responsible_class,
            responsible_student=responsible_student,
            responsible_person=responsible_person or "",
            description=description,
            amount=amount,
            occurred_on=timezone.localdate(),
            created_by=user,
            **source_fields(source),
        )
        record.save()
        record_event(
            record,
            "damage.opened",
            _("Damage recorded: %(amount)s yuan") % {"amount": amount},
            {"amount": str(amount)},
        )
        if asset is not None:
            record_event(asset, "asset.damaged", _("Damage recorded (%(ref)s)") % {"ref": record.reference})
    return record


def record_damage_payment(*, record, user, receipt_number="", receipt=None, paid_at=None):
    """Record that the damage was paid (赔偿到账), the ``pay`` step of ``DamageRecord``; after this the
    record can be neither changed nor deleted."""
    return run(record, "pay", user, receipt_number=receipt_number, receipt=receipt, paid_at=paid_at)


def delete_damage_record(*, record, user):
    """Delete an unpaid damage record entered by mistake; a paid one is a financial record and stays."""
    if record.paid:
        raise ValidationError(_("A paid damage record cannot be deleted."))
    record.delete()
