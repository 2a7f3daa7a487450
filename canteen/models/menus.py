"""Weekly menus (每周食谱): days × meals × dishes with their main ingredients, published to parents a week
ahead (菜谱提前一周公布, provincial 配餐指南). A published week is never edited in place: a change is a new
version (``revise``), and publishing it supersedes the old one with a note of what changed."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import Meal, MenuStatus

__all__ = ["MenuItem", "WeeklyMenu"]


class WeeklyMenu(PrimaryModel):
    """One week's menu of one canteen, in versions: draft → published → (superseded by the next version)."""

    read_only_states = (MenuStatus.PUBLISHED, MenuStatus.SUPERSEDED)

    week_start = models.DateField(_("week starting"), help_text=_("The Monday of the week."))
    canteen = models.CharField(_("canteen"), max_length=50, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("previous version"),
    )
    status = FSMField(_("status"), max_length=20, choices=MenuStatus.choices, default=MenuStatus.DRAFT, editable=False)
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
    published_late = models.BooleanField(_("published late"), default=False, editable=False)
    changes = models.TextField(_("what changed"), blank=True, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("weekly menu")
        verbose_name_plural = _("weekly menus")
        ordering = ["-week_start", "canteen", "-version"]
        indexes = [models.Index(fields=["school", "-week_start", "status"], name="canteen_menu_school_week")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "week_start", "canteen", "version"],
                name="canteen_menu_unique_version",
                violation_error_message=_("This week's menu already has this version."),
            )
        ]
        permissions = [("publish_weeklymenu", "Can publish weekly menus and start a new version")]

    def __str__(self):
        text = _("Menu of the week of %(day)s") % {"day": self.week_start.strftime("%Y-%m-%d")}
        if self.canteen:
            text = f"{text} · {self.canteen}"
        return f"{text} (v{self.version})" if self.version > 1 else str(text)

    def get_absolute_url(self):
        return reverse("canteen:weeklymenu_detail", args=[self.pk])

    @property
    def days(self):
        return [self.week_start + datetime.timedelta(days=n) for n in range(7)]

    @step(
        status,
        source=[MenuStatus.DRAFT],
        target=MenuStatus.PUBLISHED,
        permission="publish",
        label=pgettext_lazy("weekly menu step", "Publish"),
        description="Publish the draft to parents; the week's earlier published version is superseded and the "
        "page says what changed.",
        service="canteen.menus.publish",
        event="weeklymenu.published",
        confirm=pgettext_lazy("weekly menu step", "Parents will see this menu; it cannot be edited afterwards."),
        done_message=pgettext_lazy("weekly menu step", "Menu published."),
        order=10,
        primary=True,
    )
    def publish(self):
        pass

    @step(
        status,
        source=[MenuStatus.PUBLISHED],
        permission="publish",
        label=pgettext_lazy("weekly menu step", "Change (new version)"),
        description="Start a new draft version of a published week (the published one stays until the new "
        "version is published). Returns the new draft.",
        service="canteen.menus.revise",
        response="canteen.api.serializers.WeeklyMenuSerializer",
        event="weeklymenu.revised",
        order=20,
    )
    def revise(self):
        pass

    @step(
        status,
        source=[MenuStatus.PUBLISHED],
        target=MenuStatus.SUPERSEDED,
        permission="publish",
        label=pgettext_lazy("weekly menu step", "Supersede"),
        description="Taken when the next version of the week is published.",
        event="weeklymenu.superseded",
        hidden=True,
        api=False,
        order=30,
    )
    def supersede(self):
        pass


class MenuItem(PrimaryModel):
    """A dish of a weekly menu: day, meal, dish and its main ingredients."""

    menu = models.ForeignKey(WeeklyMenu, on_delete=models.CASCADE, related_name="items", verbose_name=_("weekly menu"))
    day = models.DateField(_("day"))
    meal = models.CharField(pgettext_lazy("canteen", "meal"), max_length=20, choices=Meal.choices)
    dish = models.CharField(_("dish"), max_length=100)
    main_ingredients = models.CharField(_("main ingredients"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("menu dish")
        verbose_name_plural = _("menu dishes")
        ordering = ["menu", "day", "meal", "position", "pk"]
        indexes = [models.Index(fields=["school", "menu", "day"], name="canteen_menuitem_school_menu")]

    def __str__(self):
        return self.dish

    def get_absolute_url(self):
        return self.menu.get_absolute_url()
