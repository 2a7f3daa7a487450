"""One school term for every app (``logistics.terms``): autumn 1 Sep – 31 Jan, spring 1 Feb – 31 Aug,
and the apps that read it agree on every day of a year."""

import datetime

import pytest

from assets import services as assets_services
from logistics import terms
from logistics.dashboard import periods
from logistics.reports import summary
from repairs import stats
from safety import drills


@pytest.mark.parametrize(
    ("day", "code", "start", "end"),
    [
        (datetime.date(2026, 9, 1), "2026-2027-1", datetime.date(2026, 9, 1), datetime.date(2027, 2, 1)),
        (datetime.date(2027, 1, 31), "2026-2027-1", datetime.date(2026, 9, 1), datetime.date(2027, 2, 1)),
        (datetime.date(2027, 2, 1), "2026-2027-2", datetime.date(2027, 2, 1), datetime.date(2027, 9, 1)),
        (datetime.date(2027, 8, 31), "2026-2027-2", datetime.date(2027, 2, 1), datetime.date(2027, 9, 1)),
    ],
)
def test_term_edges(day, code, start, end):
    term = terms.term_of(day)
    assert (term.code, term.start, term.end, term.last_day) == (code, start, end, end - datetime.timedelta(days=1))
    assert terms.from_code(code) == term
    assert term.next.previous == term and term.previous.next == term


def test_from_code_refuses_what_is_no_term():
    for code in ("2026-2028-1", "2026-2027-3", "2026", "abc"):
        with pytest.raises(ValueError):
            terms.from_code(code)


def test_every_app_reads_the_same_term_on_every_day():
    day = datetime.date(2026, 1, 1)
    while day < datetime.date(2027, 1, 1):
        term = terms.term_of(day)
        assert stats.term_bounds(day) == (term.start, term.end)
        assert assets_services.current_term(day) == term.code
        assert drills.term_of(day) == (term.start, term.last_day)
        assert periods.term_of(day) == (term.start, term.end)
        assert summary.term_of(day) == (term.year, term.number)
        period = summary.term_period(term.year, term.number)
        assert (period.start, period.end) == (term.start, term.end)
        day += datetime.timedelta(days=1)
