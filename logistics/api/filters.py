"""Filter backends of the API."""

from django_filters.rest_framework import DjangoFilterBackend


class LazyFilterBackend(DjangoFilterBackend):
    """django-filter's backend that builds the view's FilterSet only when the request names one of its
    filters. An unfiltered list — the most common request — skips the FilterSet's construction (its form,
    its restricted choice querysets); the result is identical, since a FilterSet bound to no filter
    values filters nothing."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(key in filterset_class.base_filters for key in request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)
