"""Base FilterSet: one per model, used by the HTML list and the API alike."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from logistics.accounts import permissions


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q`` (text search over ``search_fields``) and restricts choice filters to what the
    requesting user may see in the current school."""

    search_fields: tuple = ()
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        # the API lists every school the user may see (no current school: not even looked up)
        in_api = getattr(request, "is_api", False)
        school = getattr(request, "school", None) if request is not None and not in_api else None
        in_page = bool(school)
        for filter_ in self.filters.values():
            # django-filter builds the form field from ``filter.queryset``: restrict that.
            queryset_ = getattr(filter_, "queryset", None)
            if queryset_ is None:
                queryset_ = filter_.extra.get("queryset")
            if queryset_ is None or user is None or callable(queryset_):
                continue
            if hasattr(queryset_, "restrict"):
                restricted = queryset_.restrict(user, "view")
                if in_page:
                    restricted = restricted.in_school(school)
            elif queryset_.model is get_user_model():
                restricted = permissions.people_of(queryset_, school if in_page else None, user, staff_only=True)
            else:
                continue
            filter_.queryset = restricted
            filter_.extra["queryset"] = restricted
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)
