"""The staff income/expense statement (经费收支情况通报): twice a term the school tells its teachers what
came in and what went out ("一学期两次向教师通报经费收支情况"), generated from the records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import FROZEN_STATEMENT_STATUSES, StatementStatus

S = StatementStatus

__all__ = ["StaffStatement"]


class StaffStatement(PrimaryModel):
    """One version of the income/expense statement of a half term, shown to every staff member of the
    school once published: fee income by item, refunds, expenses by category against the year's budget.
    The figures are computed from the records and frozen when the draft is submitted; the principal
    reviews and publishes it. Published, it is never changed (the database refuses it): a correction is
    a new version of the same period that supersedes it."""

    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. 2026年秋季学期上半学期经费收支情况"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Explanations for the staff; for a correction: what was wrong.")
    )
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.DRAFTED, editable=False)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="superseded_by",
        verbose_name=_("corrects"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("published by"),
    )  # fmt: skip
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True, editable=False)
    return_reason = models.CharField(_("returned because"), max_length=300, blank=True, editable=False)

    read_only_states = FROZEN_STATEMENT_STATUSES

    class Meta:
        verbose_name = _("staff income and expense statement")
        verbose_name_plural = _("staff income and expense statements")
        ordering = ["school", "-period_end", "-version"]
        permissions = [
            ("submit_staffstatement", "Can submit a staff statement for review"),
            ("publish_staffstatement", "Can review and publish a staff statement (the principal)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "period_start", "period_end", "version"],
                name="finance_statement_unique_version",
                violation_error_message=_("This version of the statement for this period already exists."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="finance_statement_period_order",
                violation_error_message=_("The period must end on or after its first day."),
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "period_end"], name="finance_statement_school_st")]

    def __str__(self):
        if self.version > 1:
            return str(_("%(title)s (correction %(n)s)") % {"title": self.title, "n": self.version - 1})
        return self.title

    def get_absolute_url(self):
        return reverse("finance:staffstatement_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "published":
            return Q(status=S.PUBLISHED) | Q(status=S.SUPERSEDED)
        return super().scope_q(scope, user)

    @step(
        status,
        source=[S.DRAFTED],
        target=None,
        permission="submit",
        label=pgettext_lazy("statement step", "Recompute the figures"),
        description="Recomputes the draft's figures from the records.",
        service="finance.statements.refresh",
        event="statement.refreshed",
        order=5,
    )
    def refresh(self):
        pass

    @step(
        status,
        source=S.DRAFTED,
        target=S.SUBMITTED,
        permission="submit",
        label=pgettext_lazy("statement step", "Submit for review"),
        description="Freezes the figures (computed again now) and asks the principal to review them.",
        service="finance.statements.submit",
        event="statement.submitted",
        order=10,
        primary=True,
    )
    def submit(self):
        pass

    @step(
        status,
        source=S.SUBMITTED,
        target=S.DRAFTED,
        permission="publish",
        label=pgettext_lazy("statement step", "Return for changes"),
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.statements.return_for_changes",
        url_name="return",  # the API path never says "change" (no write endpoints of change records)
        event="statement.returned",
        reason=True,
        order=20,
    )
    def return_for_changes(self):
        pass

    @step(
        status,
        source=S.SUBMITTED,
        target=S.PUBLISHED,
        permission="publish",
        label=pgettext_lazy("statement step", "Publish to staff"),
        description="Publishes the reviewed statement to every staff member; the version it corrects is superseded.",
        service="finance.statements.publish",
        event="statement.published",
        confirm=pgettext_lazy("statement step", "Once published the statement can no longer be changed."),
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
        label=pgettext_lazy("statement step", "Supersede"),
        service="finance.statements.supersede",
        event="statement.superseded",
        hidden=True,
        api=False,
        order=90,
    )
    def supersede(self):
        pass
