"""The keys of the assets app's rules with numbers (declared in ``AssetsConfig.ready()``; shown and set
per school on /school/rules/), and the helpers that read them."""

from decimal import Decimal

from logistics.tenancy import rules

THRESHOLD = "assets.capitalisation_threshold"
STOCKTAKE_INTERVAL = "assets.stocktake_interval_days"
LOAN_DAYS = "assets.default_loan_days"
LOAN_REMINDER_DAYS = "assets.loan_reminder_days_before"


def threshold(school):
    """The capitalisation threshold in force for ``school``, as a Decimal."""
    return Decimal(str(rules.value(school, THRESHOLD)))
