"""Grades and classes; the class's guardian invitation sheet (PDF) and the start-of-year promotion."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView

from ..filtersets import GradeFilterSet, SchoolClassFilterSet
from ..forms import GradeForm, SchoolClassForm
from ..models import Grade, SchoolClass, Student
from ..services import guardians as guardian_services
from ..services import students as student_services
from ..tables import GradeTable, SchoolClassTable, StudentTable


class GradeListView(ObjectListView):
    queryset = Grade.objects.all()
    filterset = GradeFilterSet
    table = GradeTable


class GradeEditView(ObjectEditView):
    queryset = Grade.objects.all()
    form_class = GradeForm


class SchoolClassListView(ObjectListView):
    queryset = (
        SchoolClass.objects.select_related("grade", "head_teacher", "room", "room__building")
        .annotate(student_count=Count("students", filter=Q(students__active=True)))
        .order_by("-active", "grade__order", "name")
    )
    filterset = SchoolClassFilterSet
    table = SchoolClassTable
    template_name = "people/schoolclass_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        context["can_promote"] = permissions.has_perm(self.request.user, "people.promote_grade", school)
        context["grades_url"] = reverse("people:grade_list")
        return context


class SchoolClassDetailView(ObjectDetailView):
    queryset = SchoolClass.objects.select_related("grade", "head_teacher", "room", "room__building")
    template_name = "people/schoolclass_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        students = (
            Student.objects.restrict(user, "view")
            .filter(school_class=obj)
            .select_related("school_class", "school_class__grade")
        )
        table = StudentTable(self.request)
        context.update(
            {
                "field_rows": [
                    (_("grade"), obj.grade),
                    (_("class teacher"), obj.head_teacher or "—"),
                    (_("subject teachers"), "、".join(str(t) for t in obj.teachers.all()) or "—"),
                    (_("classroom"), obj.room or "—"),
                    (_("current"), _("Yes") if obj.active else _("No")),
                ],
                "student_table": table,
                "student_rows": table.rows(students),
                "can_invite": obj.active and guardian_services.may_invite(user, obj),
            }
        )
        return context


class SchoolClassEditView(ObjectEditView):
    queryset = SchoolClass.objects.all()
    form_class = SchoolClassForm


class InvitationSheetView(LoginRequiredMixin, TemplateView):
    """The class's invitation sheet: one code and QR per student, to cut and hand out (PDF)."""

    def get(self, request, pk):
        school_class = get_object_or_404(SchoolClass.objects.restrict(request.user, "view"), pk=pk)
        if not guardian_services.may_invite(request.user, school_class):
            raise PermissionDenied
        import segno
        from weasyprint import HTML

        rows = []
        join = request.build_absolute_uri(reverse("people:join", args=[school_class.school.slug]))
        for student, invitation in guardian_services.class_invitations(school_class, request.user):
            url = f"{join}?code={invitation.code}"
            rows.append(
                {
                    "student": student,
                    "code": f"{invitation.code[:5]}-{invitation.code[5:]}",
                    "url": join,
                    "qr": segno.make(url, error="m").svg_data_uri(scale=3),
                    "expires": invitation.expires,
                }
            )
        html = render_to_string(
            "people/invitation_sheet.html",
            {"school_class": school_class, "school": school_class.school, "rows": rows},
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="invitations-{school_class.pk}.pdf"'
        return response


class PromotionView(LoginRequiredMixin, TemplateView):
    """Start of a school year: what moves where, and one button."""

    template_name = "people/promotion.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, "people.promote_grade", request.school
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = student_services.promotion_plan(self.request.school)
        context["title"] = _("Move classes up a grade")
        context["breadcrumbs"] = [
            (_("Home"), reverse("dashboard:home")),
            (_("classes"), reverse("people:schoolclass_list")),
            (context["title"], None),
        ]
        return context

    def post(self, request):
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm."))
            return redirect("people:promote")
        try:
            moved, graduated = student_services.promote(request.school, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("people:promote")
        messages.success(
            request,
            _("%(moved)s classes moved up a grade; %(graduated)s students graduated.")
            % {"moved": moved, "graduated": graduated},
        )
        return redirect("people:schoolclass_list")
