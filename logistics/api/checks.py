"""``manage.py check`` fails on an API action without a declared permission (fail closed)."""

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver


def _callbacks(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def undeclared_actions():
    """[(viewset, action name)] of custom actions of restricted viewsets that declare no permission."""
    from .viewsets import RestrictedViewSetMixin

    missing, seen = [], set()
    for callback in _callbacks(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is None or not issubclass(cls, RestrictedViewSetMixin) or cls in seen:
            continue
        seen.add(cls)
        for extra in cls.get_extra_actions():
            if getattr(extra, "_houqin_step", None) is not None:
                continue
            declared = extra.kwargs.get("permission_action")
            methods = {m.upper() for m in extra.mapping}
            if not declared or (isinstance(declared, dict) and not methods <= set(declared)):
                missing.append((cls, extra.__name__))
    return missing


@checks.register(checks.Tags.security)
def check_action_permissions(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"API action {cls.__module__}.{cls.__name__}.{name} declares no permission.",
            hint='Add permission_action="<action>" (or {"GET": "view", "POST": "<action>"}) to its @action.',
            id="api.E001",
        )
        for cls, name in undeclared_actions()
    ]
