"""The fixed-asset ledger (资产台账): categories, asset cards, movements, loans, disposals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import (
    ON_LEDGER,
    AssetStatus,
    DisposalMethod,
    DisposalStatus,
    FundingSource,
    MovementKind,
)

A = AssetStatus
D = DisposalStatus

__all__ = ["Asset", "AssetLoan", "AssetMovement", "Category", "ClassroomCheck", "DisposalRequest"]


def custody_q(user, prefix=""):
    """Rows in the custody of ``user``: assets they hold, or in the home room of a class they head.

    (班级财产由班主任负责 — the classroom's furniture is the class teacher's custody.)
    """
    from logistics.people.models import SchoolClass

    rooms = SchoolClass.objects.filter(head_teacher=user, room__isnull=False).values("room_id")
    return Q(**{f"{prefix}custodian": user}) | Q(**{f"{prefix}room_id__in": rooms})


class Category(PrimaryModel):
    """An asset category (资产分类) by GB/T 14885-2022 code, with its minimum depreciation life.

    Lives follow 政府会计准则第3号——固定资产 应用指南 (固定资产折旧年限表); student furniture
    5 years is a local table. Buildings, land and cultural relics may be marked non-depreciating.
    """

    code = models.CharField(_("code"), max_length=20, help_text=_("GB/T 14885-2022 classification code."))
    name = models.CharField(_("name"), max_length=100)
    life_years = models.PositiveSmallIntegerField(
        _("depreciation life (years)"),
        help_text=_("Minimum life from 政府会计准则第3号 应用指南; 0 means not depreciated."),
    )
    is_fixed_asset = models.BooleanField(_("fixed asset category"), default=True)

    class Meta:
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")
        ordering = ["school", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                name="assets_category_unique_code",
                violation_error_message=_("A category with this code already exists in this school."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("assets:category_detail", args=[self.pk])


class Asset(PrimaryModel):
    """An asset card (资产卡片): one physical fixed asset on the school's ledger.

    Rules: only items at or above the capitalisation threshold (≥ 1,000 yuan, 事业单位财务规则 art. 41;
    rule ``assets.capitalisation_threshold``) are cards; no asset outside the ledger (不得有账外资产);
    a disposed card is never deleted and stays readable (行政事业性国有资产管理条例 art. 35).
    """

    code = models.CharField(_("asset code"), max_length=40)
    sequence = models.PositiveBigIntegerField(_("sequence"), default=0, editable=False)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="assets", verbose_name=_("category"))
    model_spec = models.CharField(_("model / specification"), max_length=200, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=14, decimal_places=2)
    purchase_date = models.DateField(_("purchase date"))
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, default=FundingSource.BUDGET
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=100, blank=True)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    life_years = models.PositiveSmallIntegerField(
        _("depreciation life (years)"),
        null=True,
        blank=True,
        help_text=_("Empty: the category's life."),
    )
    room = models.ForeignKey(
        "tenancy.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
    )
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("custodian"),
    )
    department = models.CharField(_("managing department"), max_length=100, blank=True)
    status = FSMField(_("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_USE)
    bulk_item = models.BooleanField(
        _("bulk similar items"),
        default=False,
        help_text=_(
            "大批同类物资: below the threshold but durable for more than a year and bought in quantity, "
            "so kept as fixed assets (事业单位财务规则 art. 41)."
        ),
    )
    batch = models.CharField(_("acquisition batch"), max_length=40, blank=True, editable=False)
    disposed_on = models.DateField(_("written off on"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["school", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                name="assets_asset_unique_code",
                violation_error_message=_("An asset with this code already exists in this school."),
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0),
                name="assets_asset_price_positive",
                violation_error_message=_("The unit price cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-sequence"], name="assets_asset_school_seq"),
            models.Index(fields=["school", "status"], name="assets_asset_school_status"),
            models.Index(fields=["school", "room"], name="assets_asset_school_room"),
            models.Index(fields=["school", "category"], name="assets_asset_school_cat"),
            models.Index(fields=["school", "custodian"], name="assets_asset_school_cust"),
            models.Index(fields=["school", "purchase_date"], name="assets_asset_school_date"),
        ]
        permissions = [
            ("transfer_asset", "Can transfer an asset"),
            ("lend_asset", "Can lend and take back an asset"),
            ("report_lost_asset", "Can report an asset lost"),
            ("request_disposal_asset", "Can request disposal of an asset"),
            ("repair_asset", "Can mark an asset under repair or repaired"),
            ("write_off_asset", "Can write an asset off the ledger (by an approved disposal)"),
            ("view_value_asset", "Can see asset values and depreciation"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("assets:asset_detail", args=[self.pk])

    @property
    def effective_life_years(self):
        return self.life_years if self.life_years is not None else self.category.life_years

    @property
    def on_ledger(self):
        return self.status not in (AssetStatus.DISPOSED,)

    def clean(self):
        if self.room_id and self.school_id and self.room.school_id != self.school_id:
            raise ValidationError({"room": _("The room belongs to another school.")})
        if self.category_id and self.school_id and self.category.school_id != self.school_id:
            raise ValidationError({"category": _("The category belongs to another school.")})

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "custody":
            return custody_q(user)
        return super().scope_q(scope, user)

    # --- steps (docs/assets.md § Rules; 借领物资有手续, 条例 art. 19, 35): one movement and one
    # timeline event each; side effects in ``assets.steps.ledger``; buttons in this order. A disposed
    # card is read-only everywhere (no step leaves "disposed"). ----------------------------------

    @step(
        status,
        source=[A.IN_USE, A.IDLE, A.UNDER_REPAIR],
        # an idle asset given a room or a custodian is in use again
        target={A.IN_USE: None, A.IDLE: RETURN_VALUE(A.IDLE, A.IN_USE), A.UNDER_REPAIR: None},
        permission="transfer",
        label=pgettext_lazy("asset step", "Transfer"),
        description="Move the asset to another room and/or custodian or department (调拨/转移).",
        form="assets.forms.TransferForm",
        serializer="assets.api.serializers.TransferSerializer",
        service="assets.steps.ledger.transfer",
        event="asset.transferred",
        done_message=pgettext_lazy("asset step", "Transferred."),
        order=10,
        primary=True,
    )
    def transfer(self):
        return A.IN_USE if getattr(self, "_in_use_after_transfer", False) else A.IDLE

    @step(
        status,
        source=[A.IN_USE, A.IDLE],
        target=A.ON_LOAN,
        permission="lend",
        label=pgettext_lazy("asset step", "Lend"),
        description="Lend the asset to a person (a user of the school, or a name) with an expected return date.",
        form="assets.forms.LendForm",
        serializer="assets.api.serializers.LendSerializer",
        service="assets.steps.ledger.lend",
        event="asset.lent",
        done_message=pgettext_lazy("asset step", "Lent."),
        order=20,
    )
    def lend(self):
        pass

    @step(
        status,
        source=[A.ON_LOAN],
        target=A.IN_USE,
        permission="lend",
        label=pgettext_lazy("asset step", "Take back"),
        description="Take a lent asset back (归还); the open loan is closed.",
        form="assets.forms.NoteForm",
        serializer="assets.api.serializers.AssetsNoteSerializer",
        service="assets.steps.ledger.take_back",
        event="asset.returned",
        done_message=pgettext_lazy("asset step", "Returned."),
        url_name="return",
        order=30,
        primary=True,
    )
    def take_back(self):
        pass

    @step(
        status,
        source=[A.IN_USE, A.IDLE],
        target=A.UNDER_REPAIR,
        permission="repair",
        label=pgettext_lazy("asset step", "Under repair"),
        description="Mark the asset under repair (repairs may do this when a ticket names it).",
        form="assets.forms.NoteForm",
        serializer="assets.api.serializers.AssetsNoteSerializer",
        service="assets.steps.ledger.mark_under_repair",
        event="asset.under-repair",
        system=True,
        url_name="under-repair",
        order=40,
    )
    def mark_under_repair(self):
        pass

    @step(
        status,
        source=[A.UNDER_REPAIR],
        target=A.IN_USE,
        permission="repair",
        label=pgettext_lazy("asset step", "Repaired: back in use"),
        description="The repair is done; the asset is in use again.",
        form="assets.forms.NoteForm",
        serializer="assets.api.serializers.AssetsNoteSerializer",
        service="assets.steps.ledger.mark_repaired",
        event="asset.repaired",
        system=True,
        url_name="repaired",
        order=45,
        primary=True,
    )
    def mark_repaired(self):
        pass

    @step(
        status,
        source=[A.IN_USE, A.IDLE, A.ON_LOAN, A.UNDER_REPAIR],
        target=A.LOST,
        permission="report_lost",
        label=pgettext_lazy("asset step", "Report lost"),
        description="Report the asset lost (报失), saying what happened; it stays on the ledger until a "
        "disposal writes it off (条例 art. 19).",
        form="assets.forms.RequiredNoteForm",
        serializer="assets.api.serializers.AssetsRequiredNoteSerializer",
        service="assets.steps.ledger.report_lost",
        event="asset.lost",
        done_message=pgettext_lazy("asset step", "Reported lost."),
        danger=True,
        url_name="report-lost",
        order=60,
    )
    def report_lost(self):
        pass

    @step(
        status,
        source=[A.IN_USE, A.IDLE, A.UNDER_REPAIR, A.LOST],
        permission="request_disposal",
        label=pgettext_lazy("asset step", "Request disposal"),
        description="Opens a disposal request; the asset leaves the ledger only after the logistics head and "
        "the principal approve and it is written off (条例 art. 19, 35). Answers the disposal request.",
        form="assets.forms.DisposalForm",
        serializer="assets.api.serializers.DisposalRequestStepSerializer",
        service="assets.steps.ledger.request_disposal",
        event="asset.disposal_requested",
        response="assets.api.serializers.DisposalSerializer",
        done_message=pgettext_lazy(
            "asset step", "Disposal requested; it now needs the approval of the logistics head and the principal."
        ),
        danger=True,
        url_name="request-disposal",
        order=70,
    )
    def request_disposal(self):
        pass

    @step(
        status,
        source=[*ON_LEDGER, A.LOST],
        target=A.DISPOSED,
        permission="write_off",
        label=pgettext_lazy("asset step", "Write off the ledger"),
        description="Taken by the write-off of an approved disposal request (核销, 条例 art. 35).",
        service="assets.steps.ledger.write_off",
        event="asset.disposed",
        hidden=True,
        api=False,
        order=90,
    )
    def write_off(self):
        pass

    @step(
        status,
        source=list(ON_LEDGER),
        target=A.LOST,
        permission="report_lost",
        label=pgettext_lazy("asset step", "Missing in a stock-take"),
        description="Taken by the approval of a stock-take in which the asset was not found (条例 art. 37–39).",
        service="assets.steps.ledger.missing_in_stocktake",
        event="asset.stocktake_lost",
        hidden=True,
        api=False,
        order=95,
    )
    def missing_in_stocktake(self):
        pass


class AssetMovement(PrimaryModel):
    """One movement of an asset (资产变动记录): acquisition, transfer, loan, return, loss, disposal.

    Written only by ``assets.services``; never edited or deleted — the asset's history.
    """

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="movements", verbose_name=_("asset"))
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    date = models.DateField(_("date"))
    from_room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from room")
    )
    to_room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to room")
    )
    from_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from custodian"),
    )
    to_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to custodian"),
    )
    from_status = models.CharField(_("status before"), max_length=20, choices=AssetStatus.choices, blank=True)
    to_status = models.CharField(_("status after"), max_length=20, choices=AssetStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("asset movement")
        verbose_name_plural = _("asset movements")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["school", "kind", "date"], name="assets_move_school_kind"),
            models.Index(fields=["school", "asset"], name="assets_move_school_asset"),
        ]

    def __str__(self):
        return f"{self.asset_id} {self.get_kind_display()} {self.date}"

    def get_absolute_url(self):
        return reverse("assets:asset_detail", args=[self.asset_id])

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "custody":
            return custody_q(user, "asset__")
        return super().scope_q(scope, user)


class AssetLoan(PrimaryModel):
    """A loan of an asset to a person (借用) with the expected return date (借领物资有手续)."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="loans", verbose_name=_("asset"))
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("borrower"),
    )
    borrower_name = models.CharField(_("borrower (name)"), max_length=100, blank=True)
    lent_on = models.DateField(_("lent on"))
    expected_return = models.DateField(_("expected return"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("asset loan")
        verbose_name_plural = _("asset loans")
        ordering = ["-lent_on", "-pk"]
        indexes = [models.Index(fields=["school", "returned_on", "expected_return"], name="assets_loan_open")]

    def __str__(self):
        return f"{self.asset_id} → {self.borrower or self.borrower_name}"

    def get_absolute_url(self):
        return reverse("assets:asset_detail", args=[self.asset_id])

    @property
    def borrower_display(self):
        return str(self.borrower) if self.borrower_id else self.borrower_name

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "custody":
            return Q(borrower=user) | custody_q(user, "asset__")
        return super().scope_q(scope, user)


class DisposalRequest(ReferenceMixin, PrimaryModel):
    """A disposal request (资产处置/报废申请) for one or more assets.

    Disposal only after collective decision and approval (行政事业性国有资产管理条例 art. 19):
    the logistics head, then the principal, approve; only then is the asset written out of the
    ledger (art. 35). The cards stay readable forever.
    """

    reference_prefix = "DSP"

    assets = models.ManyToManyField(Asset, related_name="disposal_requests", verbose_name=_("assets"))
    reason = models.TextField(_("reason"))
    method = models.CharField(_("method"), max_length=20, choices=DisposalMethod.choices, default=DisposalMethod.SCRAP)
    status = FSMField(_("status"), max_length=20, choices=DisposalStatus.choices, default=DisposalStatus.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    head_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (logistics head)"),
    )
    head_approved_at = models.DateTimeField(_("approved at (logistics head)"), null=True, blank=True)
    principal_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (principal)"),
    )
    principal_approved_at = models.DateTimeField(_("approved at (principal)"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    proceeds = models.DecimalField(_("proceeds (yuan)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("disposal request")
        verbose_name_plural = _("disposal requests")
        ordering = ["school", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="assets_disposal_unique_reference",
                violation_error_message=_(
                    "A disposal request with this reference number already exists in this school."
                ),
            )
        ]
        indexes = [models.Index(fields=["school", "status"], name="assets_disposal_status")]
        permissions = [
            ("approve_head_disposalrequest", "Can approve a disposal as logistics head"),
            ("approve_principal_disposalrequest", "Can approve a disposal as principal"),
            ("write_off_disposalrequest", "Can write approved disposals out of the ledger"),
            ("reject_disposalrequest", "Can reject a disposal request"),
        ]

    def __str__(self):
        return self.reference or str(self.pk)

    def get_absolute_url(self):
        return reverse("assets:disposalrequest_detail", args=[self.pk])

    # --- steps (条例 art. 19: the logistics head, then the principal approve; art. 35: only then is
    # the asset written off). Side effects in ``assets.steps.disposals``. --------------------------

    @step(
        status,
        source=[D.REQUESTED],
        target=D.HEAD_APPROVED,
        permission="approve_head",
        label=pgettext_lazy("disposal step", "Approve (logistics head)"),
        description="The logistics head approves (first of two approvals, 条例 art. 19); the principal is asked next.",
        form="assets.forms.DecisionNoteForm",
        serializer="assets.api.serializers.AssetsNoteSerializer",
        service="assets.steps.disposals.approve_head",
        event="disposal.head_approved",
        done_message=pgettext_lazy("disposal step", "Approved."),
        url_name="approve-head",
        order=10,
        primary=True,
    )
    def approve_head(self):
        pass

    @step(
        status,
        source=[D.HEAD_APPROVED],
        target=D.APPROVED,
        permission="approve_principal",
        label=pgettext_lazy("disposal step", "Approve (principal)"),
        description="The principal approves (second approval; the collective decision recorded in the note).",
        form="assets.forms.DecisionNoteForm",
        serializer="assets.api.serializers.AssetsNoteSerializer",
        service="assets.steps.disposals.approve_principal",
        event="disposal.approved",
        done_message=pgettext_lazy("disposal step", "Approved."),
        url_name="approve-principal",
        order=20,
        primary=True,
    )
    def approve_principal(self):
        pass

    @step(
        status,
        source=[D.APPROVED],
        target=D.WRITTEN_OFF,
        permission="write_off",
        label=pgettext_lazy("disposal step", "Write off the ledger"),
        description="Write the approved assets out of the ledger (核销, 条例 art. 35); the cards stay, "
        "status “disposed”.",
        form="assets.forms.WriteOffForm",
        serializer="assets.api.serializers.WriteOffSerializer",
        service="assets.steps.disposals.write_off",
        event="disposal.written_off",
        done_message=pgettext_lazy("disposal step", "Written off the ledger."),
        danger=True,
        confirm=pgettext_lazy("disposal step", "The assets leave the ledger for good; their cards stay readable."),
        url_name="write-off",
        order=30,
        primary=True,
    )
    def write_off(self):
        pass

    @step(
        status,
        source=[D.REQUESTED, D.HEAD_APPROVED],
        target=D.REJECTED,
        permission="reject",
        label=pgettext_lazy("disposal step", "Reject"),
        description="The logistics head or the principal refuses, with the reason; the assets stay on the ledger.",
        form="assets.forms.RequiredDecisionNoteForm",
        serializer="assets.api.serializers.AssetsRequiredNoteSerializer",
        service="assets.steps.disposals.reject",
        event="disposal.rejected",
        done_message=pgettext_lazy("disposal step", "Rejected."),
        danger=True,
        order=90,
    )
    def reject(self):
        pass


class ClassroomCheck(PrimaryModel):
    """A class teacher's termly confirmation of their classroom's asset list (班级财产学期核对)."""

    room = models.ForeignKey("tenancy.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    school_class = models.ForeignKey(
        "people.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class"),
    )
    term = models.CharField(_("term"), max_length=20)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    asset_count = models.PositiveIntegerField(_("assets listed"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("classroom check")
        verbose_name_plural = _("classroom checks")
        ordering = ["school", "-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "room", "term"],
                name="assets_classroomcheck_unique_term",
                violation_error_message=_("This class's property has already been checked this term."),
            )
        ]

    def __str__(self):
        return f"{self.room_id} {self.term}"

    def get_absolute_url(self):
        return reverse("assets:classroom_detail", args=[self.room_id])

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "custody":
            return Q(confirmed_by=user) | Q(school_class__head_teacher=user)
        return super().scope_q(scope, user)
