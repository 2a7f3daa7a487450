"""The term or year summary (学期工作总结 / 年度工作总结): the report's sections over a school term or a
calendar year, with the open items as of today — the document the seeds themselves are. Made on demand."""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from logistics import terms

from . import services
from .registry import Period

#: terms as Chinese schools keep them: autumn 1 Sep – 31 Jan, spring 1 Feb – 31 Aug
AUTUMN, SPRING = terms.AUTUMN, terms.SPRING


def term_of(day):
    """(first year of the school year, term number) of ``day`` (``logistics.terms``)."""
    term = terms.term_of(day)
    return term.year, term.number


def term_period(year, term):
    term = terms.Term(year, term)
    return Period(term.start, term.end, "term")


def parse(code):
    """ "2026-2027-1" → the autumn term of 2026; "2026" → the calendar year 2026."""
    parts = code.split("-")
    if len(parts) == 3:
        return term_period(int(parts[0]), int(parts[2]))
    year = int(parts[0])
    return Period(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), "year")


def label(code):
    parts = code.split("-")
    if len(parts) == 3:
        period = parse(code)
        name = _("%(first)s–%(second)s school year, autumn term") if int(parts[2]) == AUTUMN else None
        name = name or _("%(first)s–%(second)s school year, spring term")
        return name % {"first": parts[0], "second": parts[1]} + f"（{services.period_label(period)}）"
    return _("The year %(year)s") % {"year": code}


def choices(today=None, terms=6, years=3):
    """The current term and the ones before it, then the current and earlier years."""
    today = today or timezone.localdate()
    year, term = term_of(today)
    codes = []
    for _i in range(terms):
        codes.append(f"{year}-{year + 1}-{term}")
        year, term = (year, AUTUMN) if term == SPRING else (year - 1, SPRING)
    codes += [str(today.year - i) for i in range(years)]
    return [(code, label(code)) for code in codes]


def document(school, period, user=None):
    """What the summary's PDF and XLSX show, built now from the registered sections."""
    with translation.override("zh-hans"):
        today = timezone.localdate()
        kind = _("term summary") if period.kind == "term" else _("year summary")
        title = _("%(school)s logistics work %(kind)s, %(period)s") % {
            "school": school.name,
            "kind": kind,
            "period": services.period_label(period),
        }
        data = services.build_sections(school, period)
        head = services.logistics_head(school)
        unfinished = today < period.end
        return {
            "title": title,
            "header": [
                (_("School"), school.name),
                (_("Period"), services.period_label(period)),
                (_("Prepared by"), services._name(head)),
                (_("Date"), today.strftime("%Y-%m-%d")),
            ],
            "sections": [s for s in data if not s.get("appendix")],
            "appendix": [],
            "open_items": services.collect_open_items(school, today),
            "open_items_title": _("Problems to solve"),
            "plan": "",
            "plan_missing": "",
            "draft": _("The period is not over: figures as of %(day)s.") % {"day": today.isoformat()}
            if unfinished
            else "",
            "read": "",
            "signature": True,
        }
