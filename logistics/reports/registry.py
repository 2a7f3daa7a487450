"""Registry of monthly-report sections.

A section is a subclass of :class:`Section` with ``build(school, start, end)`` returning a
:class:`SectionData`: a title, paragraphs written like the seeds' summaries, and tables. The same
data renders to HTML (screen), PDF (WeasyPrint) and XLSX (one sheet per table).
"""

from dataclasses import dataclass, field


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


class Section:
    code = ""
    title = ""
    order = 50

    def build(self, school, start, end):
        """Data for ``school`` over [start, end) (dates)."""
        raise NotImplementedError


_sections = []


def register(section_class):
    _sections.append(section_class())
    return section_class


def sections():
    return sorted(_sections, key=lambda s: (s.order, s.code))
