"""Where a corrective action comes from (its *origin*): registered by the apps that open them.

An app declares its origins in its ``AppConfig.ready()`` (never at import)::

    from logistics.corrective import registry as corrective
    corrective.register(corrective.Origin("canteen.hygiene", _("Hygiene self-inspection")))

``manual=True`` offers the origin on the generic "new corrective action" page and API (a hazard
anyone on staff reports); the others are opened only by the app's own services through
:func:`logistics.corrective.services.open_action`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    code: str  # "<app label>.<kind>", e.g. "safety.patrol"
    label: object
    manual: bool = False


_origins = {}


def register(origin):
    """Declare an origin (in ``AppConfig.ready()``); the same code twice keeps the first."""
    if "." not in origin.code:
        raise ValueError("An origin code is '<app label>.<kind>'.")
    _origins.setdefault(origin.code, origin)
    return origin


def get(code):
    return _origins.get(code)


def origins():
    return list(_origins.values())


def choices(manual_only=False):
    """[(code, label)] of the registered origins (those offered by hand with ``manual_only``)."""
    return [(o.code, o.label) for o in _origins.values() if o.manual or not manual_only]


def label(code):
    """The origin's label; an origin no installed app declares any more reads "Other"."""
    origin = _origins.get(code)
    if origin is not None:
        return str(origin.label)
    from django.utils.translation import pgettext

    return pgettext("corrective origin", "Other")
