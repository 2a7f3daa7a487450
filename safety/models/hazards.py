"""Safety hazards (安全隐患): the platform's corrective actions opened by the safety app, and the
repair tickets a hazard opened."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.corrective.models import CorrectiveAction
from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.querysets import RestrictedManager

__all__ = ["HAZARD_ORIGINS", "Hazard", "HazardTicket"]

#: the origins of the safety app (declared in SafetyConfig.ready())
HAZARD_ORIGINS = ("safety.hazard", "safety.patrol", "safety.inspection", "safety.drill")


class HazardManager(RestrictedManager):
    def get_queryset(self):
        return super().get_queryset().filter(origin__in=HAZARD_ORIGINS)


class Hazard(CorrectiveAction):
    """A safety hazard (安全隐患) found by a patrol, an inspection or anyone on staff — the platform's
    corrective action (``logistics.corrective``) with the safety app's origins, register and pages.

    Closed loop (中小学幼儿园安全管理办法 art. 31; DOMAIN.md § Safety): found → assigned → rectified →
    verified by someone else → closed (销号); a major hazard is flagged to the district (挂牌督办) with
    measures, responsible person, funding, deadline and contingency plan."""

    objects = HazardManager()

    class Meta:
        proxy = True
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-id"]
        permissions = [
            ("assign_hazard", "Can assign hazards"),
            ("rectify_hazard", "Can record the rectification of hazards"),
            ("verify_hazard", "Can verify, send back and close hazards"),
        ]

    def get_absolute_url(self):
        return reverse("safety:hazard_detail", args=[self.pk])


class HazardTicket(PrimaryModel):
    """A repair ticket opened from a hazard (through the repairs app's service); its state is shown on
    the hazard."""

    hazard = models.ForeignKey(
        "corrective.CorrectiveAction", on_delete=models.PROTECT, related_name="+", verbose_name=_("hazard")
    )
    ticket = models.ForeignKey(
        "repairs.Ticket", on_delete=models.PROTECT, related_name="+", verbose_name=_("repair ticket")
    )

    class Meta:
        verbose_name = _("repair ticket of a hazard")
        verbose_name_plural = _("repair tickets of hazards")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["school", "hazard"], name="safety_hazardticket_hazard")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "ticket"],
                name="safety_hazardticket_unique",
                violation_error_message=_("This repair ticket is already linked to a hazard."),
            )
        ]

    def __str__(self):
        return str(self.ticket)
