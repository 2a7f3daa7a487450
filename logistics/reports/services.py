"""Building and rendering monthly reports: data from the sections → HTML → PDF and XLSX."""

import datetime
import io
import logging
import re
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from logistics.accounts.roles import Role
from logistics.audit.context import change_context
from logistics.notifications.services import notify
from logistics.tenancy.models import Membership, School

from .choices import ReportStatus
from .models import Report, ReportVersion
from .registry import Period, sections

log = logging.getLogger(__name__)

#: no comparison is made with a period before this day (nothing could have been recorded then)
FIRST_DAY = datetime.date(2000, 1, 1)


def month_bounds(period):
    start = period.replace(day=1)
    return start, start + relativedelta(months=1)


def previous_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def build_data(school, period):
    """[{code, title, paragraphs, tables:[{title, headers, rows, footer}], appendix}] from every registered
    section, for the month of ``period`` (a date)."""
    start, end = month_bounds(period)
    return build_sections(school, Period(start, end, "month"))


def _figures(section, school, period):
    if period.start < FIRST_DAY:
        return None
    return section.figures(school, period.start, period.end)


def build_sections(school, period):
    """The sections over ``period`` (:class:`~logistics.reports.registry.Period`): each one's narrative from
    its figures, compared with the period before and the same period a year earlier where those have data,
    then its own paragraphs and tables."""
    data = []
    for section in sections():
        if period.kind not in section.kinds:
            continue
        try:
            # a savepoint each: a section's failed query must not abort the transaction of the sections after it
            with transaction.atomic():
                built = section.build(school, period.start, period.end)
                figures = section.figures(school, period.start, period.end)
                previous = last_year = None
                if figures is not None:
                    previous = _figures(section, school, period.previous)
                    last_year = _figures(section, school, period.last_year)
                narrative = section.narrative(period, figures, previous, last_year)
        except Exception:
            log.exception("report section %s failed for school %s", section.code, school.pk)
            data.append(
                {
                    "code": section.code,
                    "title": str(section.title),
                    "paragraphs": [_("This section could not be built.")],
                    "tables": [],
                    "appendix": section.appendix,
                }
            )
            continue
        worded = _period_words(period)
        data.append(
            {
                "code": section.code,
                "title": str(built.title),
                "paragraphs": [_tidy(str(p)) for p in [*narrative, *map(worded, built.paragraphs)] if p],
                "tables": [
                    {
                        "title": worded(t.title),
                        "headers": [worded(h) for h in t.headers],
                        "rows": [[_cell(c) for c in row] for row in t.rows],
                        "footer": [worded(c) if isinstance(c, str) else _cell(c) for c in t.footer]
                        if t.footer
                        else None,
                    }
                    for t in built.tables
                ],
                "appendix": section.appendix,
            }
        )
    return data


#: how a section's table written for the month names it ("本月留样", "Paid this month (yuan)")
THIS_MONTH = re.compile(r"本月|[Tt]his month")


def _period_words(period):
    """``fn(text) → text`` naming the period as the summary covers it: in a term or year summary the
    sections' own table titles, headers and detail lines that say 本月 ("this month") say 本学期 / 本年度
    (their figures are over the period they were asked for, ``build(school, start, end)``); the narratives
    already take the period's word. A month's report is left as it is."""
    if period.kind == "month":
        return lambda text: "" if text is None else str(text)

    def worded(text):
        if text is None:
            return ""
        text, word = str(text), str(period.word)  # in the language of the moment
        return THIS_MONTH.sub(lambda m: word if m.group(0) == "本月" or m.group(0)[0] == "T" else word.lower(), text)

    return worded


#: a space left between Chinese sentences by joining them the English way ("。 有 3 个菜品…")
CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff])\s+(?=[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff])")


def _tidy(text):
    return CJK_GAP.sub("", text)


def collect_open_items(school, day):
    """Every section's items still open on ``day``: [{area, kind, text, due, url}], the overdue first."""
    items = []
    for section in sections():
        try:
            found = section.open_items(school, day)
        except Exception:
            log.exception("open items of section %s failed for school %s", section.code, school.pk)
            continue
        for item in found:
            items.append(
                {
                    "area": str(item.area or section.title),
                    "kind": str(item.kind),
                    "text": str(item.text),
                    "due": item.due.isoformat() if item.due else "",
                    "url": item.url,
                }
            )
    return sorted(items, key=lambda i: (i["due"] == "", i["due"]))


def _cell(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return str(value)  # JSON keeps it exact; the XLSX turns it back into a number
    if value is None:
        return ""
    return str(value)


NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")


PERCENT = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?%$")


def _xlsx_value(value):
    """Amounts and counts stored as text in the report's data go to the sheet as numbers (a code with a
    leading zero or a date stays text); a share ("76%") becomes the number 0.76 shown as a percentage."""
    if isinstance(value, str) and NUMBER.match(value):
        return Decimal(value)
    if isinstance(value, str) and PERCENT.match(value):
        return Decimal(value[:-1]) / 100
    return value


def _append(ws, values):
    ws.append([_xlsx_value(c) for c in values])
    for cell, raw in zip(ws[ws.max_row], values, strict=False):
        if isinstance(raw, str) and PERCENT.match(raw):
            cell.number_format = "0.0%" if "." in raw else "0%"


def logistics_head(school):
    """The school's logistics head (the report's 编制人), or None."""
    membership = (
        Membership.objects.filter(school=school, role=Role.LOGISTICS_HEAD, active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def principals(school):
    return [
        m.user
        for m in Membership.objects.filter(school=school, role=Role.PRINCIPAL, active=True).select_related("user")
    ]


def _name(user):
    return str(user) if user else ""


def period_label(period):
    """2026-10 / 2026-09-01 – 2027-01-31"""
    return period.label


def report_document(report, status=None, when=None):
    """What the PDF and the XLSX of a stored report show (``status``/``when``: as it will be after a step)."""
    status = status or report.status
    start, end = month_bounds(report.period)
    final = status != ReportStatus.DRAFT
    main = [s for s in report.data if not s.get("appendix")]
    appendix = [s for s in report.data if s.get("appendix")]
    when = when or (report.finalized_at if final else report.generated_at) or timezone.now()
    header = [
        (_("School"), report.school.name),
        (_("Period"), period_label(Period(start, end, "month"))),
        (_("Prepared by"), _name(report.prepared_by or logistics_head(report.school))),
        (_("Date"), timezone.localtime(when).strftime("%Y-%m-%d")),
        (pgettext("report", "Status"), str(dict(ReportStatus.choices)[status])),
    ]
    return {
        "title": report.title,
        "header": header,
        "sections": main,
        "appendix": appendix,
        "open_items": report.open_items or [],
        "open_items_title": _("Problems and next month's plan"),
        "plan": report.plan,
        "plan_missing": "" if report.plan else _("(The logistics head completes the plan before the report is final.)"),
        "draft": draft_note(report)
        if report.is_draft
        else ("" if final else _("Draft: the plan is not complete yet.")),
        "read": (
            _("Read by %(name)s on %(date)s")
            % {"name": _name(report.read_by), "date": timezone.localtime(report.read_at).strftime("%Y-%m-%d %H:%M")}
            if report.read_at
            else ""
        ),
        "signature": True,
    }


def render_pdf(document):
    from weasyprint import HTML

    html = render_to_string("reports/report_pdf.html", {"doc": document, "sections": document["sections"]})
    return HTML(string=html).write_pdf()


def draft_note(report):
    return _("Draft: the month is not over; figures as of %(time)s. The final report is made after the month ends.") % {
        "time": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")
    }


def _sheet_name(index, t_index, title, used):
    name = f"{index}.{t_index} {title}"[:31]
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def render_xlsx(document):
    """The summary sheet (header, narrative, open items, plan), then one sheet per table with numbers as
    numbers and the total once, as the last row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    sheet.append([document["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    if document.get("draft"):
        sheet.append([document["draft"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="C00000")
    for label, value in document["header"]:
        sheet.append([str(label), str(value)])
    for section in document["sections"]:
        sheet.append([])
        sheet.append([section["title"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for paragraph in section["paragraphs"]:
            sheet.append([paragraph])
    if document.get("open_items_title"):
        sheet.append([])
        sheet.append([document["open_items_title"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for item in document["open_items"]:
            sheet.append([item["area"], item["kind"], item["text"], item["due"]])
        if not document["open_items"]:
            sheet.append([_("No open items were carried over.")])
        sheet.append([_("Next month's plan"), document.get("plan") or document.get("plan_missing", "")])
    if document.get("signature"):
        sheet.append([])
        sheet.append([_("Principal's signature"), document.get("read") or ""])
    used = set()
    for index, section in enumerate(document["sections"] + document.get("appendix", [])):
        for t_index, table in enumerate(section["tables"]):
            ws = workbook.create_sheet(_sheet_name(index + 1, t_index + 1, table["title"], used))
            ws.append(table["headers"])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in table["rows"]:
                _append(ws, row)
            if table.get("footer"):
                _append(ws, table["footer"])
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def store_version(report, user=None, status=None):
    """Render the report's PDF and XLSX as a new version (the earlier files are kept) and point at it."""
    now = timezone.now()
    document = report_document(report, status=status, when=now)
    version = ReportVersion(school=report.school, report=report, generated_at=now, draft=report.is_draft)
    stamp = f"{report.school.slug}-{report.period:%Y-%m}-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    if status and status != ReportStatus.DRAFT:
        stamp += f"-{status}"
    version.pdf.save(f"{stamp}.pdf", ContentFile(render_pdf(document)), save=False)
    version.xlsx.save(f"{stamp}.xlsx", ContentFile(render_xlsx(document)), save=False)
    version.save()
    report.pdf.name, report.xlsx.name = version.pdf.name, version.xlsx.name
    return version


class ReportIsFinal(ValidationError):
    pass


def generate(school, period, user=None, notify_principal=False):
    """Build (or rebuild) the report of ``school`` for the month of ``period``; store PDF and XLSX."""
    period = period.replace(day=1)
    with translation.override("zh-hans"), change_context(user=user):
        title = _("%(school)s logistics report, %(month)s") % {
            "school": school.name,
            "month": period.strftime("%Y-%m"),
        }
        data = build_data(school, period)
        with transaction.atomic():
            report, _created = Report.objects.select_for_update().get_or_create(
                school=school, period=period, defaults={"title": title}
            )
            if report.status != ReportStatus.DRAFT:
                raise ReportIsFinal(_("This report is final: its figures are kept as they were signed."))
            report.title = title
            report.data = data
            now = timezone.now()
            report.generated_at = now
            report.open_items = collect_open_items(school, timezone.localdate(now))
            report.prepared_by = report.prepared_by or logistics_head(school)
            report.save()
            # each generation is its own version, with its own files; the report points at the newest
            store_version(report, user)
            report.save(update_fields=["pdf", "xlsx", "updated", "updated_by"])
            if notify_principal:
                notify(
                    principals(school),
                    _("The monthly report is ready: %(title)s") % {"title": title},
                    obj=report,
                    key=f"report:{report.pk}:{period:%Y-%m}",
                )
    return report


def is_final(report):
    """A report is final when it was generated after its month ended (one made mid-month is a draft)."""
    if report.generated_at is None:
        return False
    _start, end = month_bounds(report.period)
    return timezone.localdate(report.generated_at) >= end


def generate_due(today=None, months_back=12):
    """Every missing or draft monthly report of every school, up to last month (a skipped run loses
    nothing: the next run makes what is missing, up to ``months_back`` months, from the school's first
    month in Houqin). One school's failure does not stop the others."""
    today = today or timezone.localdate()
    last = previous_month(today)
    earliest = last - relativedelta(months=months_back - 1)
    reports = {}
    for report in Report.objects.filter(period__gte=earliest, period__lte=last).only(
        "school_id", "period", "generated_at", "status"
    ):
        reports[(report.school_id, report.period)] = report
    made = []
    for school in School.objects.order_by("pk"):
        period = max(earliest, timezone.localdate(school.created).replace(day=1))
        while period <= last:
            existing = reports.get((school.pk, period))
            if existing is None or (existing.status == ReportStatus.DRAFT and not is_final(existing)):
                try:
                    made.append(generate(school, period, notify_principal=True))
                except Exception:
                    log.exception("monthly report of school %s for %s failed", school.pk, period)
            period += relativedelta(months=1)
    return made
