"""The domain's rules with numbers, as settings (DOMAIN.md: "rules with numbers become settings").

Each app registers its rules in ``AppConfig.ready()``::

    rules.register(Rule("repairs.auto_confirm_days", 3, _("Days until a done ticket confirms itself"),
                        source=_("Houqin default"), kind=int))

The value of a rule for a school: the school's own value (for ``local`` rules, set by its
logistics head on the Rules page) → the deployment's ``settings.HOUQIN_RULES[key]`` → the default.
"""

import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    key: str
    default: object
    label: str
    source: str = ""
    kind: type = int
    local: bool = True
    minimum: float | None = 0
    maximum: float | None = 1_000_000
    unit: str = ""
    group: str = field(default="")
    #: a time of day kept as the number hhmm (1720 for 17:20): shown and typed as 17:20, minutes under 60
    clock: bool = False

    def display(self, value):
        """The value as a page shows it: yes/no for a switch, 17:20 for a time of day, numbers without a
        trailing ".0"."""
        if self.kind is bool:
            return _("yes") if value in (True, "True", "true", 1, "1") else _("no")
        if self.clock and isinstance(value, int):
            return f"{value // 100:02d}:{value % 100:02d}"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)

    def parse(self, raw):
        if self.kind is bool:
            return str(raw).lower() in {"1", "true", "yes", "on"}
        if self.clock:
            match = re.fullmatch(r"(\d{1,2})[:：]?(\d{2})", str(raw).strip())
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise ValidationError(_("Enter a time of day such as 17:20."))
            return int(match[1]) * 100 + int(match[2])
        try:
            value = self.kind(raw)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValidationError(_("Enter a valid number.")) from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(_("Enter a valid number."))
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_("The value must be at most %(max)s.") % {"max": self.maximum})
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(_("The value must be at least %(min)s.") % {"min": self.minimum})
        return value


_registry: dict[str, Rule] = {}


def register(rule):
    _registry[rule.key] = rule
    return rule


def all_rules():
    return sorted(_registry.values(), key=lambda r: (r.group or r.key.split(".")[0], r.key))


def get_rule(key):
    return _registry[key]


def deployment_value(key):
    rule = _registry[key]
    return getattr(settings, "HOUQIN_RULES", {}).get(key, rule.default)


def value(school, key):
    """The rule's value in force for ``school`` (a School or None for the deployment value)."""
    rule = _registry[key]
    if school is not None and rule.local:
        overrides = getattr(school, "rule_overrides", None) or {}
        if key in overrides:
            return overrides[key]
    return deployment_value(key)


def set_value(school, key, raw):
    """Set (or with ``raw`` None/"" reset) the school's own value; the caller saves the school."""
    rule = _registry[key]
    overrides = dict(school.rule_overrides or {})
    if raw in (None, ""):
        overrides.pop(key, None)
    else:
        overrides[key] = rule.parse(raw)
    school.rule_overrides = overrides


def check_bounds(school, amount, confirmed=False, *, field, confirm_key, maximum_key, box):
    """A typo guard on an amount typed by hand (a part's unit cost, a consumable's price, a damage amount):
    above the school's ``maximum_key`` it is refused; above ``confirm_key`` it needs ``confirmed`` (the person
    ticked ``box``, e.g. "The amount is correct"). One misplaced digit would otherwise reach the report's and
    the dashboards' totals. Raises ``ValidationError({field: …})``."""
    from decimal import Decimal

    from django.utils.translation import gettext

    if amount in (None, ""):
        return
    amount = Decimal(str(amount))
    maximum = Decimal(str(value(school, maximum_key)))
    confirm_above = Decimal(str(value(school, confirm_key)))
    if amount > maximum:
        message = gettext(
            "%(amount)s yuan is more than the highest amount accepted here (%(max)s yuan): check the figure. "
            "If it is right, the logistics head can raise the limit on the Rules page."
        ) % {"amount": f"{amount:,.2f}", "max": f"{maximum:,.0f}"}
        raise ValidationError({field: ValidationError(message, code="amount_maximum")})
    if amount > confirm_above and not confirmed:
        message = gettext(
            "%(amount)s yuan is unusually high (above %(limit)s yuan): check the figure, then tick “%(box)s” "
            "and save again."
        ) % {"amount": f"{amount:,.2f}", "limit": f"{confirm_above:,.0f}", "box": box}
        raise ValidationError({field: ValidationError(message, code="amount_confirm")})
