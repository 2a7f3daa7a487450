"""The keys of the assets app's rules with numbers (declared in ``AssetsConfig.ready()``; shown and set
per school on /school/rules/), and the helpers that read them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from logistics.tenancy import rules

THRESHOLD = "assets.capitalisation_threshold"
STOCKTAKE_INTERVAL = "assets.stocktake_interval_days"
LOAN_DAYS = "assets.default_loan_days"
LOAN_REMINDER_DAYS = "assets.loan_reminder_days_before"
PRICE_CONFIRM_ABOVE = "assets.unit_price_confirm_above"
PRICE_MAXIMUM = "assets.unit_price_maximum"
CONSUMABLE_PRICE_CONFIRM_ABOVE = "assets.consumable_price_confirm_above"
CONSUMABLE_PRICE_MAXIMUM = "assets.consumable_price_maximum"
DAMAGE_CONFIRM_ABOVE = "assets.damage_amount_confirm_above"
DAMAGE_MAXIMUM = "assets.damage_amount_maximum"


def threshold(school):
    """The capitalisation threshold in force for ``school``, as a Decimal."""
    return Decimal(str(rules.value(school, THRESHOLD)))


def check_price(school, price, confirmed=False, field="unit_price"):
    """A typo guard on a card's unit price: above the school's maximum it is refused; above the "confirm"
    figure it needs ``confirmed`` (the person ticked "the unit price is correct"). One misplaced digit would
    otherwise reach the principal's and the district's ledger totals."""
    if price is None:
        return
    price = Decimal(str(price))
    maximum = Decimal(str(rules.value(school, PRICE_MAXIMUM)))
    confirm_above = Decimal(str(rules.value(school, PRICE_CONFIRM_ABOVE)))
    if price > maximum:
        message = _(
            "%(price)s yuan is more than the highest unit price accepted (%(max)s yuan): check the "
            "figure. If it is right, the logistics head can raise the limit on the Rules page."
        ) % {"price": f"{price:,.2f}", "max": f"{maximum:,.0f}"}
        raise ValidationError({field: ValidationError(message, code="price_maximum")})
    if price > confirm_above and not confirmed:
        message = _(
            "%(price)s yuan is an unusually high unit price (above %(limit)s yuan): check the figure, "
            "then tick “The unit price is correct” and save again."
        ) % {"price": f"{price:,.2f}", "limit": f"{confirm_above:,.0f}"}
        raise ValidationError({field: ValidationError(message, code="price_confirm")})


def check_consumable_price(school, price, confirmed=False, field="unit_price"):
    """The typo guard on a consumable's unit price (rules ``assets.consumable_price_*``)."""
    rules.check_bounds(
        school,
        price,
        confirmed,
        field=field,
        confirm_key=CONSUMABLE_PRICE_CONFIRM_ABOVE,
        maximum_key=CONSUMABLE_PRICE_MAXIMUM,
        box=_("The unit price is correct"),
    )


def check_damage_amount(school, amount, confirmed=False, field="amount"):
    """The typo guard on a damage-compensation amount (rules ``assets.damage_amount_*``)."""
    rules.check_bounds(
        school,
        amount,
        confirmed,
        field=field,
        confirm_key=DAMAGE_CONFIRM_ABOVE,
        maximum_key=DAMAGE_MAXIMUM,
        box=_("The amount is correct"),
    )
