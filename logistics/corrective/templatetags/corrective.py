"""``{% corrective_actions obj %}``: the corrective actions opened from ``obj`` (a failed inspection
item, a cold-chain episode, a patrol scan…) with their status, for the source's own page."""

from django import template

from ..choices import STATUS_COLOURS
from ..services import actions_for

register = template.Library()


@register.inclusion_tag("corrective/_actions_for.html", takes_context=True)
def corrective_actions(context, source, title=""):
    request = context.get("request")
    actions = actions_for(source, getattr(request, "user", None))
    return {"actions": actions, "title": title, "colours": STATUS_COLOURS}


@register.filter
def corrective_colour(status):
    return STATUS_COLOURS.get(status, "secondary")
