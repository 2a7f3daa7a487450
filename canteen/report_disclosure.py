"""The monthly report's section on 陪餐, the canteen's published accounts and the late entries of every
canteen record (in the seeds' voice: "本月应陪餐 N 餐，有陪餐记录 M 餐…")."""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from logistics.reports.registry import Section, SectionData, Table

from . import accompanied, late
from .choices import AccompanimentStatus, AccountStatus, CompanionKind
from .models import AccompaniedMeal, MonthlyAccount


class CanteenDisclosureSection(Section):
    code = "canteen_disclosure"
    title = gettext_lazy("Canteen: 陪餐, accounts and late entries")
    order = 31

    def build(self, school, start, end):
        covered, served = accompanied.coverage(school, start, end)
        records = AccompaniedMeal.objects.filter(school=school, date__gte=start, date__lt=end)
        figures = records.aggregate(
            leaders=Count("pk", filter=Q(kind=CompanionKind.LEADER)),
            parents=Count("pk", filter=Q(kind=CompanionKind.PARENT)),
            waiting=Count("pk", filter=Q(status=AccompanimentStatus.AWAITING_ANSWER)),
            rating=Avg("rating"),
        )
        text = _(
            "This month %(served)s meals needed a 陪餐 record and %(covered)s had one (%(leaders)s records by "
            "school leaders, %(parents)s by parents)."
        ) % {"served": served, "covered": covered, **figures}
        if served > covered:
            text += " " + _("%(n)s meals had no 陪餐 record (listed below).") % {"n": served - covered}
        if figures["rating"]:
            text += " " + _("Average rating %(r).1f of 5.") % {"r": figures["rating"]}
        if figures["waiting"]:
            text += " " + _("%(n)s parents' feedback still awaits the canteen's answer.") % {"n": figures["waiting"]}
        missing = list(
            accompanied.unaccompanied(accompanied.served_meals(school, start, end)).order_by("date", "starts_at")
        )
        late_rows = late.counts(school, start, end)
        late_total = sum(n for _label, n, _t in late_rows)
        text2 = _(
            "Late entries (补录) this month: %(n)s records entered more than the Rule's hours after the event."
        ) % {"n": late_total}
        month = MonthlyAccount.objects.filter(
            school=school, month=start.replace(day=1), status=AccountStatus.PUBLISHED
        ).first()
        if month is not None:
            text3 = _(
                "Accounts published for the month: income %(income)s yuan, expenses %(expense)s yuan, balance "
                "%(balance)s yuan (version %(v)s)."
            ) % {
                "income": month.total_income,
                "expense": month.total_expense,
                "balance": month.balance,
                "v": month.version,
            }
        else:
            text3 = _("The month's canteen accounts are not published yet.")
        tables = [
            Table(
                _("Meals without a 陪餐 record"),
                [_("Date"), _("Meal")],
                [[m.date.strftime("%Y-%m-%d"), m.get_meal_display()] for m in missing],
            ),
            Table(
                _("Late entries by record"),
                [pgettext("kind of record", "Record"), _("Late entries"), _("Records")],
                [[str(label), n, total] for label, n, total in late_rows],
                footer=[_("Total"), late_total, sum(t for _label, _n, t in late_rows)],
            ),
        ]
        return SectionData(title=str(self.title), paragraphs=[text, text2, text3], tables=tables)
