"""Stock-takes (清查盘点): ledger, card and item must agree (帐、卡、物相符)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import Condition, LineResult, StockTakeStatus

S = StockTakeStatus

__all__ = ["StockTake", "StockTakeLine"]


class StockTake(ReferenceMixin, PrimaryModel):
    """A stock-take (资产清查盘点) of chosen rooms or the whole school.

    Differences are explained and approved by the logistics head before the ledger changes
    (行政事业性国有资产管理条例 art. 37–39); at least one a year (rule ``assets.stocktake_interval_days``).
    """

    reference_prefix = "STK"

    name = models.CharField(_("name"), max_length=200)
    whole_school = models.BooleanField(_("whole school"), default=False)
    rooms = models.ManyToManyField("tenancy.Room", blank=True, related_name="+", verbose_name=_("rooms"))
    status = FSMField(_("status"), max_length=20, choices=StockTakeStatus.choices, default=StockTakeStatus.IN_PROGRESS)
    started_on = models.DateField(_("started on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expected_count = models.PositiveIntegerField(_("assets expected"), default=0, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("stock-take")
        verbose_name_plural = _("stock-takes")
        ordering = ["school", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="assets_stocktake_unique_reference",
                violation_error_message=_("A stock-take with this reference number already exists in this school."),
            )
        ]
        indexes = [models.Index(fields=["school", "status"], name="assets_stocktake_status")]
        permissions = [
            ("scan_stocktake", "Can scan assets in a stock-take"),
            ("approve_stocktake", "Can approve a stock-take"),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}".strip()

    def get_absolute_url(self):
        return reverse("assets:stocktake_detail", args=[self.pk])

    # --- steps (条例 art. 37–39: differences explained, then approved by the logistics head before
    # the ledger changes). Side effects in ``assets.steps.stocktake``. Scanning and explaining are
    # guarded by their steps (``guard.ensure``) but keep their own pages and API actions. --------

    @step(
        status,
        source=[S.IN_PROGRESS],
        permission="scan",
        label=pgettext_lazy("stocktake step", "Scan"),
        description="Record assets seen in a room (scan or tick), or items not on the ledger.",
        hidden=True,
        api=False,
        order=5,
    )
    def scan(self):
        pass

    @step(
        status,
        source=[S.IN_PROGRESS],
        target=S.SUBMITTED,
        permission="change",
        label=pgettext_lazy("stocktake step", "Finish scanning and submit"),
        description="Finish scanning: every asset not seen is now “missing”; the logistics head is asked to approve.",
        service="assets.steps.stocktake.submit",
        event="stocktake.submitted",
        done_message=pgettext_lazy("stocktake step", "Submitted for approval."),
        order=10,
        primary=True,
    )
    def submit(self):
        pass

    @step(
        status,
        source=[S.IN_PROGRESS, S.SUBMITTED],
        permission="change",
        label=pgettext_lazy("stocktake step", "Explain a difference"),
        description="Explain one difference (差异说明).",
        hidden=True,
        api=False,
        order=15,
    )
    def explain(self):
        pass

    @step(
        status,
        source=[S.SUBMITTED],
        target=S.APPROVED,
        permission="approve",
        label=pgettext_lazy("stocktake step", "Approve and update the ledger"),
        description="Every difference must be explained. Only now does the ledger change: moves, losses, "
        "additions, each recorded as a movement (条例 art. 37–39).",
        service="assets.steps.stocktake.approve",
        event="stocktake.approved",
        done_message=pgettext_lazy("stocktake step", "Approved: the ledger has been updated."),
        order=20,
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=[S.SUBMITTED],
        target=S.IN_PROGRESS,
        permission="change",
        label=pgettext_lazy("stocktake step", "Reopen for scanning"),
        description="Back to scanning (missing lines become “not yet seen” again).",
        service="assets.steps.stocktake.reopen",
        event="stocktake.reopened",
        done_message=pgettext_lazy("stocktake step", "Reopened for scanning."),
        order=30,
    )
    def reopen(self):
        pass

    @step(
        status,
        source=[S.IN_PROGRESS, S.SUBMITTED],
        target=S.CANCELLED,
        permission="change",
        label=pgettext_lazy("stocktake step", "Cancel the stock-take"),
        description="Cancel the stock-take; the ledger does not change.",
        form="assets.forms.NoteForm",
        serializer="assets.api.serializers.AssetsNoteSerializer",
        service="assets.steps.stocktake.cancel",
        event="stocktake.cancelled",
        done_message=pgettext_lazy("stocktake step", "Cancelled."),
        danger=True,
        confirm=pgettext_lazy("stocktake step", "The stock-take ends without changing the ledger."),
        order=90,
    )
    def cancel(self):
        pass


class StockTakeLine(PrimaryModel):
    """One asset in a stock-take: expected (snapshot at start) and/or seen by a scan.

    One row per (stock-take, asset) — a unique constraint — so two people scanning at once never
    lose or double a scan. Items found that are not on the ledger have no asset and carry a
    description to become a new card when the stock-take is approved.
    """

    stocktake = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("asset")
    )
    expected_room = models.ForeignKey(
        "tenancy.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room on the ledger"),
    )
    found_room = models.ForeignKey(
        "tenancy.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room found in"),
    )
    result = models.CharField(_("result"), max_length=20, choices=LineResult.choices, default=LineResult.PENDING)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices, blank=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    # for items not in the ledger (账外资产 found)
    item_name = models.CharField(_("item name"), max_length=200, blank=True)
    item_category = models.ForeignKey(
        "assets.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item category"),
    )
    item_value = models.DecimalField(
        _("estimated value (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    applied = models.BooleanField(_("applied to the ledger"), default=False, editable=False)
    #: on the list the stock-take expects (the ledger's snapshot at its start); an asset from elsewhere found
    #: in a room of the stock-take gets a line too (a difference), but does not count towards "seen"
    listed = models.BooleanField(_("on the stock-take's list"), default=False, editable=False)

    audit_exclude = ("created", "updated", "updated_by")

    class Meta:
        verbose_name = _("stock-take line")
        verbose_name_plural = _("stock-take lines")
        ordering = ["stocktake", "expected_room", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "asset"],
                condition=models.Q(asset__isnull=False),
                name="assets_stocktakeline_unique_asset",
                violation_error_message=_("This asset is already on the stock-take."),
            )
        ]
        indexes = [
            models.Index(fields=["school", "stocktake", "result"], name="assets_stline_result"),
            models.Index(fields=["stocktake", "expected_room"], name="assets_stline_room"),
        ]

    def __str__(self):
        return f"{self.stocktake_id}: {self.asset_id or self.item_name} {self.result}"

    def get_absolute_url(self):
        return reverse("assets:stocktake_detail", args=[self.stocktake_id])

    @property
    def is_difference(self):
        return self.result in (LineResult.MISSING, LineResult.WRONG_ROOM, LineResult.NOT_IN_LEDGER, LineResult.PENDING)
