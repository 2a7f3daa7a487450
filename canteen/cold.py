"""Cold-chain readings: one episode per out-of-range run, with one corrective action (the platform's
closed loop, ``logistics.corrective``)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.corrective.services import open_action
from logistics.tenancy import rules

from .models import ColdEpisode, ColdReading, ColdStore
from .settings_rules import COLD_MAX_CELSIUS, COLD_MIN_CELSIUS

ORIGIN = "canteen.cold_chain"


def limits(school):
    return (Decimal(str(rules.value(school, COLD_MIN_CELSIUS))), Decimal(str(rules.value(school, COLD_MAX_CELSIUS))))


def record_reading(*, store, actor, celsius, taken_at=None):
    """Record a reading of ``store``. Out of the Rule range (0–8 °C): it joins the store's open episode or
    starts one — and the new episode opens one corrective action; back in range: the open episode ends."""
    celsius = Decimal(str(celsius))
    taken_at = taken_at or timezone.now()
    if taken_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"taken_at": _("The reading cannot be in the future.")})
    low, high = limits(store.school)
    with transaction.atomic():
        store = ColdStore.objects.select_for_update().get(pk=store.pk)
        reading = ColdReading(
            school=store.school, store=store, taken_at=taken_at, celsius=celsius, taken_by=actor, created_by=actor
        )
        try:
            reading.validate_constraints()
        except ValidationError as exc:
            raise ValidationError({"celsius": exc.messages}) from exc
        reading.in_range = low <= celsius <= high
        episode = ColdEpisode.objects.filter(store=store, ended_at__isnull=True).first()
        if reading.in_range:
            if episode is not None:
                episode.ended_at = taken_at
                episode.save()
        elif episode is None:
            episode = ColdEpisode.objects.create(
                school=store.school,
                store=store,
                first_at=taken_at,
                last_at=taken_at,
                lowest=celsius,
                highest=celsius,
                created_by=actor,
            )
            open_action(
                school=store.school,
                actor=actor,
                origin=ORIGIN,
                title=_("%(store)s out of range: %(t)s °C") % {"store": store.name, "t": celsius},
                description=_("Allowed %(low)s–%(high)s °C (GB 31654-2021); first reading %(time)s.")
                % {"low": low, "high": high, "time": timezone.localtime(taken_at).strftime("%Y-%m-%d %H:%M")},
                source=episode,
                place=store.name,
            )
            reading.episode = episode
        else:
            episode.last_at = max(episode.last_at, taken_at)
            episode.lowest, episode.highest = min(episode.lowest, celsius), max(episode.highest, celsius)
            episode.readings += 1
            episode.save()
            reading.episode = episode
        reading.save()
    return reading
