from django import template

from ..choices import STATUS_COLOURS, TRADE_COLOURS, URGENCY_COLOURS

register = template.Library()


@register.filter
def status_colour(value):
    return STATUS_COLOURS.get(value, "secondary")


@register.filter
def urgency_colour(value):
    return URGENCY_COLOURS.get(value, "secondary")


@register.filter
def trade_colour(value):
    return TRADE_COLOURS.get(value, "secondary")
