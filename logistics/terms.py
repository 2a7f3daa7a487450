"""The school term, once for every app: autumn 1 Sep – 31 Jan, spring 1 Feb – 31 Aug.

Chinese schools keep two terms a school year (第一学期 from September, 第二学期 from February); the
summer holiday belongs to the spring term and the winter holiday's January to the autumn term, so every
day of the year is in exactly one term. Repairs' term figures, the classroom inventory (班级财产), the
drills against ``safety.drills_per_term``, the dashboard's periods and the term summary (学期工作总结)
all read the term here — they used to keep five copies, one of which (safety) started the autumn term
in August.
"""

import datetime
from dataclasses import dataclass

AUTUMN, SPRING = 1, 2


@dataclass(frozen=True)
class Term:
    """A school term: ``year`` is the school year's first calendar year, ``number`` 1 (autumn) or 2
    (spring); ``start`` is its first day and ``end`` the day after its last (half-open, as the ORM's
    ``__gte``/``__lt`` filters want)."""

    year: int
    number: int

    @property
    def start(self):
        return datetime.date(self.year, 9, 1) if self.number == AUTUMN else datetime.date(self.year + 1, 2, 1)

    @property
    def end(self):
        return datetime.date(self.year + 1, 2, 1) if self.number == AUTUMN else datetime.date(self.year + 1, 9, 1)

    @property
    def last_day(self):
        return self.end - datetime.timedelta(days=1)

    @property
    def code(self):
        """ "2026-2027-1": the school year and the term number, as schools write it."""
        return f"{self.year}-{self.year + 1}-{self.number}"

    @property
    def previous(self):
        return Term(self.year, AUTUMN) if self.number == SPRING else Term(self.year - 1, SPRING)

    @property
    def next(self):
        return Term(self.year, SPRING) if self.number == AUTUMN else Term(self.year + 1, AUTUMN)


def term_of(day):
    """The term holding ``day``."""
    if day.month >= 9:
        return Term(day.year, AUTUMN)
    if day.month == 1:
        return Term(day.year - 1, AUTUMN)
    return Term(day.year - 1, SPRING)


def from_code(code):
    """ "2026-2027-1" → ``Term(2026, 1)``; ``ValueError`` on anything else."""
    first, second, number = (int(part) for part in code.split("-"))
    if second != first + 1 or number not in (AUTUMN, SPRING):
        raise ValueError(code)
    return Term(first, number)
