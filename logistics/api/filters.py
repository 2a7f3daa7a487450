"""Filter backends of the API."""

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend


def _named(filterset_class, params):
    """The filters of ``filterset_class`` that ``params`` name: ``status``, or a range's ``submitted_at_after``."""
    return frozenset(
        name
        for name in filterset_class.base_filters
        if any(key == name or key.startswith(name + "_") for key in params)
    )


_NARROWED = {}


def _narrowed(filterset_class, names):
    """``filterset_class`` with only the filters ``names`` (cached): a filter the request does not name
    filters nothing, so leaving it out changes no result — and spares copying, restricting and binding
    it (django-filter deep-copies every declared filter for every request)."""
    key = (filterset_class, names)
    if key not in _NARROWED:
        narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
        narrowed.base_filters = {k: v for k, v in filterset_class.base_filters.items() if k in names}
        _NARROWED[key] = narrowed
    return _NARROWED[key]


class LazyFilterBackend(DjangoFilterBackend):
    """django-filter's backend that builds the view's FilterSet only when the request names one of its
    filters, and then with only the filters it names. An unfiltered list — the most common request — skips
    the FilterSet's construction (its form, its restricted choice querysets); the result is identical,
    since a filter bound to no value filters nothing."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = _named(filterset_class, request.query_params)
        if not names:
            return queryset
        filterset = _narrowed(filterset_class, names)(**self.get_filterset_kwargs(request, queryset, view))
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs
