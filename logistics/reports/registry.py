"""Registry of report sections (the monthly report and the term/year summary).

A section is a subclass of :class:`Section`. The platform asks each one for:

- ``build(school, start, end)`` → :class:`SectionData`: a title, detail paragraphs and the tables;
- ``figures(school, start, end)`` → a dict of the area's key numbers, or ``None`` when nothing was recorded
  (then no comparison is made with that period — a missing month is not a zero);
- ``narrative(period, figures, previous, last_year)`` → the paragraphs in the seeds' voice, written from
  ``figures`` (the same numbers as the tables) and compared with ``previous`` (the month or term before)
  and ``last_year`` (the same period a year earlier) where those are not ``None``;
- ``open_items(school, day)`` → :class:`OpenItem`\\ s still open on ``day`` (overdue hazards, unpaid damages,
  expiring certificates …), carried over into the report's "problems and next month's plan".

The same data renders to HTML (screen), PDF (WeasyPrint) and XLSX (one sheet per table).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@dataclass
class Table:
    title: str
    headers: list
    rows: list
    #: optional footer row (totals)
    footer: list | None = None


@dataclass
class SectionData:
    title: str
    paragraphs: list = field(default_factory=list)
    tables: list = field(default_factory=list)


@dataclass
class OpenItem:
    """Something still open when the report is made, carried over to next month's plan."""

    text: str
    #: when it is (or was) due; None when it has no deadline
    due: datetime.date | None = None
    #: the page of the item (a path), so the head can act on it
    url: str = ""
    #: a short word for what kind of item it is ("隐患", "赔偿" …)
    kind: str = ""
    #: the area it belongs to, when not the section's own title
    area: str = ""


@dataclass
class Period:
    """The period a report covers: [start, end), a month, a term or a year."""

    start: datetime.date
    end: datetime.date
    kind: str = "month"  # "month" | "term" | "year"

    @property
    def months(self):
        delta = relativedelta(self.end, self.start)
        return delta.years * 12 + delta.months

    @property
    def previous(self):
        """The month, term or year before (the term before an autumn term is that year's spring term)."""
        if self.kind == "term" and self.start.month in (2, 9):
            year = self.start.year
            if self.start.month == 9:
                return Period(datetime.date(year, 2, 1), datetime.date(year, 9, 1), "term")
            return Period(datetime.date(year - 1, 9, 1), datetime.date(year, 2, 1), "term")
        months = self.months or 1
        return Period(self.start - relativedelta(months=months), self.start, self.kind)

    @property
    def last_year(self):
        return Period(self.start - relativedelta(years=1), self.end - relativedelta(years=1), self.kind)

    @property
    def label(self):
        """ "2026-10" for a month, "2026-09-01 – 2027-01-31" for a term or a year."""
        if self.kind == "month":
            return self.start.strftime("%Y-%m")
        return f"{self.start:%Y-%m-%d} – {self.end - datetime.timedelta(days=1):%Y-%m-%d}"

    @property
    def word(self):
        """本月 / 本学期 / 本年度"""
        return {
            "month": pgettext("report period", "This month"),
            "term": pgettext("report period", "This term"),
        }.get(self.kind, pgettext("report period", "This year"))

    @property
    def previous_word(self):
        return {
            "month": pgettext("report comparison", "the previous month"),
            "term": pgettext("report comparison", "the previous term"),
        }.get(self.kind, pgettext("report comparison", "the previous year"))

    @property
    def last_year_word(self):
        return {
            "month": pgettext("report comparison", "the same month last year"),
            "term": pgettext("report comparison", "the same term last year"),
        }.get(self.kind, pgettext("report comparison", "the previous year"))


def _number(value):
    return format(Decimal(str(value)).normalize(), "f") if value is not None else "—"


def change(current, before, unit="", against=""):
    """ "较上月增加 12 件（+15.0%）" / "较上月减少 …" / "与上月持平"; "" when there is nothing to compare."""
    if current is None or before is None:
        return ""
    current, before = Decimal(str(current)), Decimal(str(before))
    diff = current - before
    if diff == 0:
        return _("the same as %(against)s") % {"against": against}
    pct = f"{abs(diff) * 100 / before:.1f}" if before else ""
    values = {"against": against, "diff": _number(abs(diff)), "unit": unit, "pct": pct}
    if diff > 0:
        text = _("%(diff)s%(unit)s more than %(against)s") % values
    else:
        text = _("%(diff)s%(unit)s fewer than %(against)s") % values
    if pct:
        text += pgettext("report comparison", " (%(sign)s%(pct)s%%)") % {"sign": "+" if diff > 0 else "−", "pct": pct}
    return text


def points(current, before, against=""):
    """A share's change in percentage points: "较上月提高 2.5 个百分点"; "" when there is nothing to compare."""
    if current is None or before is None:
        return ""
    diff = round((Decimal(str(current)) - Decimal(str(before))) * 100, 1)
    if diff == 0:
        return _("the same as %(against)s") % {"against": against}
    values = {"against": against, "diff": _number(abs(diff))}
    if diff > 0:
        return _("%(diff)s percentage points higher than %(against)s") % values
    return _("%(diff)s percentage points lower than %(against)s") % values


def comparisons(period, key, figures, previous, last_year, unit="", share=False):
    """The month-on-month and year-on-year phrases for one figure, joined ("较上月…，较去年同月…"); ""
    when neither period has data."""
    compare = points if share else change
    phrases = []
    for other, against in ((previous, period.previous_word), (last_year, period.last_year_word)):
        if other is None or other.get(key) is None or figures.get(key) is None:
            continue
        if share:
            phrase = compare(figures[key], other[key], against=against)
        else:
            phrase = compare(figures[key], other[key], unit=unit, against=against)
        if phrase:
            phrases.append(phrase)
    return pgettext("report comparison", ", ").join(phrases)


def paren(text):
    """ "，较上月增加3次（+11.1%）" — the comparison as a clause after the figure, or "" when there is none."""
    return pgettext("report comparison", ", %(compared)s") % {"compared": text} if text else ""


def semicolon():
    return pgettext("report", "; ")


def full_stop():
    return pgettext("report", ".")


def percent(share):
    """0.925 → "92.5%"; None → "—"."""
    if share is None:
        return "—"
    return f"{Decimal(str(share)) * 100:.1f}%"


class Section:
    code = ""
    title = ""
    order = 50
    #: printed after the problems and plan, under 附录 (the change log: for the record, not for the principal)
    appendix = False
    #: the periods the section can report on: a monthly-only section is left out of term and year summaries
    kinds = ("month", "term", "year")

    def build(self, school, start, end):
        """Data for ``school`` over [start, end) (dates)."""
        raise NotImplementedError

    def figures(self, school, start, end):
        """The area's key numbers over [start, end), or None when nothing was recorded (no comparison)."""
        return None

    def narrative(self, period, figures, previous, last_year):
        """Paragraphs in the seeds' voice from ``figures`` (and the comparisons where there is data)."""
        return []

    def open_items(self, school, day):
        """Items still open on ``day``, carried over into the problems and next month's plan."""
        return []


_sections = []


def register(section_class):
    _sections.append(section_class())
    return section_class


def sections():
    return sorted(_sections, key=lambda s: (s.order, s.code))
