"""Purchase inspection (进货查验): recording a delivery and deciding each line — the services behind the
pages, the API and the ``accept_line`` / ``reject_line`` steps declared on :class:`Delivery`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.tenancy import rules
from logistics.workflow.guard import StepResult

from .choices import LineDecision
from .models import Delivery, DeliveryLine
from .settings_rules import BULK_INSPECTORS, RETENTION_MONTHS_AFTER_EXPIRY, RETENTION_YEARS_WITHOUT_EXPIRY

LINE_FIELDS = (
    "category",
    "product",
    "spec",
    "quantity",
    "unit",
    "production_date",
    "batch",
    "shelf_life_days",
    "expiry_date",
    "price",
)


def retention_date(delivery):
    """The last day the delivery's record must be kept: 6 months past the latest shelf life of its lines,
    2 years after the delivery for a line without one (食品安全法 art. 50, 53; rules
    ``canteen.delivery_retention_months`` / ``_years``)."""
    months = int(rules.value(delivery.school, RETENTION_MONTHS_AFTER_EXPIRY))
    years = int(rules.value(delivery.school, RETENTION_YEARS_WITHOUT_EXPIRY))
    dates = [line.retain_until(months, years) for line in delivery.lines.all()]
    return max(dates) if dates else None


def create_delivery(*, school, actor, supplier, delivered_on=None, note="", lines=()):
    """Record a delivery of ``supplier`` with its ``lines`` (dicts of :data:`LINE_FIELDS`). Refused when the
    supplier has no valid licence on the delivery date (不得采购证照不全者的食品), or without lines."""
    delivered_on = delivered_on or timezone.localdate()
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    problem = supplier.licence_problem(delivered_on)
    if problem:
        raise ValidationError({"supplier": _("%(problem)s No new delivery can be received.") % {"problem": problem}})
    lines = [line for line in lines if line]
    if not lines:
        raise ValidationError({"lines": _("List at least one product.")})
    with transaction.atomic():
        delivery = Delivery(school=school, supplier=supplier, delivered_on=delivered_on, note=note, created_by=actor)
        delivery.save()
        for data in lines:
            line = DeliveryLine(school=school, delivery=delivery, **{k: data.get(k) for k in LINE_FIELDS if k in data})
            line.spec, line.batch, line.unit = line.spec or "", line.batch or "", line.unit or ""
            line.full_clean(exclude=["delivery", "school"])
            line.save()
        delivery.retain_until = retention_date(delivery)
        delivery.save()
    return delivery


def _pending_line(delivery, line):
    line = DeliveryLine.objects.select_for_update().select_related("category").get(pk=getattr(line, "pk", line))
    if line.delivery_id != delivery.pk:
        raise ValidationError({"line": _("This line belongs to another delivery.")})
    if line.decision != LineDecision.PENDING:
        raise ValidationError({"line": _("This line was already inspected.")})
    return line


def accept_line(delivery, actor, line, inspectors=()):
    """Accept one line. Refused for a product past its expiry on the delivery date, and for a bulk staple
    (大宗食材) inspected by fewer than ``canteen.bulk_staple_inspectors`` (2) different people — the actor
    counts as one."""
    line = _pending_line(delivery, line)
    best_before = line.best_before
    if best_before is not None and best_before < delivery.delivered_on:
        raise ValidationError(
            {
                "line": _("%(product)s expired on %(date)s, before it arrived: it must be rejected.")
                % {"product": line.product, "date": best_before.strftime("%Y-%m-%d")}
            }
        )
    people = {actor.pk: actor}
    for person in inspectors or ():
        people.setdefault(person.pk, person)
    needed = int(rules.value(delivery.school, BULK_INSPECTORS))
    if line.category.bulk_staple and len(people) < needed:
        raise ValidationError(
            {
                "inspectors": _(
                    "%(product)s is a bulk staple: %(n)s different inspectors must check it (双人或多人联检)."
                )
                % {"product": line.product, "n": needed}
            }
        )
    line.decision = LineDecision.ACCEPTED
    line.decided_at = timezone.now()
    line.save()
    line.inspectors.set(list(people.values()))
    names = "、".join(str(p) for p in people.values())
    return StepResult(
        _("%(product)s accepted (inspected by %(names)s)") % {"product": line.product, "names": names},
        {"line": line.pk, "inspectors": list(people)},
    )


def reject_line(delivery, actor, line, reason, disposal):
    """Reject one line with the reason and the disposal of the goods (returned or destroyed)."""
    line = _pending_line(delivery, line)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the goods are rejected.")})
    line.decision = LineDecision.REJECTED
    line.reason = reason.strip()
    line.disposal = disposal
    line.decided_at = timezone.now()
    line.save()
    line.inspectors.set([actor])
    return StepResult(
        _("%(product)s rejected: %(reason)s (%(disposal)s)")
        % {"product": line.product, "reason": line.reason, "disposal": line.get_disposal_display()},
        {"line": line.pk, "disposal": disposal},
    )
