"""Safety education events and emergency drills (安全教育活动与应急疏散演练)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from ..choices import DRILL_KINDS, DrillKind

__all__ = ["SafetyEvent"]


class SafetyEvent(PrimaryModel):
    """A safety education event or drill (安全教育活动/应急演练): a fire evacuation drill (消防疏散演练), an
    earthquake drill, a traffic safety lecture (交通安全讲座), drowning prevention (防溺水), food safety…
    with who took part, how long, the organiser, photos, and the evaluation — a problem found can open a
    hazard. 公安部令第61号 art. 40: key units drill at least every six months, others at least yearly; the
    school's per-term minimum is the rule ``safety.drills_per_term``."""

    kind = models.CharField(_("kind"), max_length=20, choices=DrillKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    participants = models.PositiveIntegerField(_("participants"), help_text=_("Students and staff who took part."))
    classes = models.ManyToManyField(
        "people.SchoolClass", blank=True, related_name="+", verbose_name=_("classes taking part")
    )
    evacuation_seconds = models.PositiveIntegerField(
        _("evacuation time (seconds)"), null=True, blank=True, help_text=_("For a drill: until everyone was out.")
    )
    evaluation = models.TextField(_("evaluation"), blank=True)
    problems = models.TextField(_("problems found"), blank=True, help_text=_("One per line; each can open a hazard."))

    class Meta:
        verbose_name = _("safety education event or drill")
        verbose_name_plural = _("safety education and drills")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["school", "-held_on", "-id"], name="safety_event_held")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("safety:safetyevent_detail", args=[self.pk])

    @property
    def is_drill(self):
        return self.kind in DRILL_KINDS

    def problem_list(self):
        return [line.strip() for line in self.problems.splitlines() if line.strip()]
