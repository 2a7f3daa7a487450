"""Students: list, page (ID number masked, revealed on demand and recorded), photo, guardians."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.accounts import permissions
from logistics.attachments.views import serve_file
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView

from ..filtersets import StudentFilterSet
from ..forms import EndLinkForm, GuardianForm, StudentForm
from ..models import GuardianLink, Student
from ..services import guardians as guardian_services
from ..services import students as student_services
from ..tables import StudentTable, yes_no


class StudentListView(ObjectListView):
    queryset = Student.objects.select_related("school_class", "school_class__grade")
    filterset = StudentFilterSet
    table = StudentTable


class StudentDetailView(ObjectDetailView):
    queryset = Student.objects.select_related("school_class", "school_class__grade")
    template_name = "people/student_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        context["field_rows"] = [
            (_("student number"), obj.student_number),
            (_("class"), obj.school_class),
            (_("gender"), obj.get_gender_display() or "—"),
            (_("boarder"), yes_no(obj.boarding)),
            (_("enrolled"), yes_no(obj.active)),
        ]
        context["links"] = (
            GuardianLink.objects.restrict(user, "view").filter(student=obj).select_related("guardian").order_by("pk")
        )
        context["can_reveal"] = bool(obj.id_number) and student_services.may_reveal(user, obj)
        context["can_add_guardian"] = permissions.has_perm(user, "people.add_guardianlink", obj.school_id)
        context["can_end_link"] = permissions.has_perm(user, "people.delete_guardianlink", obj.school_id)
        context["guardian_form"] = kwargs.get("guardian_form") or GuardianForm()
        if obj.school_id not in permissions.scopes_for(user, "people.view_guardianlink").get("all", set()):
            # who linked or ended a guardian, and who looked at the ID number, is for the school's heads only
            # (a parent must not read about the other parent's custody, a subject teacher about guardians)
            context["timeline"] = [
                r for r in context["timeline"] if not r.event.startswith(("guardian", "student.id_number"))
            ]
        return context


class StudentEditView(ObjectEditView):
    queryset = Student.objects.all()
    form_class = StudentForm


def _student(request, pk, action="view"):
    return get_object_or_404(Student.objects.restrict(request.user, action), pk=pk)


@login_required
def student_photo(request, pk):
    student = _student(request, pk)
    if not student.photo:
        raise Http404
    return serve_file(student.photo)


@login_required
@require_POST
def reveal_id_number(request, pk):
    """The whole ID number in place of the masked one (htmx), recorded on the student's history."""
    student = _student(request, pk)
    try:
        number = student_services.reveal_id_number(student, request.user)
    except PermissionDenied:
        raise
    return render(request, "people/_id_number.html", {"student": student, "number": number})


@login_required
@require_POST
def add_guardian(request, pk):
    student = _student(request, pk)
    form = GuardianForm(request.POST)
    if form.is_valid():
        try:
            guardian, password = guardian_services.add_guardian(
                student=student,
                actor=request.user,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if password:
                messages.success(
                    request,
                    _("%(name)s can sign in as %(username)s with the first password %(password)s (shown only now).")
                    % {"name": guardian, "username": guardian.username, "password": password},
                )
            else:
                messages.success(request, _("%(name)s is linked.") % {"name": guardian})
        return redirect(student.get_absolute_url())
    view = StudentDetailView()
    view.setup(request, pk=pk)
    view.object = student
    return render(request, view.template_name, view.get_context_data(guardian_form=form), status=400)


@login_required
@require_POST
def end_link(request, pk):
    link = get_object_or_404(GuardianLink.objects.restrict(request.user, "delete").select_related("student"), pk=pk)
    form = EndLinkForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    guardian_services.end_link(link, request.user, reason)
    messages.success(request, _("The guardian link was ended."))
    return redirect(link.student.get_absolute_url())
