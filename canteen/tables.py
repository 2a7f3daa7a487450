"""List columns of the canteen pages (and of their CSV/XLSX exports)."""

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from logistics.api.rows import row_columns
from logistics.ui.tables import Column, Table

from .choices import DELIVERY_STATUS_COLOURS, MENU_STATUS_COLOURS, SAMPLE_STATUS_COLOURS, LineDecision
from .tables_accompanied import CorrectionLinkColumn, LateEntryColumn


def _minute(value):
    """``2026-12-03 11:45`` in local time (what ``date_format(…, "Y-m-d H:i")`` gives, without its
    per-call format parsing: the samples list prints two per row)."""
    return localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _sample_url(pk):
    """The sample page's address of ``pk``: ``reverse()`` once per script prefix, then the id put in (the
    samples list links every row's reference)."""
    prefix = get_script_prefix()
    base = _SAMPLE_URLS.get(prefix)
    if base is None:
        base = _SAMPLE_URLS[prefix] = reverse("canteen:foodsample_detail", args=[0])[: -len("0/")]
    return f"{base}{int(pk)}/"


_SAMPLE_URLS = {}


@row_columns("id", "reference")
def sample_reference_html(sample):
    return format_html('<a href="{}">{}</a>', _sample_url(sample.pk), sample.reference or "—")


class HtmlColumn(Column):
    """A column whose page cell is ``html(obj)`` while its export stays the plain value."""

    def __init__(self, accessor, label, html, **kwargs):
        super().__init__(accessor, label, **kwargs)
        self._html = html

    def html(self, obj, request=None):
        return self._html(obj)


@row_columns("sampled_at")
def sampled_at(sample):
    return _minute(sample.sampled_at)


sampled_at.__name__ = "sampled_at"


@row_columns("sampled_at", "late_entry", "created")
def sampled_at_html(sample):
    if sample.late_entry:
        return format_html(
            '{} <span class="badge text-bg-warning" data-testid="late-entry" title="{}">{}</span>',
            _minute(sample.sampled_at),
            gettext("Entered %(time)s") % {"time": _minute(sample.created)},
            gettext("Late entry"),
        )
    return _minute(sample.sampled_at)


@row_columns("keep_until")
def keep_until(sample):
    return _minute(sample.keep_until)


keep_until.__name__ = "keep_until"


class FoodSampleTable(Table):
    columns = [
        HtmlColumn("reference", _("reference"), sample_reference_html, order_by="reference_number"),
        Column("date", _("date")),
        Column("meal_kind", pgettext_lazy("canteen", "meal")),
        Column("dish_name", _("dish")),
        Column("weight_grams", _("weight (g)")),
        Column("container", _("container or fridge")),
        HtmlColumn(sampled_at, _("sampled at"), sampled_at_html),
        Column("sampled_by", _("sampled by"), order_by="sampled_by__display_name"),
        Column(keep_until, _("keep until")),
        Column("status", _("status"), badge=SAMPLE_STATUS_COLOURS),
    ]
    default_order = "-sampled_at"
    #: the hot list (650,000 samples in the benchmark): the page's rows read with ``values()``
    values_rows = True
    #: the page's rendered rows kept 5 minutes per page and user, keyed by the rows' ``updated`` times
    #: (``ObjectListView.rows_cache_key``): a discarded or corrected sample is a new key at once
    cache_rows = 300


def dish_count(meal):
    return meal.dish_count


dish_count.__name__ = "dish_count"


def sample_count(meal):
    return meal.sample_count


sample_count.__name__ = "sample_count"


def sample_progress_html(meal):
    colour = "success" if meal.sample_count >= meal.dish_count else "danger"
    return format_html(
        '<span class="badge text-bg-{}" data-testid="sample-progress">{} / {}</span>',
        colour,
        meal.sample_count,
        meal.dish_count,
    )


class MealServiceTable(Table):
    columns = [
        Column("date", _("date"), link=True),
        Column("meal", pgettext_lazy("canteen", "meal")),
        Column("canteen", _("canteen")),
        Column(dish_count, _("dishes")),
        HtmlColumn(sample_count, _("samples"), sample_progress_html),
    ]
    default_order = "-date"


def licence_state_html(supplier):
    problem = supplier.licence_problem(timezone.localdate())
    if problem:
        return format_html('<span class="badge text-bg-danger" title="{}">{}</span>', problem, gettext("Not valid"))
    return format_html('<span class="badge text-bg-success">{}</span>', gettext("Valid"))


def licence_state(supplier):
    return gettext("Not valid") if supplier.licence_problem(timezone.localdate()) else gettext("Valid")


licence_state.__name__ = "licence_state"


class SupplierTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("supplies", _("what they supply")),
        Column("contact", _("contact person")),
        Column("phone", _("phone")),
        HtmlColumn(licence_state, _("licences"), licence_state_html),
        Column("active", _("active")),
    ]
    default_order = "name"


class ProductCategoryTable(Table):
    columns = [Column("name", _("name"), link=True), Column("bulk_staple", _("bulk staple"))]
    default_order = "name"


def line_summary(delivery):
    lines = list(delivery.lines.all())
    accepted = sum(1 for line in lines if line.decision == LineDecision.ACCEPTED)
    rejected = sum(1 for line in lines if line.decision == LineDecision.REJECTED)
    return gettext("%(n)s lines: %(a)s accepted, %(r)s rejected") % {"n": len(lines), "a": accepted, "r": rejected}


line_summary.__name__ = "lines"


class DeliveryTable(Table):
    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("delivered_on", _("delivery date")),
        Column("supplier", _("supplier"), order_by="supplier__name"),
        Column(line_summary, _("lines")),
        Column("status", _("status"), badge=DELIVERY_STATUS_COLOURS),
        Column("retain_until", _("keep the record until")),
        LateEntryColumn(),
    ]
    default_order = "-delivered_on"


def certificate_state_html(cert):
    if cert.valid_until < timezone.localdate():
        return format_html('<span class="badge text-bg-danger">{}</span>', gettext("Expired"))
    return format_html('<span class="badge text-bg-success">{}</span>', gettext("Valid"))


def certificate_state(cert):
    return gettext("Expired") if cert.valid_until < timezone.localdate() else gettext("Valid")


certificate_state.__name__ = "certificate_state"


class HealthCertificateTable(Table):
    columns = [
        Column("person", _("person"), order_by="person__display_name"),
        Column("number", _("number"), link=True),
        Column("issued_on", _("issued on")),
        Column("valid_until", _("valid until")),
        HtmlColumn(certificate_state, _("status"), certificate_state_html),
    ]
    default_order = "valid_until"


def duty_html(check):
    if check.on_duty:
        return format_html('<span class="badge text-bg-success">{}</span>', gettext("On duty"))
    return format_html(
        '<span class="badge text-bg-danger" data-testid="off-duty">{}</span> <small>{}</small>',
        gettext("Off duty today"),
        check.off_duty_reason,
    )


def duty(check):
    return gettext("On duty") if check.on_duty else f"{gettext('Off duty today')}: {check.off_duty_reason}"


duty.__name__ = "duty"


class MorningCheckTable(Table):
    columns = [
        Column("date", _("date"), link=True),
        Column("person", _("person"), order_by="person__display_name"),
        Column("temperature", _("body temperature (°C)")),
        HtmlColumn(duty, _("on duty"), duty_html),
        Column("checked_by", _("checked by"), order_by="checked_by__display_name"),
        LateEntryColumn(),
    ]
    default_order = "-date"


class WeeklyMenuTable(Table):
    columns = [
        Column("week_start", _("week starting"), link=True),
        Column("canteen", _("canteen")),
        Column("version", _("version")),
        Column("status", _("status"), badge=MENU_STATUS_COLOURS),
        Column(lambda m: _minute(m.published_at), _("published at"), export=True),
    ]
    default_order = "-week_start"


def disinfection_flag_html(d):
    if d.in_range:
        return format_html('<span class="badge text-bg-success">{}</span>', gettext("Within the rules"))
    return format_html(
        '<span class="badge text-bg-danger" data-testid="out-of-range">{}</span> <small>{}</small>',
        gettext("Out of range"),
        d.problems,
    )


def disinfection_flag(d):
    return gettext("Within the rules") if d.in_range else f"{gettext('Out of range')}: {d.problems}"


disinfection_flag.__name__ = "in_range"


class DisinfectionTable(Table):
    columns = [
        Column("date", _("date")),
        Column("meal", pgettext_lazy("canteen", "meal")),
        Column("method", pgettext_lazy("disinfection", "method")),
        Column("temperature", _("temperature (°C)")),
        Column("minutes", _("duration (minutes)")),
        Column("concentration", _("concentration (mg/L)")),
        Column("done_by", _("done by"), order_by="done_by__display_name"),
        HtmlColumn(disinfection_flag, _("result"), disinfection_flag_html),
        LateEntryColumn(),
        CorrectionLinkColumn("disinfection"),
    ]
    default_order = "-date"


def reading_flag_html(r):
    if r.in_range:
        return format_html('<span class="badge text-bg-success">{}</span>', gettext("Within the rules"))
    return format_html(
        '<span class="badge text-bg-danger" data-testid="out-of-range">{}</span>', gettext("Out of range")
    )


def reading_flag(r):
    return gettext("Within the rules") if r.in_range else gettext("Out of range")


reading_flag.__name__ = "in_range"


def taken_at(r):
    return _minute(r.taken_at)


taken_at.__name__ = "taken_at"


def taken_at_html(r):
    # a back-dated reading is marked 补录 once, by the late-entry column (``late_entry``, set when entered)
    return _minute(r.taken_at)


class ColdReadingTable(Table):
    columns = [
        HtmlColumn(taken_at, _("taken at"), taken_at_html),
        Column("store", _("cold store"), order_by="store__name"),
        Column("celsius", _("temperature (°C)")),
        HtmlColumn(reading_flag, _("result"), reading_flag_html),
        Column("taken_by", _("taken by"), order_by="taken_by__display_name"),
        LateEntryColumn(),
        CorrectionLinkColumn("coldreading"),
    ]
    default_order = "-taken_at"


def episode_period(e):
    end = _minute(e.ended_at) if e.ended_at else gettext("still out of range")
    return f"{_minute(e.first_at)} – {end}"


episode_period.__name__ = "period"


class ColdEpisodeTable(Table):
    columns = [
        Column("store", _("cold store"), order_by="store__name"),
        Column(episode_period, pgettext_lazy("cold-chain episode", "period")),
        Column("lowest", _("lowest (°C)")),
        Column("highest", _("highest (°C)")),
        Column("readings", _("readings out of range")),
    ]
    default_order = "-first_at"


class ColdStoreTable(Table):
    columns = [Column("name", _("name"), link=True), Column("active", _("active"))]
    default_order = "name"
