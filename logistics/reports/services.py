"""Building and rendering monthly reports: data from the sections → HTML → PDF and XLSX."""

import datetime
import io
import logging
import re
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from logistics.accounts.roles import Role
from logistics.audit.context import change_context
from logistics.notifications.services import notify
from logistics.tenancy.models import Membership, School

from .models import Report, ReportVersion
from .registry import sections

log = logging.getLogger(__name__)


def month_bounds(period):
    start = period.replace(day=1)
    return start, start + relativedelta(months=1)


def previous_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def build_data(school, period):
    """[{title, paragraphs, tables:[{title, headers, rows, footer}]}] from every registered section."""
    start, end = month_bounds(period)
    data = []
    for section in sections():
        try:
            built = section.build(school, start, end)
        except Exception:
            log.exception("report section %s failed for school %s", section.code, school.pk)
            data.append(
                {
                    "title": str(section.title),
                    "paragraphs": [_("This section could not be built.")],
                    "tables": [],
                }
            )
            continue
        data.append(
            {
                "code": section.code,
                "title": str(built.title),
                "paragraphs": [str(p) for p in built.paragraphs],
                "tables": [
                    {
                        "title": str(t.title),
                        "headers": [str(h) for h in t.headers],
                        "rows": [[_cell(c) for c in row] for row in t.rows],
                        "footer": [_cell(c) for c in t.footer] if t.footer else None,
                    }
                    for t in built.tables
                ],
            }
        )
    return data


def _cell(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return str(value)  # JSON keeps it exact; the XLSX turns it back into a number
    if value is None:
        return ""
    return str(value)


NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")


def _xlsx_value(value):
    """Amounts and counts stored as text in the report's data go to the sheet as numbers (a code with a
    leading zero, a percentage or a date stays text)."""
    if isinstance(value, str) and NUMBER.match(value):
        return Decimal(value)
    return value


def render_pdf(report, draft=False):
    from weasyprint import HTML

    context = {"report": report, "sections": report.data, "draft": draft_note(report) if draft else ""}
    html = render_to_string("reports/report_pdf.html", context)
    return HTML(string=html).write_pdf()


def draft_note(report):
    return _("Draft: the month is not over; figures as of %(time)s. The final report is made after the month ends.") % {
        "time": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")
    }


def render_xlsx(report, draft=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    if draft:
        sheet.append([draft_note(report)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="C00000")
    for section in report.data:
        sheet.append([])
        sheet.append([section["title"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for paragraph in section["paragraphs"]:
            sheet.append([paragraph])
    for index, section in enumerate(report.data):
        for t_index, table in enumerate(section["tables"]):
            name = f"{index + 1}.{t_index + 1} {table['title']}"[:31]
            for bad in "[]:*?/\\":
                name = name.replace(bad, " ")
            ws = workbook.create_sheet(name)
            ws.append(table["headers"])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in table["rows"]:
                ws.append([_xlsx_value(c) for c in row])
            if table.get("footer"):
                ws.append([_xlsx_value(c) for c in table["footer"]])
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
            report.title = title
            report.data = data
            now = timezone.now()
            report.generated_at = now
            _start, end = month_bounds(period)
            draft = timezone.localdate(now) < end
            # each generation is its own version, with its own files; the report points at the newest
            stamp = f"{school.slug}-{period:%Y-%m}-{timezone.localtime(now):%Y%m%d-%H%M%S}"
            report.save()
            version = ReportVersion(school=school, report=report, generated_at=now, draft=draft)
            version.pdf.save(f"{stamp}.pdf", ContentFile(render_pdf(report, draft)), save=False)
            version.xlsx.save(f"{stamp}.xlsx", ContentFile(render_xlsx(report, draft)), save=False)
            version.save()
            report.pdf.name, report.xlsx.name = version.pdf.name, version.xlsx.name
            report.save(update_fields=["pdf", "xlsx", "updated", "updated_by"])
            if notify_principal:
                principals = [
                    m.user
                    for m in Membership.objects.filter(school=school, role=Role.PRINCIPAL, active=True).select_related(
                        "user"
                    )
                ]
                notify(
                    principals,
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
        "school_id", "period", "generated_at"
    ):
        reports[(report.school_id, report.period)] = report
    made = []
    for school in School.objects.order_by("pk"):
        period = max(earliest, timezone.localdate(school.created).replace(day=1))
        while period <= last:
            existing = reports.get((school.pk, period))
            if existing is None or not is_final(existing):
                try:
                    made.append(generate(school, period, notify_principal=True))
                except Exception:
                    log.exception("monthly report of school %s for %s failed", school.pk, period)
            period += relativedelta(months=1)
    return made
