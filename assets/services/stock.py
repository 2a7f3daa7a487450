"""Low-value consumables (低值易耗品): receipts, issue requests, use in work."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event
from logistics.notifications.services import notify
from logistics.workflow.guard import run

from ..choices import StockMovementKind
from ..models import Consumable, ConsumableStock, IssueRequest, StockMovement
from ._common import source_fields, staff_with


def _quantity(quantity):
    quantity = Decimal(str(quantity))
    if quantity <= 0:
        raise ValidationError(_("The quantity must be more than zero."))
    return quantity


def _refresh_total(consumable):
    total = ConsumableStock.objects.filter(consumable_id=consumable.pk).aggregate(t=Sum("quantity"))["t"] or 0
    consumable.total_quantity = total
    consumable.save(update_fields=["total_quantity", "updated", "updated_by"])
    return total


def _take(*, consumable, quantity, user, reason, kind, store=None, source=None, issue_request=None):
    """Take ``quantity`` out of stock (from ``store`` or the fullest stores first), row-locked."""
    stocks = list(
        ConsumableStock.objects.select_for_update()
        .filter(consumable_id=consumable.pk, **({"store": store} if store is not None else {}))
        .order_by("-quantity", "pk")
    )
    available = sum((s.quantity for s in stocks), Decimal(0))
    if available < quantity:
        raise ValidationError(
            _("Not enough %(item)s in stock: %(available)s %(unit)s available, %(wanted)s %(unit)s wanted.")
            % {"item": consumable.name, "available": available, "wanted": quantity, "unit": consumable.unit}
        )
    left = quantity
    movements = []
    for stock in stocks:
        if left <= 0:
            break
        step = min(stock.quantity, left)
        if step <= 0:
            continue
        stock.quantity -= step  # the row is locked: a save, with its change record
        stock.save(update_fields=["quantity", "updated", "updated_by"])
        left -= step
        movements.append(
            StockMovement.objects.create(
                school_id=consumable.school_id,
                consumable=consumable,
                store_id=stock.store_id,
                kind=kind,
                quantity=-step,
                balance_after=stock.quantity,
                reason=reason,
                issue_request=issue_request,
                created_by=user,
                **source_fields(source),
            )
        )
    _refresh_total(consumable)
    return movements


def consume_stock(*, consumable, quantity, user, reason, source=None):
    """Use ``quantity`` of a consumable in work (e.g. parts of a repair, ``source`` = the ticket).

    Atomic and row-locked; raises ``ValidationError`` with a readable message when stock is short.
    Returns the stock movements written.
    """
    quantity = _quantity(quantity)
    with transaction.atomic():
        consumable = Consumable.objects.select_for_update().get(pk=consumable.pk)
        movements = _take(
            consumable=consumable,
            quantity=quantity,
            user=user,
            reason=reason,
            kind=StockMovementKind.CONSUME,
            source=source,
        )
        record_event(
            consumable,
            "stock.consumed",
            _("%(qty)s %(unit)s used: %(reason)s") % {"qty": quantity, "unit": consumable.unit, "reason": reason},
            {"quantity": str(quantity)},
        )
    _alert_if_low(consumable)
    return movements


def return_stock(*, consumable, quantity, user, reason, source=None):
    """Put back ``quantity`` of a consumable that ``consume_stock`` took for ``source`` but was not used
    (e.g. a repair part recorded by mistake): into the store it last came from for that source (else the
    fullest store). Atomic and row-locked; one RETURN movement, and the consumable's history records it.
    Refuses to put back more than was taken for the source. Returns the movement."""
    quantity = _quantity(quantity)
    with transaction.atomic():
        consumable = Consumable.objects.select_for_update().get(pk=consumable.pk)
        taken = StockMovement.objects.filter(
            consumable_id=consumable.pk,
            kind__in=(StockMovementKind.CONSUME, StockMovementKind.RETURN),
            **source_fields(source),
        )
        net_taken = -(taken.aggregate(n=Sum("quantity"))["n"] or Decimal(0))
        if source is not None and quantity > net_taken:
            raise ValidationError(
                _("Only %(taken)s %(unit)s of %(item)s were taken from stock for this; %(wanted)s cannot go back.")
                % {"taken": net_taken, "unit": consumable.unit, "item": consumable.name, "wanted": quantity}
            )
        last = taken.filter(kind=StockMovementKind.CONSUME).order_by("-created", "-pk").first()
        stocks = ConsumableStock.objects.select_for_update().filter(consumable_id=consumable.pk)
        stock = None
        if last is not None:
            stock = stocks.filter(store_id=last.store_id).first()
        if stock is None:
            stock = stocks.order_by("-quantity", "pk").first()
        if stock is None:
            raise ValidationError(_("%(item)s has no store room to go back to.") % {"item": consumable.name})
        stock.quantity += quantity  # the row is locked: a save, with its change record
        stock.save(update_fields=["quantity", "updated", "updated_by"])
        movement = StockMovement.objects.create(
            school_id=consumable.school_id,
            consumable=consumable,
            store_id=stock.store_id,
            kind=StockMovementKind.RETURN,
            quantity=quantity,
            balance_after=stock.quantity,
            reason=reason,
            created_by=user,
            **source_fields(source),
        )
        _refresh_total(consumable)
        record_event(
            consumable,
            "stock.returned",
            _("%(qty)s %(unit)s put back: %(reason)s") % {"qty": quantity, "unit": consumable.unit, "reason": reason},
            {"quantity": str(quantity)},
        )
    return movement


def receive_stock(*, consumable, store, quantity, user, reason="", unit_price=None, price_confirmed=False):
    """Receive ``quantity`` into ``store`` (入库); a new unit price is bounded by the rules
    ``assets.consumable_price_*`` (``price_confirmed`` above the first)."""
    from ..settings_rules import check_consumable_price

    quantity = _quantity(quantity)
    if unit_price is not None and unit_price != consumable.unit_price:
        check_consumable_price(consumable.school, unit_price, price_confirmed)
    if store.school_id != consumable.school_id:
        raise ValidationError(_("The store room belongs to another school."))
    with transaction.atomic():
        consumable = Consumable.objects.select_for_update().get(pk=consumable.pk)
        stock, _created = ConsumableStock.objects.select_for_update().get_or_create(
            consumable=consumable, store=store, defaults={"school_id": consumable.school_id, "created_by": user}
        )
        stock.quantity += quantity  # the row is locked: a save, with its change record
        stock.save(update_fields=["quantity", "updated", "updated_by"])
        if unit_price is not None:
            consumable.unit_price = unit_price
            consumable.save(update_fields=["unit_price", "updated"])
        movement = StockMovement.objects.create(
            school_id=consumable.school_id,
            consumable=consumable,
            store=store,
            kind=StockMovementKind.RECEIPT,
            quantity=quantity,
            balance_after=stock.quantity,
            reason=reason,
            created_by=user,
        )
        _refresh_total(consumable)
        record_event(
            consumable,
            "stock.received",
            _("%(qty)s %(unit)s received") % {"qty": quantity, "unit": consumable.unit},
            {"quantity": str(quantity), "store": store.pk},
        )
    return movement


def request_issue(*, consumable, quantity, purpose, user):
    """A member of staff asks for consumables (领用申请); nothing moves until approved."""
    quantity = _quantity(quantity)
    with transaction.atomic():
        request = IssueRequest(
            school_id=consumable.school_id,
            consumable=consumable,
            quantity=quantity,
            purpose=purpose,
            requester=user,
            created_by=user,
        )
        request.save()
        record_event(request, "issue.requested", _("Issue requested"))
    from logistics.accounts.roles import Role

    notify(
        staff_with(consumable.school_id, Role.LOGISTICS_STAFF, Role.LOGISTICS_HEAD),
        _("Issue request %(ref)s: %(qty)s %(unit)s %(item)s")
        % {"ref": request.reference, "qty": quantity, "unit": consumable.unit, "item": consumable.name},
        obj=request,
        key=f"assets-issue-requested-{request.pk}",
    )
    return request


def approve_issue(*, request, user, store=None, note=""):
    """Logistics staff approve an issue request and the stock moves (审批后发放); the step is declared
    on ``IssueRequest`` (``assets.steps.stock.approve_issue`` does the work)."""
    return run(request, "approve", user, store=store, note=note)


def reject_issue(*, request, user, note):
    """Refuse an issue request, with a reason."""
    return run(request, "reject", user, note=note)


def _alert_if_low(consumable):
    """The reminder provider repeats this; here the first alert goes out at once."""
    consumable.refresh_from_db(fields=["total_quantity", "minimum_level"])
    if consumable.minimum_level and consumable.total_quantity <= consumable.minimum_level:
        from logistics.accounts.roles import Role

        notify(
            staff_with(consumable.school_id, Role.LOGISTICS_STAFF, Role.LOGISTICS_HEAD),
            _("Low stock: %(item)s (%(qty)s %(unit)s left)")
            % {"item": consumable.name, "qty": consumable.total_quantity, "unit": consumable.unit},
            obj=consumable,
            key=f"assets-lowstock-{consumable.pk}-{consumable.total_quantity}",
        )
