"""The fee disclosure board (收费公示): versions drafted, approved by the principal, published; never
edited once published (the database refuses it too: triggers in migration 0002)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import FROZEN_DISCLOSURE_STATUSES, AdministrativeKind, DisclosureStatus, FeeCategory, FeeUnit

S = DisclosureStatus

__all__ = ["DisclosureEntry", "FeeDisclosure"]


class FeeDisclosure(PrimaryModel):
    """One version of a school's fee disclosure board (收费公示, "价格服务进校园").

    Drafted by the finance officer, approved by the principal, then published on the public page
    ``/p/<school>/fees/``. A published version is never edited in place — not by the API (409), a page
    (403), a queryset update or raw SQL (database triggers) —; a change is a new version that
    supersedes it, and every old version stays visible with its dates and what changed.
    Rules: 应公示而未公示的不得收费 (an item is charged only while on the published board); a
    compulsory-education school publishes no tuition or miscellaneous fees (义务教育法 art. 2).
    """

    version = models.PositiveIntegerField(_("version"), editable=False)
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.DRAFTED, editable=False)
    note = models.TextField(
        _("what changed"), blank=True, help_text=_("Shown with the version history, e.g. why a fee changed.")
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("submitted by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("approved by"),
    )  # fmt: skip
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("published by"),
    )  # fmt: skip
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True, editable=False)
    rejection_reason = models.CharField(_("returned because"), max_length=300, blank=True, editable=False)

    read_only_states = FROZEN_DISCLOSURE_STATUSES

    class Meta:
        verbose_name = _("fee disclosure")
        verbose_name_plural = _("fee disclosures")
        ordering = ["school", "-version"]
        permissions = [
            ("submit_feedisclosure", "Can submit a fee disclosure for approval"),
            ("approve_feedisclosure", "Can approve or return a fee disclosure (the principal)"),
            ("publish_feedisclosure", "Can publish an approved fee disclosure"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "version"],
                name="finance_disclosure_unique_version",
                violation_error_message=_("This version of the fee disclosure already exists in this school."),
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status__in=["drafted", "submitted", "approved"]),
                name="finance_disclosure_one_open",
                violation_error_message=_(
                    "This school already has a version of the fee disclosure in preparation: finish that one first."
                ),
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status="published"),
                name="finance_disclosure_one_published",
                violation_error_message=_("This school already has a published fee disclosure."),
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="finance_discl_school_status")]

    def __str__(self):
        return str(_("Fee disclosure, version %(version)s") % {"version": self.version})

    def get_absolute_url(self):
        return reverse("finance:feedisclosure_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.version and self.school_id:
            last = FeeDisclosure.objects.filter(school_id=self.school_id).order_by("-version").first()
            self.version = (last.version if last else 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "published":
            return Q(status__in=FROZEN_DISCLOSURE_STATUSES)
        return super().scope_q(scope, user)

    @property
    def frozen(self):
        return self.status in FROZEN_DISCLOSURE_STATUSES

    @step(
        status,
        source=S.DRAFTED,
        target=S.SUBMITTED,
        permission="submit",
        label=pgettext_lazy("disclosure step", "Submit to the principal"),
        description="The finance officer submits the draft: the board's items are copied into this version.",
        service="finance.steps.submit_disclosure",
        event="disclosure.submitted",
        order=10,
        primary=True,
    )
    def submit(self):
        pass

    @step(
        status,
        source=S.SUBMITTED,
        target=S.APPROVED,
        permission="approve",
        label=pgettext_lazy("disclosure step", "Approve"),
        description="The principal approves the version exactly as submitted.",
        service="finance.steps.approve_disclosure",
        event="disclosure.approved",
        order=20,
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=[S.SUBMITTED, S.APPROVED],
        target=S.DRAFTED,
        permission="approve",
        label=pgettext_lazy("disclosure step", "Return for changes"),
        description="The principal returns the version to the finance officer with a reason.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.steps.reject_disclosure",
        event="disclosure.returned",
        reason=True,
        danger=True,
        order=25,
    )
    def reject(self):
        pass

    @step(
        status,
        source=S.APPROVED,
        target=S.PUBLISHED,
        permission="publish",
        label=pgettext_lazy("disclosure step", "Publish"),
        description=(
            "Publishes the approved version on the public page; the version published before is superseded. "
            "Refused when the school gives compulsory education and the version has tuition or miscellaneous fees."
        ),
        service="finance.steps.publish_disclosure",
        event="disclosure.published",
        confirm=pgettext_lazy(
            "disclosure step", "Once published, this version can never be changed: a change is a new version."
        ),
        order=30,
        primary=True,
    )
    def publish(self):
        pass

    @step(
        status,
        source=S.PUBLISHED,
        target=S.SUPERSEDED,
        permission="publish",
        label=pgettext_lazy("disclosure step", "Supersede"),
        description="Taken by publishing the next version.",
        service="finance.steps.supersede_disclosure",
        event="disclosure.superseded",
        hidden=True,
        api=False,
        order=90,
    )
    def supersede(self):
        pass


class DisclosureEntry(PrimaryModel):
    """One fee item as a version of the board shows it (公示内容): a copy taken when the version was
    submitted, so a later change of the item never changes what was published."""

    disclosure = models.ForeignKey(
        FeeDisclosure, on_delete=models.CASCADE, related_name="entries", verbose_name=_("fee disclosure")
    )
    fee_item = models.ForeignKey(
        "finance.FeeItem", on_delete=models.PROTECT, related_name="entries", verbose_name=_("fee item")
    )
    category = models.CharField(_("category"), max_length=20, choices=FeeCategory.choices)
    administrative_kind = models.CharField(
        _("kind of administrative fee"), max_length=20, choices=AdministrativeKind.choices, blank=True
    )
    name = models.CharField(_("fee item"), max_length=100)
    amount = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("billing unit"), max_length=10, choices=FeeUnit.choices)
    basis_authority = models.CharField(_("approved by"), max_length=100, blank=True)
    basis_document = models.CharField(_("document number"), max_length=100, blank=True)
    scope = models.CharField(_("scope"), max_length=400)
    period_label = models.CharField(_("period"), max_length=50)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    waiver_policy = models.TextField(_("waiver policy"), blank=True)
    voluntary = models.BooleanField(_("voluntary"))
    complaint_phone = models.CharField(_("complaint and supervision phone"), max_length=30, blank=True)

    #: the fields a reader compares between two versions (the readable diff)
    compared_fields = (
        "category",
        "name",
        "amount",
        "unit",
        "basis_authority",
        "basis_document",
        "scope",
        "period_label",
        "waiver_policy",
        "voluntary",
        "complaint_phone",
    )

    class Meta:
        verbose_name = _("disclosed fee")
        verbose_name_plural = _("disclosed fees")
        ordering = ["school", "disclosure", "category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "disclosure", "fee_item"],
                name="finance_entry_unique_item",
                violation_error_message=_("This fee item is already on this version of the board."),
            )
        ]
        indexes = [models.Index(fields=["school", "fee_item"], name="finance_entry_school_item")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.disclosure.get_absolute_url()

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "published":
            return Q(disclosure__status__in=FROZEN_DISCLOSURE_STATUSES)
        return super().scope_q(scope, user)
