"""Parents' settlement statements (结算单): for each child, each settled at-cost fee — what was charged
and collected, the actual cost of the child, what the settlement refunded or (under 多退少补) charged,
and the rule in force with its source; as a page and a PDF. Guardians see only their own children (the
grant ``view_settlementline`` with scope ``children``); the finance staff see any student's."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.people.models import GuardianLink, Student
from logistics.tenancy import rules

from .choices import SettlementStatus
from .models import SettlementLine
from .settlement import POLICY


def policy_text(collects_shortfall):
    """(the policy in words, its source) — as the settlement kept it when it was computed."""
    rule = rules.get_rule(POLICY)
    words = (
        _("多退少补: the surplus is refunded, a shortfall is charged")
        if collects_shortfall
        else _("多退少不补: the surplus is refunded, a shortfall is never charged")
    )
    return words, str(rule.source)


def statement_lines(user, students):
    """The approved settlements' lines of ``students`` that ``user`` may see, grouped by student:
    [(student, [line, …])] — two queries whatever the number of lines."""
    lines = (
        SettlementLine.objects.restrict(user, "view")
        .filter(charge__student__in=students, settlement__status=SettlementStatus.APPROVED)
        .select_related("settlement__fee_item", "settlement__school", "charge")
        .order_by("charge__student_id", "-settlement__approved_at", "pk")
    )
    by_student = {}
    for line in lines:
        line.policy, line.policy_source = policy_text(line.settlement.collects_shortfall)
        by_student.setdefault(line.charge.student_id, []).append(line)
    return [(student, by_student.get(student.pk, [])) for student in students]


class StatementMixin(LoginRequiredMixin):
    def students(self):
        user = self.request.user
        school = self.request.school
        if not school or not permissions.has_perm(user, "finance.view_settlementline", school):
            raise PermissionDenied
        visible = Student.objects.restrict(user, "view").in_school(school).select_related("school_class")
        children = visible.filter(pk__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
        wanted = self.kwargs.get("student") or self.request.GET.get("student")
        if wanted:
            if not str(wanted).isdigit():
                raise PermissionDenied
            return [get_object_or_404(visible, pk=wanted)]
        return list(children.order_by("name"))

    def search(self):
        """Staff (not a guardian): students found by name or 学号 (``?q=``), to open one's statement."""
        q = (self.request.GET.get("q") or "").strip()
        if not q:
            return []
        from django.db.models import Q

        visible = Student.objects.restrict(self.request.user, "view").in_school(self.request.school)
        found = visible.filter(Q(name__icontains=q) | Q(student_number__iexact=q)).select_related("school_class")
        return list(found.order_by("name")[:20])


class StatementListView(StatementMixin, TemplateView):
    """A guardian's children's settlement statements (staff: one student's, ``?student=<id>``)."""

    template_name = "finance/settlement_statement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statements"] = statement_lines(self.request.user, self.students())
        context["staff"] = not GuardianLink.objects.filter(guardian=self.request.user).exists()
        context["q"] = self.request.GET.get("q", "")
        context["found"] = self.search() if context["staff"] else []
        context["title"] = _("Settlement statements")
        return context


class StatementPdfView(StatementMixin, TemplateView):
    """One student's settlement statement as PDF (Chinese fonts)."""

    def get(self, request, *args, **kwargs):
        from logistics.ui.documents import html_to_pdf

        statements = statement_lines(request.user, self.students())
        student = statements[0][0]
        html = render_to_string(
            "finance/settlement_statement_pdf.html",
            {"student": student, "lines": statements[0][1], "school": request.school},
            request=request,
        )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="settlement-statement-{student.pk}.pdf"'
        return response
