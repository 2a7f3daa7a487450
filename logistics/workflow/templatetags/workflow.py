"""Step panels and buttons built from the declared steps: only the steps this user may take now, in
the order the work goes.

- ``{% step_panel obj "app:model_step" %}``: a card with one folding form per step. The first step's
  form (the one the work goes to next, open) and the forms with nothing to fill in are rendered with
  the page; the others load when their fold is opened (htmx GET of the step's page, which answers an
  htmx request with the form alone) — a page used to build and render seven forms (worker and part
  choices each) of which the user opens one; without JavaScript the fold links to the step's page.
- ``{% step_buttons obj "app:model_step" %}``: buttons; steps with input or a confirmation link to
  the step's page.
"""

from django import template
from django.urls import reverse

from logistics.workflow import guard
from logistics.workflow.forms import NoInputForm

register = template.Library()


def step_items(user, obj, url_name, exclude=(), with_forms=False):
    """The steps ``user`` may take on ``obj`` now. ``with_forms``: the first step's form and every
    form without fields are built (``item["form"]``); the other items have none (loaded on opening)."""
    items = []
    for spec in guard.allowed_steps(user, obj):
        if spec.name in exclude or spec.extra.get("hidden"):
            continue
        form_class = spec.form_class or NoInputForm
        item = {
            "step": spec,
            "url": reverse(url_name, args=[obj.pk, spec.url_name]),
            "direct": not spec.confirm and not form_class.base_fields,
        }
        if with_forms and (not items or not form_class.base_fields):
            item["form"] = form_class(obj=obj, user=user, prefix=spec.name)
        items.append(item)
    return items


@register.inclusion_tag("workflow/_steps.html", takes_context=True)
def step_buttons(context, obj, url_name, exclude=""):
    user = context["request"].user
    return {
        "steps": step_items(user, obj, url_name, exclude.split(",") if exclude else ()),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("workflow/_panel.html", takes_context=True)
def step_panel(context, obj, url_name, exclude="", note=""):
    user = context["request"].user
    items = step_items(user, obj, url_name, exclude.split(",") if exclude else (), with_forms=True)
    return {"steps": items, "object": obj, "note": note, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def may_step(context, obj, name):
    """Whether the user may take step ``name`` on ``obj`` now (for inline controls such as ticks)."""
    return any(s.name == name for s in guard.allowed_steps(context["request"].user, obj, names={name}))
