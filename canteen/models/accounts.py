"""The canteen's monthly accounts (食堂按月公示收支): income (meal fees collected), expenses by category
(food, fuel, wages, other), the balance — published to parents as an unchangeable snapshot.

Rule (学校食品安全与营养健康管理规定, 2019: 食堂按月对收支情况和结余进行公示): a published month is never edited
in place — not by the API (409), a page (403), a queryset or raw SQL (database trigger, migration
``0009_accompanied_accounts_corrections``); a correction is a new version that supersedes it, saying what
changed and why, and every version stays on the public page."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import AccountStatus, FoodCostSource, IncomeSource

__all__ = ["MonthlyAccount"]

S = AccountStatus
ZERO = Decimal("0.00")

#: the money fields of a month, in the order the page and the "what changed" note list them
MONEY_FIELDS = (
    "opening_balance",
    "meal_fee_income",
    "other_income",
    "food_expense",
    "fuel_expense",
    "wage_expense",
    "other_expense",
)


def _money(label, help_text=""):
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)], help_text=help_text
    )


class MonthlyAccount(PrimaryModel):
    """One version of one month's canteen accounts: draft → published → superseded (by its correction)."""

    read_only_states = (S.PUBLISHED, S.SUPERSEDED)

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.DRAFT, editable=False)
    opening_balance = models.DecimalField(
        _("balance brought forward"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        help_text=_("Last month's closing balance (may be negative)."),
    )
    income_source = models.CharField(
        _("meal-fee income from"), max_length=20, choices=IncomeSource.choices, default=IncomeSource.ENTERED
    )
    meal_fee_income = _money(_("meal fees collected"))
    other_income = _money(_("other income"), _("E.g. subsidies (营养改善计划补助)."))
    food_source = models.CharField(
        _("food expense from"), max_length=20, choices=FoodCostSource.choices, default=FoodCostSource.ENTERED
    )
    food_expense = _money(_("food"))
    fuel_expense = _money(_("fuel"))
    wage_expense = _money(_("wages"))
    other_expense = _money(_("other expenses"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Shown to parents with the month's figures."))
    reason = models.CharField(
        _("reason for the correction"), max_length=300, blank=True, help_text=_("Required for a correction.")
    )
    changes = models.TextField(_("what changed"), blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("monthly canteen accounts")
        verbose_name_plural = _("monthly canteen accounts")
        ordering = ["-month", "-version"]
        indexes = [models.Index(fields=["school", "-month", "status"], name="canteen_account_school_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "version"],
                name="canteen_account_unique_version",
                violation_error_message=_("This month's accounts already have this version."),
            )
        ]
        permissions = [("publish_monthlyaccount", "Can publish the canteen's monthly accounts and correct them")]

    def __str__(self):
        text = _("Canteen accounts of %(month)s") % {"month": self.month.strftime("%Y-%m")}
        return f"{text} (v{self.version})" if self.version > 1 else str(text)

    def get_absolute_url(self):
        return reverse("canteen:monthlyaccount_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)

    def describe_changes(self, old):
        """ "food: 52300.00 → 51900.00" per figure that differs from ``old`` (labels in the reader's language)."""
        lines = []
        for name in (*MONEY_FIELDS, "notes"):
            before, after = getattr(old, name), getattr(self, name)
            if before != after:
                lines.append(f"{self._meta.get_field(name).verbose_name}：{before or '—'} → {after or '—'}")
        return "\n".join(lines)

    @property
    def change_text(self):
        """What this correction changed, read in the reader's language from the version it corrects (the
        text frozen at publishing, ``changes``, where that version is not at hand)."""
        if self.supersedes_id and self.status != S.DRAFT:
            return self.describe_changes(self.supersedes) or self.changes
        return self.changes

    @property
    def total_income(self):
        return (self.meal_fee_income or ZERO) + (self.other_income or ZERO)

    @property
    def total_expense(self):
        return sum(
            (getattr(self, f) or ZERO for f in ("food_expense", "fuel_expense", "wage_expense", "other_expense")), ZERO
        )

    @property
    def balance(self):
        """The month's surplus (income − expenses; negative: a deficit)."""
        return self.total_income - self.total_expense

    @property
    def closing_balance(self):
        return (self.opening_balance or ZERO) + self.balance

    @step(
        status,
        source=[S.DRAFT],
        target=S.PUBLISHED,
        permission="publish",
        label=pgettext_lazy("canteen accounts step", "Publish"),
        description="Publish the month to parents as an unchangeable snapshot; a correction supersedes the "
        "month's earlier published version and records what changed.",
        service="canteen.accounts.publish",
        event="monthlyaccount.published",
        confirm=pgettext_lazy(
            "canteen accounts step", "Parents will see these figures; they can never be edited afterwards."
        ),
        done_message=pgettext_lazy("canteen accounts step", "Accounts published."),
        order=10,
        primary=True,
    )
    def publish(self):
        pass

    @step(
        status,
        source=[S.PUBLISHED],
        permission="publish",
        label=pgettext_lazy("canteen accounts step", "Correct (new version)"),
        description="Start a correction: a new draft version of a published month (the published one stays "
        "until the correction is published). Returns the new draft.",
        service="canteen.accounts.revise",
        response="canteen.api.accompanied.MonthlyAccountSerializer",
        event="monthlyaccount.revised",
        order=20,
    )
    def revise(self):
        pass

    @step(
        status,
        source=[S.PUBLISHED],
        target=S.SUPERSEDED,
        permission="publish",
        label=pgettext_lazy("canteen accounts step", "Supersede"),
        description="Taken when the month's correction is published.",
        service="canteen.accounts.supersede",
        event="monthlyaccount.superseded",
        hidden=True,
        api=False,
        order=30,
    )
    def supersede(self):
        pass
