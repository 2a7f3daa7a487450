"""The assets app's rules with numbers (shown and set per school on /school/rules/)."""

from django.utils.translation import gettext_lazy as _

from logistics.tenancy import rules
from logistics.tenancy.rules import Rule

THRESHOLD = "assets.capitalisation_threshold"
STOCKTAKE_INTERVAL = "assets.stocktake_interval_days"
LOAN_DAYS = "assets.default_loan_days"
LOAN_REMINDER_DAYS = "assets.loan_reminder_days_before"


def register():
    group = _("Assets")
    rules.register(
        Rule(
            THRESHOLD,
            1000,
            _("Capitalisation threshold: the unit price from which an item is a fixed asset"),
            source=_("事业单位财务规则 (2022) art. 41: ≥ 1,000 yuan and more than a year of use"),
            kind=int,
            unit=_("yuan"),
            group=group,
        )
    )
    rules.register(
        Rule(
            STOCKTAKE_INTERVAL,
            365,
            _("Longest time between two stock-takes"),
            source=_("行政事业性国有资产管理条例 art. 37: stock-take at least once a year"),
            kind=int,
            minimum=1,
            unit=_("days"),
            group=group,
        )
    )
    rules.register(
        Rule(
            LOAN_DAYS,
            14,
            _("Default loan period of an asset"),
            source=_("Houqin default (借领物资有手续)"),
            kind=int,
            minimum=1,
            unit=_("days"),
            group=group,
        )
    )
    rules.register(
        Rule(
            LOAN_REMINDER_DAYS,
            1,
            _("Remind the borrower this many days before a loan is due back"),
            source=_("Houqin default"),
            kind=int,
            unit=_("days"),
            group=group,
        )
    )


def threshold(school):
    from decimal import Decimal

    return Decimal(str(rules.value(school, THRESHOLD)))
