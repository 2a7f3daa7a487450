import datetime
import functools
from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.people.models import Student
from logistics.tenancy.models import School
from logistics.ui.views import keep_rendered, kept_page_key

from . import district as comparison
from . import figures, needs
from . import metrics as registry
from .periods import PeriodForm
from .registry import widgets


class HomeView(LoginRequiredMixin, TemplateView):
    """The start page: the principal's dashboard (widgets the user may see in the current school);
    parents see their children; everyone sees their menu."""

    template_name = "dashboard/home.html"

    def get(self, request, *args, **kwargs):
        """The page is kept whole as long as its lists of what waits (``DASHBOARD_NEEDS_SECONDS``), under
        the school's version of them (``needs.bump`` on every change of what waits: an approval given
        elsewhere leaves the page at once); it says when its figures were computed. ``?fresh=1`` is never
        kept."""
        school, seconds = request.school, needs.needs_seconds()
        key = None
        if school and seconds and request.GET.get("fresh") != "1":
            key = kept_page_key(self, school.pk, needs.school_version(school.pk))
        if key:
            content = cache.get(key)
            if content is not None:
                return HttpResponse(content)
        response = super().get(request, *args, **kwargs)
        return keep_rendered(response, key, seconds) if key else response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, school = self.request.user, self.request.school
        fresh = self.request.GET.get("fresh") == "1"
        context["panels"], context["panels_at"] = (
            today_panels(self.request, school, user, fresh) if school else ([], None)
        )
        context["needs"], context["needs_at"] = (
            needs.waiting_for(school, user, fresh=fresh, with_time=True) if school else ([], None)
        )
        context["overdue"] = needs.overdue_counts(school, user, fresh=fresh) if school else []
        context.update(area_cards(school, user, fresh=fresh) if school else {"cards": []})
        context["children"] = (
            Student.objects.restrict(user, "view").filter(guardian_links__guardian=user).select_related("school_class")
            if school
            else []
        )
        context["is_district"] = permissions.has_perm(user, "dashboard.view_district_dashboard")
        # everyone without the school's dashboard keeps the quick links beside their own panels
        context["show_links"] = not (school and permissions.has_perm(user, "dashboard.view_school_dashboard", school))
        context["title"] = _("Home")
        return context


def today_panels(request, school, user, fresh=False):
    """The widgets' panels ("today") the user may see in the school, rendered, and when: each panel is
    kept ``DASHBOARD_NEEDS_SECONDS`` (two minutes, like the lists of what waits: a worker's jobs, today's
    samples) per widget, school, user and language (a widget's figures may be the user's own, e.g. their
    unread notifications; no panel holds a form or a token), all read in one cache call; ``fresh`` renders
    them again. The page says when they were computed."""
    seconds = needs.needs_seconds()
    shown = [
        w
        for w in widgets()
        if (needs.sees_all(user, w.perm, school) if w.whole_school else permissions.has_perm(user, w.perm, school))
    ]
    language = translation.get_language() or ""
    keys = {w.code: f"dashboard:panel:{w.code}:{school.pk}:{user.pk}:{language}" for w in shown}
    found = cache.get_many(list(keys.values())) if seconds and not fresh else {}
    panels, kept, oldest = [], {}, None
    for widget in shown:
        entry = found.get(keys[widget.code])
        if entry is None:
            html = render_to_string(
                widget.template, {"widget": widget, **widget.context(school, user)}, request=request
            )
            entry = (html, timezone.now())
            kept[keys[widget.code]] = entry
        panels.append(entry[0])
        oldest = entry[1] if oldest is None else min(oldest, entry[1])
    if seconds and kept:
        cache.set_many(kept, seconds)
    return panels, oldest


ARROW_UP, ARROW_DOWN = "↑", "↓"


def area_cards(school, user, fresh=False):
    """The principal's area cards: each figure now, against last month, with a six-month chart of the
    area's first trend figure; from :mod:`.figures` (kept ``DASHBOARD_FIGURES_SECONDS``)."""
    if not permissions.has_perm(user, "dashboard.view_school_dashboard", school):
        return {"cards": []}
    visible = [a for a in registry.areas() if permissions.has_perm(user, a.perm, school)]
    if not visible:
        return {"cards": []}
    series, computed_at, months = figures.school_series(school.pk, [a.code for a in visible], fresh=fresh)
    start, end = months[-1]
    previous_start, previous_end = months[-2]
    cards = []
    for area in visible:
        rows, chart = [], None
        for metric in registry.metrics(area=area.code):
            if metric.perm and not permissions.has_perm(user, metric.perm, school):
                continue  # a figure with its own permission (the budgets) shown to its holders only
            data = series.get(metric.code)
            if metric.trend:
                values = data or [None] * len(months)
                now, before = values[-1], values[-2]
                row = {
                    "label": metric.label,
                    "text": metric.display(now),
                    "url": metric.url(school, start, end),
                    "before": metric.display(before) if before is not None else "",
                    "before_url": metric.url(school, previous_start, previous_end),
                    "missing": now is None,
                }
                a, b = metric.number(now), metric.number(before)
                # a count of a month not yet over is not compared with a whole month (no arrow)
                comparable = metric.kind in (registry.RATE, registry.HOURS) or end <= timezone.localdate()
                if comparable and a is not None and b is not None and a != b:
                    row["arrow"] = ARROW_UP if a > b else ARROW_DOWN
                    row["good"] = (a < b) if metric.lower_is_better else (a > b)
                if chart is None and any(v is not None for v in values):
                    chart = _chart(f"chart-{area.code}", metric, values, months)
            else:
                row = {
                    "label": metric.label,
                    "text": metric.display(data),
                    "url": metric.url(school, start, end),
                    "missing": data is None,
                    "now": True,
                }
            rows.append(row)
        cards.append({"area": area, "rows": rows, "chart": chart})
    return {"cards": cards, "computed_at": computed_at, "month_start": start}


def _chart(chart_id, metric, values, months):
    numbers = [metric.number(v) for v in values]
    if metric.kind == registry.RATE:
        numbers = [None if n is None else round(n * 100, 1) for n in numbers]
    config = {
        "type": "line",
        "data": {
            "labels": [pgettext("chart month", "%(month)s") % {"month": s.month} for s, _e in months],
            "datasets": [
                {
                    "label": str(metric.label),
                    "data": numbers,
                    "borderColor": "#0d6efd",
                    "backgroundColor": "rgba(13,110,253,.15)",
                    "fill": True,
                    "tension": 0.3,
                    "spanGaps": True,
                    "pointRadius": 2,
                }
            ],
        },
        "options": {
            "maintainAspectRatio": False,
            "animation": False,
            "plugins": {"legend": {"display": False}},
            "scales": {"y": {"beginAtZero": True, "ticks": {"maxTicksLimit": 4}}, "x": {"grid": {"display": False}}},
        },
    }
    return {"id": chart_id, "config": config, "label": metric.label}


def _number(value):
    """A widget's figure as a number ("1,234" → 1234), or None when it is not a count or an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).replace(",", "").strip()
    try:
        return Decimal(text) if text and text[0] in "-0123456789" and "%" not in text else None
    except ArithmeticError:
        return None


def district_totals(rows, summed):
    """The district's total of each summed column whose every school value is a number ("" where not)."""
    totals = []
    for index, add_up in enumerate(summed):
        numbers = [_number(values[index]) for _school, values in rows]
        if add_up and all(n is not None for n in numbers):
            total = sum(numbers, Decimal(0))
            totals.append(f"{total:,.0f}" if total == total.to_integral_value() else f"{total:,.2f}")
        else:
            totals.append("")
    return totals


class DistrictDashboardView(LoginRequiredMixin, TemplateView):
    """Schools side by side for a district officer over a chosen period (month, term, school year or a
    custom range): the compliance figures per area with the district's total and median, sortable and
    exportable (``?export=xlsx``); the major hazards under supervision; and the widgets' figures of today.
    Queries do not grow with the number of schools."""

    template_name = "dashboard/district.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        if not permissions.has_perm(user, "dashboard.view_district_dashboard"):
            raise PermissionDenied
        schools = list(
            School.objects.restrict(user, "view").select_related("district").order_by("district__name", "name")
        )
        allowed = comparison.schools_with(user, "dashboard.view_district_dashboard", schools)
        self.schools = [s for s in schools if s.pk in allowed]
        key = self.kept_key()
        if key:
            content = cache.get(key)
            if content is not None:
                return HttpResponse(content)
        response = self.render_page(request, *args, **kwargs)
        return keep_rendered(response, key, figures.cache_seconds()) if key else response

    def kept_key(self):
        """The page is kept whole as long as its figures (``figures.cache_seconds()``), under every shown
        school's version of what waits (``needs.bump``: a hazard put under supervision or closed leaves the
        page at once) — one cache read for all of them; the page says when its figures were computed. An
        export and ``?fresh=1`` are never kept."""
        request = self.request
        if request.GET.get("fresh") == "1" or request.GET.get("export") or not figures.cache_seconds():
            return None
        ids = [s.pk for s in self.schools]
        versions = cache.get_many([needs._version_key(pk) for pk in ids])
        stamp = figures.digest_of(ids, [versions.get(needs._version_key(pk), 0) for pk in ids])
        return kept_page_key(self, stamp)

    def render_page(self, request, *args, **kwargs):
        user = request.user
        self.form = PeriodForm(request.GET or None)
        self.start, self.end, self.label = self.form.period()
        self.data = comparison.comparison(
            user,
            self.schools,
            self.start,
            self.end,
            sort=request.GET.get("sort", ""),
            fresh=request.GET.get("fresh") == "1",
        )
        if request.GET.get("export") == "xlsx":
            return comparison.xlsx(self.data, self.label)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        allowed = self.schools
        columns, summed = [], []
        for widget in widgets():
            if not widget.district_columns:
                continue
            for key, label in widget.district_columns:
                columns.append((f"{widget.code}.{key}", label))
                # a widget names the columns that must not be added up (a rate, an average…)
                summed.append(key not in getattr(widget, "district_not_summed", ()))
        values, now_at = figures.district_now(allowed, fresh=self.request.GET.get("fresh") == "1")

        @functools.cache
        def rows():
            # built only when the kept rendering of the table is missing (the template calls it)
            return [(s, [values.get(s.pk, {}).get(key, "") for key, _label in columns]) for s in allowed]

        def totals():
            return district_totals(rows(), summed) if len(allowed) > 1 else None

        names = {s.pk: s for s in allowed}
        lists = []
        for listing in registry.listings():
            held = comparison.schools_with(user, listing.perm, allowed)
            ids = [s.pk for s in allowed if s.pk in held]
            if ids:
                found = [{**row, "school": names[row["school_id"]]} for row in listing.rows(ids)]
                lists.append({"listing": listing, "rows": found})
        context.update(
            {
                "columns": columns,
                "rows": rows,
                "totals": totals,
                "comparison": self.data,
                "lists": lists,
                "now_at": now_at,
                # the two tables' rows are rendered once per computation of their figures and kept as long
                "now_key": figures.digest_of(sorted(values), [k for k, _l in columns], now_at, [s.pk for s in allowed]),
                "fragment_seconds": figures.cache_seconds(),
                "form": self.form,
                "period_label": self.label,
                "period_start": self.start,
                "period_last": self.end - datetime.timedelta(days=1),
                "title": _("District dashboard"),
            }
        )
        return context
