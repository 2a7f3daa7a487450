"""Pages of the hygiene self-inspections: checklists, doing an inspection on a phone, an inspection with
its failed items and their corrective actions, this period's schedule; the day's duty roster."""

import datetime

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.accounts.roles import Role
from logistics.attachments.models import Attachment
from logistics.tenancy import rules
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin, breadcrumbs_for

from . import inspections, roster, schedules
from .choices import Meal
from .inspection_choices import GRADE_COLOURS, PERIOD_COLOURS, RESULT_COLOURS, Frequency, ItemResult, PeriodState
from .inspection_filtersets import ChecklistTemplateFilterSet, HygieneInspectionFilterSet
from .inspection_forms import ChecklistTemplateForm, DutyForm, InspectionForm, ItemActionForm, WithdrawDutyForm
from .inspection_tables import ChecklistTemplateTable, HygieneInspectionTable
from .models import ChecklistTemplate, DutyAssignment, HygieneInspection, InspectionResult
from .settings_rules import INSPECTION_GRADE_A, INSPECTION_GRADE_B, INSPECTION_MONTH_DAY, INSPECTION_WEEKDAY

#: the roles that see individuals' health data (docs/canteen.md § Visibility)
HEALTH_READERS = {Role.CANTEEN_MANAGER, Role.LOGISTICS_HEAD, Role.PRINCIPAL}
#: how far back the schedule page lists missed inspections
MISSED_DAYS = 30

WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def schedule_text(template):
    """“每天（供餐日）” / “每周周五” / “每月25日” in words."""
    if template.frequency == Frequency.DAILY:
        return _("every day the canteen serves meals")
    if template.frequency == Frequency.WEEKLY:
        day = template.weekday or int(rules.value(template.school, INSPECTION_WEEKDAY))
        return _("every week, due on %(day)s") % {"day": WEEKDAYS[day - 1]}
    day = template.month_day or int(rules.value(template.school, INSPECTION_MONTH_DAY))
    return _("every month, due on day %(day)s") % {"day": day}


def span(period):
    if period.start == period.end:
        return period.start.strftime("%Y-%m-%d")
    return f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"


# --- checklists -------------------------------------------------------------------------------------


class ChecklistTemplateListView(ObjectListView):
    queryset = ChecklistTemplate.objects.all()
    filterset = ChecklistTemplateFilterSet
    table = ChecklistTemplateTable
    template_name = "canteen/inspections/template_list.html"
    export_name = "checklists"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        context["offer_standard"] = (
            school is not None
            and permissions.has_perm(self.request.user, "canteen.add_checklisttemplate", school)
            and not ChecklistTemplate.objects.filter(school=school).exists()
        )
        return context


class StandardChecklistsView(SchoolViewMixin, View):
    """POST: the standard checklists (收市检查, 每周自查, 四防, 清洁) for a school that has none."""

    queryset = ChecklistTemplate.objects.all()

    def post(self, request, *args, **kwargs):
        school = self.school_required()
        if not permissions.has_perm(request.user, "canteen.add_checklisttemplate", school):
            raise PermissionDenied(_("You may not add checklists."))
        made = inspections.ensure_standard_checklists(school, actor=request.user)
        if made:
            messages.success(
                request, _("%(n)s standard checklists created; edit them to fit your kitchen.") % {"n": len(made)}
            )
        return redirect(reverse("canteen:checklisttemplate_list"))


class ChecklistTemplateDetailView(ObjectDetailView):
    queryset = ChecklistTemplate.objects.select_related("school")
    template_name = "canteen/inspections/template_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template = self.object
        context.update(
            {
                "template": template,
                "items": list(template.items.filter(active=True).order_by("position", "pk")),
                "schedule": schedule_text(template),
                "may_inspect": template.active
                and permissions.has_perm(self.request.user, "canteen.add_hygieneinspection", template.school_id),
            }
        )
        return context


class ChecklistTemplateEditView(ObjectEditView):
    queryset = ChecklistTemplate.objects.all()
    form_class = ChecklistTemplateForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if not self.object.pk and not form.is_bound:
            form.initial.setdefault("frequency", Frequency.WEEKLY)
        return form

    def save(self, form):
        template = form.save()
        inspections.set_items(template, form.cleaned_data["items_text"], actor=self.request.user)
        return template


# --- inspections ------------------------------------------------------------------------------------


class HygieneInspectionListView(ObjectListView):
    """Every inspection the user may see, newest first (filters: date range, checklist, grade, failed)."""

    queryset = HygieneInspection.objects.select_related("template", "inspector")
    filterset = HygieneInspectionFilterSet
    table = HygieneInspectionTable
    export_name = "hygiene-inspections"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        context["add_url"] = (
            reverse("canteen:inspection_schedule")
            if school and permissions.has_perm(self.request.user, "canteen.add_hygieneinspection", school)
            else None
        )
        return context


class InspectView(SchoolViewMixin, TemplateView):
    """Do one inspection on one phone screen: tap pass / fail / not applicable per item (big targets),
    a note or photo where needed, save; on an error everything typed stays."""

    template_name = "canteen/inspections/inspect.html"
    queryset = ChecklistTemplate.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            school = self.school_required()
            self.template = get_object_or_404(
                ChecklistTemplate.objects.restrict(request.user, "view").filter(school=school, active=True),
                pk=kwargs["pk"],
            )
            if not permissions.has_perm(request.user, "canteen.add_hygieneinspection", school):
                raise PermissionDenied(_("You may not record hygiene inspections."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=InspectionForm(template=self.template, user=request.user))
        )

    def post(self, request, *args, **kwargs):
        form = InspectionForm(request.POST, request.FILES, template=self.template, user=request.user)
        if form.is_valid():
            try:
                inspection = inspections.record_inspection(
                    template=self.template,
                    inspector=form.cleaned_data["inspector"],
                    actor=request.user,
                    answers=form.answers(),
                    day=form.cleaned_data["date"],
                    note=form.cleaned_data["note"],
                    photos=form.photos(),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if HygieneInspection.objects.restrict(request.user, "view").filter(pk=inspection.pk).exists():
                    messages.success(
                        request,
                        _("Inspection recorded: %(score)s%%, grade %(grade)s.")
                        % {"score": inspection.score, "grade": inspection.grade},
                    )
                    return redirect(inspection.get_absolute_url())
                messages.success(request, _("Inspection recorded."))
                return redirect(reverse("canteen:inspection_schedule"))
        messages.error(request, _("Nothing was saved yet: see the marked items."))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.template.school
        context.update(
            {
                "title": self.template.name,
                "checklist": self.template,
                "choices": ItemResult.choices,
                "grade_a": rules.value(school, INSPECTION_GRADE_A),
                "grade_b": rules.value(school, INSPECTION_GRADE_B),
                "breadcrumbs": breadcrumbs_for(self.template, _("Inspect")),
            }
        )
        return context


class HygieneInspectionDetailView(ObjectDetailView):
    """The inspection: score, grade, each item's result; each failed item with its corrective action, or
    the form to open one (owner, deadline)."""

    queryset = HygieneInspection.objects.select_related("template", "inspector", "school")
    template_name = "canteen/inspections/inspection_detail.html"

    def get_context_data(self, action_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        user = self.request.user
        results = list(inspection.results.order_by("position", "pk"))
        actions = inspections.actions_of(results, user)
        may_open = permissions.has_perm(user, "canteen.rectify_hygieneinspection", inspection.school_id)
        photos = {}
        for att in Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(InspectionResult),
            object_id__in=[r.pk for r in results],
            school_id=inspection.school_id,
        ):
            photos.setdefault(att.object_id, []).append(att)
        deadline = inspections.default_deadline(inspection.school)
        rows = []
        for r in results:
            form = None
            if may_open and r.result == ItemResult.FAIL and not actions.get(r.pk):
                form = (action_forms or {}).get(r.pk) or ItemActionForm(
                    school=inspection.school, deadline=deadline, prefix=f"a{r.pk}"
                )
            rows.append(
                {
                    "result": r,
                    "colour": RESULT_COLOURS.get(r.result, "secondary"),
                    "actions": actions.get(r.pk, []),
                    "form": form,
                    "photos": photos.get(r.pk, []),
                }
            )
        context.update(
            {
                "inspection": inspection,
                "rows": rows,
                "grade_colour": GRADE_COLOURS.get(inspection.grade, "secondary"),
                "grade_a": rules.value(inspection.school, INSPECTION_GRADE_A),
                "grade_b": rules.value(inspection.school, INSPECTION_GRADE_B),
            }
        )
        return context


class ItemActionView(HygieneInspectionDetailView):
    """POST: open the corrective action of a failed item (owner, deadline, measures)."""

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        inspection = self.object
        if not permissions.has_perm(request.user, "canteen.rectify_hygieneinspection", inspection.school_id):
            raise PermissionDenied(_("You may not open corrective actions here."))
        result = get_object_or_404(InspectionResult, pk=kwargs["result"], inspection=inspection)
        form = ItemActionForm(request.POST, school=inspection.school, prefix=f"a{result.pk}")
        if form.is_valid():
            try:
                with transaction.atomic():
                    action = inspections.open_item_action(
                        result=result,
                        actor=request.user,
                        owner=form.cleaned_data["owner"],
                        deadline=form.cleaned_data["deadline"],
                        measures=form.cleaned_data["measures"],
                    )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Corrective action %(ref)s opened.") % {"ref": action.reference})
                return redirect(inspection.get_absolute_url() + f"#item-{result.pk}")
        context = self.get_context_data(action_forms={result.pk: form})
        return self.render_to_response(context, status=400)


class InspectionScheduleView(SchoolViewMixin, TemplateView):
    """This period's inspections of every checklist in use: done, due, not yet due; and this month's
    missed ones."""

    template_name = "canteen/inspections/schedule.html"
    queryset = ChecklistTemplate.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, "canteen.view_checklisttemplate", self.school_required()
        ):
            raise PermissionDenied(_("You may not see the inspection schedule."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school, user = self.request.school, self.request.user
        today = timezone.localdate()
        month_start = today.replace(day=1)
        since = today - datetime.timedelta(days=MISSED_DAYS)
        found = schedules.schedule([school], min(month_start, since), today, today)
        current, missed = {}, []
        for period in found:
            if period.start <= today <= period.end:
                current[period.template.pk] = period
            elif period.state == PeriodState.MISSED and period.end >= since:
                missed.append(period)
        templates = list(ChecklistTemplate.objects.filter(school=school, active=True).order_by("kind", "name"))
        may_inspect = permissions.has_perm(user, "canteen.add_hygieneinspection", school)
        rows = []
        for template in templates:
            period = current.get(template.pk)
            rows.append(
                {
                    "template": template,
                    "schedule": schedule_text(template),
                    "period": period,
                    "span": span(period) if period else _("no meal served today"),
                    "colour": PERIOD_COLOURS.get(period.state, "secondary") if period else "secondary",
                }
            )
        figures = {state: 0 for state in PeriodState.values}
        for period in found:
            if period.end >= month_start:
                figures[period.state] += 1
        context.update(
            {
                "title": _("Inspection schedule"),
                "rows": rows,
                "missed": [
                    (p, span(p)) for p in sorted(missed, key=lambda p: (p.start, p.template.name), reverse=True)
                ],
                "figures": [(PeriodState(s).label, figures[s], PERIOD_COLOURS[s]) for s in PeriodState.values],
                "may_inspect": may_inspect,
                "may_edit": permissions.has_perm(user, "canteen.change_checklisttemplate", school),
            }
        )
        return context


# --- duty roster ------------------------------------------------------------------------------------


class RosterView(SchoolViewMixin, TemplateView):
    """The day's duty roster by meal; the manager adds people — refused without a valid health certificate
    or off duty after the morning check (食品安全法 art. 45), the reason named and the input kept."""

    template_name = "canteen/inspections/roster.html"
    queryset = DutyAssignment.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, "canteen.view_dutyassignment", self.school_required()
        ):
            raise PermissionDenied(_("You may not see the duty roster."))
        return super().dispatch(request, *args, **kwargs)

    def day(self):
        return parse_date(self.request.GET.get("date") or self.request.POST.get("date") or "") or timezone.localdate()

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        school = self.school_required()
        if not permissions.has_perm(request.user, "canteen.add_dutyassignment", school):
            raise PermissionDenied(_("You may not change the duty roster."))
        day = self.day()
        form = DutyForm(request.POST, school=school)
        if form.is_valid():
            try:
                duty = roster.assign(
                    school=school,
                    person=form.cleaned_data["person"],
                    day=day,
                    meal=form.cleaned_data["meal"],
                    post=form.cleaned_data["post"],
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("%(duty)s added to the roster.") % {"duty": duty})
                return redirect(reverse("canteen:roster") + f"?date={day:%Y-%m-%d}")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        school, user = self.request.school, self.request.user
        day = self.day()
        visible = set(
            DutyAssignment.objects.restrict(user, "view").filter(school=school, date=day).values_list("pk", flat=True)
        )
        # health data is personal: the reason only to those who see everyone's (and to the person)
        sees_health = bool(set(permissions.roles_in(user, school.pk)) & HEALTH_READERS)
        by_meal = {}
        for duty, warning in roster.day_roster(school, day):
            if duty.pk in visible:
                if warning and not sees_health and duty.person_id != user.pk:
                    warning = _("may not work today")
                by_meal.setdefault(duty.meal, []).append((duty, warning))
        may_add = permissions.has_perm(user, "canteen.add_dutyassignment", school)
        may_withdraw = day >= timezone.localdate() and permissions.has_perm(
            user, "canteen.withdraw_dutyassignment", school
        )
        withdrawn = [d for d in roster.withdrawn_of(school, day) if d.pk in visible]
        context.update(
            {
                "title": _("Duty roster of %(day)s") % {"day": day.strftime("%Y-%m-%d")},
                "day": day,
                "previous": day - datetime.timedelta(days=1),
                "next": day + datetime.timedelta(days=1),
                "meals": [
                    (label, by_meal.get(value, []))
                    for value, label in Meal.choices
                    if by_meal.get(value) or value != Meal.SNACK
                ],
                "form": (form or DutyForm(school=school)) if may_add else None,
                "may_withdraw": may_withdraw,
                "withdrawn": withdrawn,
            }
        )
        return context


class RosterWithdrawView(SchoolViewMixin, TemplateView):
    """Withdraw a roster entry made by mistake (the canteen manager; today's or a future day's) with a
    reason: it stays on the roster's record, struck through, with who and when."""

    template_name = "canteen/inspections/roster_withdraw.html"
    queryset = DutyAssignment.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            school = self.school_required()
            self.duty = get_object_or_404(
                DutyAssignment.objects.restrict(request.user, "view").filter(school=school).select_related("person"),
                pk=kwargs["pk"],
            )
            if not permissions.has_perm(request.user, "canteen.withdraw_dutyassignment", school):
                raise PermissionDenied(_("You may not change the duty roster."))
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return reverse("canteen:roster") + f"?date={self.duty.date:%Y-%m-%d}"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=WithdrawDutyForm()))

    def post(self, request, *args, **kwargs):
        form = WithdrawDutyForm(request.POST)
        if form.is_valid():
            try:
                roster.withdraw(self.duty, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error("reason", exc.message_dict.get("reason", exc.messages))
            else:
                messages.success(
                    request, _("%(duty)s withdrawn from the roster (kept on record).") % {"duty": self.duty}
                )
                return redirect(self.back())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "title": _("Withdraw from the roster"),
                "duty": self.duty,
                "refused": roster.withdrawal_refusal(self.duty),
                "form": form,
                "back": self.back(),
            }
        )
        return context
