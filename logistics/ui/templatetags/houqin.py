"""Template helpers available in every template (a builtin): querystring edits, form fields."""

from django import forms, template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **kwargs):
    """The current query string with ``kwargs`` replaced (``None`` removes a key)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def sort_link(request, column, current):
    if not column.orderable:
        return column.label
    name = column.name
    if current == name:
        target, arrow = f"-{name}", " ▲"
    elif current == f"-{name}":
        target, arrow = name, " ▼"
    else:
        target, arrow = name, ""
    params = request.GET.copy()
    params["sort"] = target
    params.pop("page", None)
    return format_html(
        '<a href="?{}" class="link-body-emphasis text-decoration-none">{}{}</a>',
        params.urlencode(),
        column.label,
        arrow,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
