"""The period of the district comparison: a month, a term, a school year or a custom range of days."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics import terms

from .metrics import add_months, first_of_month

MONTH, TERM, YEAR, CUSTOM = "month", "term", "year", "custom"
#: the longest custom range (a longer one is refused: the figures would no longer compare anything)
MAX_DAYS = 3 * 366


def term_of(day):
    """The school term around ``day`` (``logistics.terms``) → [start, end)."""
    term = terms.term_of(day)
    return term.start, term.end


def year_of(day):
    """The school year around ``day``: 1 Sep – 31 Aug → [start, end)."""
    start = datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return start, datetime.date(start.year + 1, 9, 1)


def term_label(start):
    if start.month == 9:
        return _("Autumn term %(first)s–%(second)s") % {"first": start.year, "second": start.year + 1}
    return _("Spring term %(first)s–%(second)s") % {"first": start.year - 1, "second": start.year}


def year_label(start):
    return _("School year %(first)s–%(second)s") % {"first": start.year, "second": start.year + 1}


def month_label(start):
    return _("%(year)s-%(month)02d") % {"year": start.year, "month": start.month}


def recent_terms(today, n=4):
    terms, day = [], today
    for _i in range(n):
        start, _end = term_of(day)
        terms.append(start)
        day = start - datetime.timedelta(days=1)
    return terms


def recent_years(today, n=3):
    years, day = [], today
    for _i in range(n):
        start, _end = year_of(day)
        years.append(start)
        day = start - datetime.timedelta(days=1)
    return years


def default_month(today):
    """The month shown when none is chosen: the last month that is over (the current one has barely begun
    in its first days, and its figures would compare nothing)."""
    return add_months(first_of_month(today), -1)


class PeriodForm(forms.Form):
    """The district page's choice of period (GET); every field optional, a month by default."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("period", "Period"),
        choices=[
            (MONTH, pgettext_lazy("period", "Month")),
            (TERM, pgettext_lazy("period", "Term")),
            (YEAR, pgettext_lazy("period", "School year")),
            (CUSTOM, pgettext_lazy("period", "Custom range")),
        ],
        required=False,
    )
    month = forms.DateField(
        label=pgettext_lazy("period", "Month"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    term = forms.TypedChoiceField(
        label=pgettext_lazy("period", "Term"), required=False, coerce=datetime.date.fromisoformat
    )
    year = forms.TypedChoiceField(
        label=pgettext_lazy("period", "School year"), required=False, coerce=datetime.date.fromisoformat
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["term"].choices = [(d.isoformat(), term_label(d)) for d in recent_terms(self.today)]
        self.fields["year"].choices = [(d.isoformat(), year_label(d)) for d in recent_years(self.today)]
        self.fields["month"].initial = default_month(self.today)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name in ("kind", "term", "year") else "form-control"

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or MONTH
        data["kind"] = kind
        if kind == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give the first and the last day of the range."))
            if end < start:
                self.add_error("end", _("The last day comes before the first."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a range of at most three years."))
        return data

    def period(self):
        """(start, end exclusive, label) of the chosen period; the last month over when nothing valid was chosen."""
        data = self.cleaned_data if self.is_valid() else {"kind": MONTH}
        kind = data.get("kind") or MONTH
        if kind == TERM:
            start = data.get("term") or term_of(self.today)[0]
            return start, term_of(start)[1], term_label(start)
        if kind == YEAR:
            start = data.get("year") or year_of(self.today)[0]
            return start, year_of(start)[1], year_label(start)
        if kind == CUSTOM:
            start, last = data["start"], data["end"]
            return (
                start,
                last + datetime.timedelta(days=1),
                _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": last.isoformat()},
            )
        start = first_of_month(data.get("month") or default_month(self.today))
        return start, add_months(start, 1), month_label(start)
