"""Guardians' consent to voluntary fees (家长知情同意): online or on a signed paper form, revocable
until the fee is paid."""

import secrets

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.attachments.validators import FileValidator
from logistics.people.models import GuardianLink
from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import ConsentChannel, ConsentStatus

S = ConsentStatus

__all__ = ["Consent"]


def paper_form_path(instance, filename):
    return f"finance/{instance.school_id}/consents/{secrets.token_hex(8)}-{filename[-40:]}"


class Consent(PrimaryModel):
    """A guardian's answer (同意/不同意) for one student and one voluntary fee item.

    Rule (DOMAIN.md § Finance; 教育部等《关于规范中小学服务性收费和代收费管理有关问题的通知》):
    service fees and fees collected on behalf are voluntary; the guardian's consent must be written or
    otherwise traceable and archived before charging (家长签字手续方可收费). Who answered, when and how
    (online, or the paper form with its scan recorded by the class teacher) is kept; the guardian may
    withdraw consent until the fee is paid.
    """

    fee_item = models.ForeignKey(
        "finance.FeeItem", on_delete=models.PROTECT, related_name="consents", verbose_name=_("fee item")
    )
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="fee_consents", verbose_name=_("student")
    )
    status = FSMField(_("answer"), max_length=20, choices=S.choices, default=S.PENDING, editable=False)
    channel = models.CharField(_("how"), max_length=10, choices=ConsentChannel.choices, blank=True, editable=False)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    signed_by = models.CharField(
        _("signed by"), max_length=50, blank=True, editable=False, help_text=_("The guardian who signed the form.")
    )
    paper_form = models.FileField(
        _("scan of the signed form"),
        upload_to=paper_form_path,
        blank=True,
        editable=False,
        validators=[FileValidator()],
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    revoke_reason = models.CharField(_("withdrawn because"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["school", "fee_item", "student__student_number"]
        permissions = [
            ("give_consent", "Can give or decline consent for a voluntary fee"),
            ("revoke_consent", "Can withdraw a given consent"),
            ("remind_consent", "Can remind guardians of pending consents"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "fee_item", "student"],
                name="finance_consent_unique_student",
                violation_error_message=_("This student already has a consent for this fee item."),
            )
        ]
        indexes = [
            models.Index(fields=["school", "fee_item", "status"], name="finance_consent_item_status"),
            models.Index(fields=["school", "student"], name="finance_consent_school_student"),
        ]

    def __str__(self):
        return (
            f"{self.student} · {self.fee_item.name}"
            if self._state.fields_cache.get("fee_item")
            else str(self.student_id)
        )

    def get_absolute_url(self):
        return reverse("finance:consent_detail", args=[self.pk])

    @staticmethod
    def paid_charges():
        """The consent's charge (``OuterRef``: fee item and student) when money paid on it is kept
        (paid, not reversed, minus approved refunds, above zero)."""
        from ..money import with_balances

        charges = with_balances(
            apps.get_model("finance", "Charge").objects.filter(
                fee_item=OuterRef("fee_item"), student=OuterRef("student"), settlement__isnull=True
            )
        )
        return charges.filter(paid__gt=F("refunded"))

    #: what each row rule reads besides the rows (``logistics.tenancy.versions``)
    scope_watch = {
        "children": ("people.guardianlink",),
        "children_unpaid": ("people.guardianlink", "finance.charge", "finance.payment", "finance.refund"),
        "unpaid": ("finance.charge", "finance.payment", "finance.refund"),
        "own_class": ("people.student", "people.schoolclass"),
    }

    @classmethod
    def scope_q(cls, scope, user):
        children = Q(student__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
        if scope == "children":
            return children
        # "withdraw consent" is granted only while nothing is paid on the item's charge (the rule of
        # :func:`finance.money.on_consent_revoked`), so a page never offers a step that would be refused
        if scope == "children_unpaid":
            return children & ~Q(Exists(cls.paid_charges()))
        if scope == "unpaid":
            return ~Q(Exists(cls.paid_charges()))
        if scope == "own_class":
            return Q(student__school_class__head_teacher=user)
        return super().scope_q(scope, user)

    @step(
        status,
        source=[S.PENDING, S.DECLINED, S.REVOKED],
        target=S.GIVEN,
        permission="give",
        label=pgettext_lazy("consent step", "Agree"),
        description=(
            "The guardian agrees online; or the class teacher records the signed paper form "
            "(the guardian's name and the scan are required then)."
        ),
        form="finance.forms.GiveConsentForm",
        serializer="finance.api.serializers.GiveConsentSerializer",
        service="finance.steps.give_consent",
        event="consent.given",
        order=10,
        primary=True,
    )
    def give(self):
        pass

    @step(
        status,
        source=[S.PENDING],
        target=S.DECLINED,
        permission="give",
        label=pgettext_lazy("consent step", "Decline"),
        description="The guardian declines (or the class teacher records the paper form saying so).",
        form="finance.forms.GiveConsentForm",
        serializer="finance.api.serializers.GiveConsentSerializer",
        service="finance.steps.decline_consent",
        event="consent.declined",
        order=20,
    )
    def decline(self):
        pass

    @step(
        status,
        source=[S.GIVEN],
        target=S.REVOKED,
        permission="revoke",
        label=pgettext_lazy("consent step", "Withdraw consent"),
        description=(
            "The guardian withdraws the consent while nothing is paid on the fee (the unpaid charge is "
            "waived in full). Not offered once it is paid: money back is a refund, asked for at the "
            "finance office and approved by the principal or logistics head."
        ),
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.steps.revoke_consent",
        event="consent.revoked",
        reason=True,
        danger=True,
        order=30,
    )
    def revoke(self):
        pass
