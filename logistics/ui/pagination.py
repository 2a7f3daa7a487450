"""Pagination whose cost does not grow with the table: ids first, and the row count is capped.

``COUNT(*)`` over a million tickets costs more than the page itself; lists count at most
``HOUQIN_LIST_COUNT_CAP`` (+1) rows with ``SELECT COUNT(*) FROM (… LIMIT cap+1)`` and say
"10,000+" past it. Pages beyond the cap are still reachable by ``page=`` (OFFSET).

Ids first (``ids_of``): the paginator counts and slices the list as primary keys only — no joins, no
select_related or prefetch — so the count and the page's ids come from an index when the list's
index ends with its ordering; only the page's rows are then read, by id (``fetch_page``, or
``logistics.api.rows.ValuesRows.fetch`` for API rows). A deep page never joins the skipped rows.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


def ids_of(queryset):
    """The (filtered, ordered) queryset as primary keys only: what the paginator counts and slices."""
    return queryset.prefetch_related(None).select_related(None).values_list("pk", flat=True)


def fetch_page(queryset, ids):
    """The objects of ``queryset`` (with its select_related / prefetch) whose pks are ``ids``, in
    the order of ``ids``: one query (plus the queryset's prefetches) for a page."""
    ids = list(ids)
    if not ids:
        return []
    by_pk = {obj.pk: obj for obj in queryset.filter(pk__in=ids).order_by()}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def capped_count(queryset, cap=None):
    """(count, exact): the number of rows, or (cap, False) when there are more."""
    cap = cap or settings.HOUQIN_LIST_COUNT_CAP
    count = queryset.order_by()[: cap + 1].count()
    if count > cap:
        return cap, False
    return count, True


class CappedPage(Page):
    """A page whose ``has_next`` is known without an exact count (one extra row was read)."""

    def __init__(self, object_list, number, paginator, more=None):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self):
        if self._more is not None:
            return self._more
        return super().has_next()


class CappedPaginator(Paginator):
    #: deepest row reachable by OFFSET (bounds the cost of ?page=99999999)
    max_offset = 1_000_000

    def __init__(self, object_list, per_page, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or settings.HOUQIN_LIST_COUNT_CAP
        self.count_exact = True

    @cached_property
    def count(self):
        if hasattr(self.object_list, "order_by"):
            count, self.count_exact = capped_count(self.object_list, self.cap)
            return count
        return len(self.object_list)

    def validate_number(self, number):
        """Lenient: a bad number reads as page 1; past the last page of an exact count, the last page.

        Past a capped count, pages stay reachable up to ``max_offset`` rows; deeper is ``EmptyPage``.
        """
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        number = max(number, 1)
        count = self.count  # sets count_exact
        if self.count_exact:
            return min(number, max(self.num_pages, 1)) if count else 1
        if (number - 1) * self.per_page > self.max_offset:
            raise EmptyPage(_("That page is too deep; narrow the list with filters."))
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count_exact:
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(self.object_list[bottom:top], number, self)
        rows = list(self.object_list[bottom : top + 1])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)
