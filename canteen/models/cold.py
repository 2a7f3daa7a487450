"""Cold chain (冷链温度): the sample fridge and cold stores, their readings (twice a day) and the episodes
of readings out of range.

Rule (GB 31654-2021 餐饮服务通用卫生规范: 冷藏 0–8 °C; rules ``canteen.cold_min_celsius`` /
``canteen.cold_max_celsius``): a run of readings out of range is **one** episode (first and last reading,
lowest and highest value) with one corrective action through the platform's closed loop
(``logistics.corrective``) — not one alert per reading. A reading back in range ends the episode.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from .tamper import LateEntryMixin

__all__ = ["ColdEpisode", "ColdReading", "ColdStore"]


class ColdStore(PrimaryModel):
    """A fridge or cold store whose temperature is logged (留样冰箱, 冷藏库)."""

    name = models.CharField(_("name"), max_length=50)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cold store")
        verbose_name_plural = _("cold stores")
        ordering = ["school", "name"]
        indexes = [models.Index(fields=["school", "name"], name="canteen_coldstore_school")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="canteen_coldstore_unique_name",
                violation_error_message=_("A cold store of this name already exists in this school."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("canteen:coldreading_list") + f"?store={self.pk}"


class ColdEpisode(PrimaryModel):
    """A run of out-of-range readings of one store: first/last reading, min/max; open until a reading
    is back in range."""

    store = models.ForeignKey(
        ColdStore, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("cold store")
    )
    first_at = models.DateTimeField(_("first reading"))
    last_at = models.DateTimeField(_("last reading"))
    lowest = models.DecimalField(_("lowest (°C)"), max_digits=4, decimal_places=1)
    highest = models.DecimalField(_("highest (°C)"), max_digits=4, decimal_places=1)
    readings = models.PositiveIntegerField(_("readings out of range"), default=1)
    ended_at = models.DateTimeField(_("back in range at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cold-chain episode")
        verbose_name_plural = _("cold-chain episodes")
        ordering = ["-first_at", "-id"]
        indexes = [models.Index(fields=["school", "store", "-first_at"], name="canteen_episode_school_store")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "store"],
                condition=Q(ended_at__isnull=True),
                name="canteen_episode_one_open_per_store",
                violation_error_message=_("This store already has an open episode."),
            )
        ]

    def __str__(self):
        return f"{self.store} {timezone.localtime(self.first_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("canteen:coldepisode_list")


class ColdReading(LateEntryMixin, PrimaryModel):
    """One temperature reading of a store; ``in_range`` against the Rule range, the episode it belongs to."""

    store = models.ForeignKey(
        ColdStore, on_delete=models.PROTECT, related_name="readings", verbose_name=_("cold store")
    )
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    celsius = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    in_range = models.BooleanField(_("within the rules"), default=True, editable=False)
    episode = models.ForeignKey(
        ColdEpisode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("cold-chain episode"),
    )

    class Meta:
        verbose_name = _("cold-chain reading")
        verbose_name_plural = _("cold-chain readings")
        ordering = ["-taken_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-taken_at", "-id"], name="canteen_reading_school_at"),
            models.Index(fields=["school", "store", "-taken_at"], name="canteen_reading_school_store"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(celsius__gte=-40, celsius__lte=60),
                name="canteen_reading_plausible",
                violation_error_message=_("Enter a temperature between -40 and 60 °C."),
            )
        ]
        permissions = [("correct_coldreading", "Can correct a cold-chain reading's typo, with a reason")]

    def __str__(self):
        return f"{self.store} {self.celsius} °C"

    def entry_event_at(self):
        return self.taken_at

    def get_absolute_url(self):
        return reverse("canteen:coldreading_list")
