"""Pages of the safety inspections: the equipment register with its QR labels, the checklists, the page of
what is due, the inspection on the phone (scan a label or choose), the inspections; education events and
drills."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.corrective.photos import photos_of
from logistics.ui.links import absolute
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin

from .. import drills, inspections, qr
from ..checklists import DEFAULTS
from ..choices import DAILY_CHECK_KINDS, DUE_COLOURS, EquipmentKind
from ..filtersets import EquipmentFilterSet, InspectionFilterSet, SafetyEventFilterSet
from ..forms import ChecklistForm, EquipmentForm, InspectionForm, SafetyEventForm
from ..models import Checklist, Equipment, Hazard, Inspection, SafetyEvent
from ..tables import EquipmentTable, InspectionTable, SafetyEventTable

MAX_LABELS = 2400


def equipment_url(equipment, request=None):
    """What an equipment label holds: opened with the phone's camera it starts an inspection."""
    if equipment.asset_id:
        return absolute(reverse("assets:asset_label", args=[equipment.asset.code]), request)
    return absolute(reverse("safety:equipment_code", args=[equipment.code]), request)


# --- the register ------------------------------------------------------------------------------------


class EquipmentListView(ObjectListView):
    queryset = Equipment.objects.select_related("room__building")
    filterset = EquipmentFilterSet
    table = EquipmentTable
    template_name = "safety/equipment_list.html"


class EquipmentDetailView(ObjectDetailView):
    queryset = Equipment.objects.select_related("room__building", "asset")
    template_name = "safety/equipment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        equipment = self.object
        school = equipment.school
        by_kind = inspections.intervals(school)
        interval = inspections.interval_of(equipment, by_kind)
        next_due = equipment.next_due(interval)
        state = inspections.due_state(next_due)
        url = equipment_url(equipment, self.request)
        context.update(
            {
                "equipment": equipment,
                "interval": interval,
                "next_due": next_due,
                "due_state": state,
                "due_colour": DUE_COLOURS[state],
                "qr": qr.qr_data_uri(url, scale=5),
                "label_url": url,
                "checklist": inspections.checklist_for(school, equipment.kind),
                "can_inspect": permissions.has_perm(self.request.user, "safety.add_inspection", school.pk),
                "recent": list(
                    Inspection.objects.restrict(self.request.user, "view")
                    .filter(school=school, equipment=equipment)
                    .select_related("inspector")
                    .order_by("-inspected_at")[:10]
                ),
            }
        )
        return context


class EquipmentEditView(ObjectEditView):
    queryset = Equipment.objects.all()
    form_class = EquipmentForm


@login_required
def equipment_labels(request):
    """The QR labels of the equipment (A4 sheet, the asset labels' layout): ``?ids=1,2`` or the list's
    filters. Equipment on the asset ledger keeps its asset label — the sheet leaves it out and says so."""
    from weasyprint import HTML

    school = request.school
    if school is None:
        raise PermissionDenied(_("You are not a member of any school."))
    queryset = Equipment.objects.restrict(request.user, "view").in_school(school)
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.strip().isdigit()]
    if ids:
        queryset = queryset.filter(pk__in=ids)
    else:
        params = request.GET.copy()
        for key in ("ids", "page", "sort", "export"):
            params.pop(key, None)
        queryset = EquipmentFilterSet(params, queryset=queryset, request=request).qs
    rows = list(queryset.select_related("room__building").order_by("kind", "number")[:MAX_LABELS])
    own = [e for e in rows if not e.asset_id]
    columns, per_row = 3, 8
    labels = [{"equipment": e, "qr": qr.qr_data_uri(equipment_url(e, request), scale=4), "place": e.place} for e in own]
    per_page = columns * per_row
    grid = []
    for start in range(0, max(len(labels), 1), per_page):
        cells = labels[start : start + per_page]
        cells += [None] * (per_page - len(cells))
        grid.append([cells[r * columns : (r + 1) * columns] for r in range(per_row)])
    html = render_to_string(
        "safety/equipment_labels_pdf.html",
        {
            "pages": grid,
            "school": school,
            "title": _("Equipment labels"),
            "on_assets": len(rows) - len(own),
            "cell_width": round(190 / columns, 2),
            "cell_height": round(270 / per_row, 2),
            "qr_size": 22,
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="equipment-labels.pdf"'
    return response


def equipment_by_code(request, code):
    """An equipment label's QR code opens ``/safety/e/<code>/``: the inspection page of that piece (or its
    page, for those who only look)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    found = Equipment.objects.restrict(request.user, "view").filter(code=code)
    equipment = (found.filter(school=request.school).first() if request.school else None) or found.first()
    if equipment is None:
        raise Http404
    if permissions.has_perm(request.user, "safety.add_inspection", equipment.school_id):
        return redirect(f"{reverse('safety:inspection_add')}?equipment={equipment.pk}")
    return redirect(equipment.get_absolute_url())


# --- checklists --------------------------------------------------------------------------------------


class ChecklistListView(SchoolViewMixin, TemplateView):
    """Each kind's checklist: the school's own, or the built-in one."""

    queryset = Checklist.objects.all()
    template_name = "safety/checklist_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_required()
        own = {c.kind: c for c in self.restricted().in_school(school)}
        context.update(
            {
                "title": _("Checklists"),
                "kinds": [
                    {
                        "label": label,
                        "own": own.get(kind),
                        "items": own[kind].item_list() if kind in own else [str(i) for i in DEFAULTS[kind]],
                        "kind": kind,
                    }
                    for kind, label in EquipmentKind.choices
                ],
                "can_add": permissions.has_perm(self.request.user, "safety.add_checklist", school),
            }
        )
        return context


class ChecklistEditView(ObjectEditView):
    queryset = Checklist.objects.all()
    form_class = ChecklistForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        kind = self.request.GET.get("kind")
        if not self.object.pk and data is None and kind in EquipmentKind.values:
            form.initial.update({"kind": kind, "items": "\n".join(str(i) for i in DEFAULTS[kind])})
        return form

    def get_success_url(self, obj):
        return reverse("safety:checklist_list")


# --- what is due -------------------------------------------------------------------------------------


class InspectionDueView(SchoolViewMixin, TemplateView):
    """What is due today or overdue (and the refill / service dates coming up), daily checks first: the
    dormitories and CCTV points of today, then the equipment."""

    queryset = Equipment.objects.all()
    template_name = "safety/inspection_due.html"
    action = "view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_required()
        today = timezone.localdate()
        rows = list(inspections.due_queryset(school, today).select_related("room__building")[:500])
        for row in rows:
            row.state = inspections.due_state(row.next_due, today)
            row.colour = DUE_COLOURS[row.state]
        daily = [r for r in rows if r.kind in DAILY_CHECK_KINDS]
        equipment = [r for r in rows if r.kind not in DAILY_CHECK_KINDS]
        context.update(
            {
                "title": _("Inspections due"),
                "today": today,
                "daily": daily,
                "equipment": equipment,
                "expiring": list(inspections.expiring_queryset(school, today).select_related("room__building")[:200]),
                "can_inspect": permissions.has_perm(self.request.user, "safety.add_inspection", school),
            }
        )
        return context


# --- the inspection on the phone ---------------------------------------------------------------------


class InspectionCreateView(SchoolViewMixin, TemplateView):
    """Scan a label (the in-page scanner), type its number or choose it; then each checklist item OK or
    fault, a note, a photo. A fault raises a hazard; the page says which."""

    queryset = Equipment.objects.all()
    template_name = "safety/inspection_form.html"
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.school:
            if not permissions.has_perm(request.user, "safety.add_inspection", request.school):
                raise PermissionDenied(_("You may not record inspections in this school."))
        return super().dispatch(request, *args, **kwargs)

    def equipment(self):
        school = self.school_required()
        choices = self.restricted().in_school(school).filter(active=True)
        pk = self.request.POST.get("equipment") or self.request.GET.get("equipment")
        if pk and str(pk).isdigit():
            return choices.select_related("room__building").filter(pk=pk).first()
        code = self.request.GET.get("code")
        if code:
            found = inspections.find_by_code(school, code)
            if found is not None and choices.filter(pk=found.pk).exists():
                return found
            self.not_found = code
        return None

    def get_context_data(self, form=None, equipment=None, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_required()
        context.update({"title": _("Inspect"), "equipment": equipment, "not_found": getattr(self, "not_found", "")})
        if equipment is not None:
            items = inspections.checklist_for(school, equipment.kind)
            context["form"] = form or InspectionForm(items=items, initial={"client_id": uuid.uuid4()})
            context["title"] = _("Inspect %(equipment)s") % {"equipment": equipment}
        else:
            context["choices"] = list(
                inspections.annotate_due(self.restricted().in_school(school).filter(active=True), school)
                .order_by("next_due", "kind", "number")
                .values("pk", "number", "name", "next_due")[:300]
            )
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(equipment=self.equipment()))

    def post(self, request, *args, **kwargs):
        equipment = self.equipment()
        if equipment is None:
            raise Http404
        items = inspections.checklist_for(equipment.school, equipment.kind)
        form = InspectionForm(request.POST, request.FILES, items=items)
        if form.is_valid():
            try:
                inspection, created = inspections.record_inspection(
                    user=request.user,
                    equipment=equipment,
                    results=form.results(),
                    note=form.cleaned_data["note"],
                    photo=form.cleaned_data.get("photo"),
                    client_id=form.cleaned_data["client_id"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if inspection.failed_items:
                    messages.warning(
                        request,
                        _("Inspection recorded: %(n)s fault(s), each reported as a hazard.")
                        % {"n": inspection.failed_items},
                    )
                else:
                    messages.success(request, _("Inspection recorded: all items OK."))
                return redirect(inspection.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, equipment=equipment), status=400)


class InspectionListView(ObjectListView):
    queryset = Inspection.objects.select_related("equipment", "inspector")
    filterset = InspectionFilterSet
    table = InspectionTable
    template_name = "safety/inspection_list.html"


class InspectionDetailView(ObjectDetailView):
    queryset = Inspection.objects.select_related("equipment__room__building", "inspector")
    template_name = "safety/inspection_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        items = inspections.hazards_of(inspection)
        visible = set(
            Hazard.objects.restrict(self.request.user, "view")
            .filter(school_id=inspection.school_id, pk__in=[i.hazard_id for i in items if i.hazard_id])
            .values_list("pk", flat=True)
        )
        context.update(
            {
                "inspection": inspection,
                "items": items,
                "visible_hazards": visible,
                "photos": photos_of(inspection),
            }
        )
        return context


# --- education events and drills ---------------------------------------------------------------------


class SafetyEventListView(ObjectListView):
    queryset = SafetyEvent.objects.select_related("organiser")
    filterset = SafetyEventFilterSet
    table = SafetyEventTable
    template_name = "safety/safetyevent_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["term"] = drills.term_status(self.school_required())
        return context


class SafetyEventDetailView(ObjectDetailView):
    queryset = SafetyEvent.objects.select_related("organiser").prefetch_related("classes")
    template_name = "safety/safetyevent_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context.update(
            {
                "event": event,
                "photos": photos_of(event),
                "problems": drills.problems_with_hazards(event, self.request.user),
                "can_report": permissions.has_perm(self.request.user, "safety.add_hazard", event.school_id),
            }
        )
        return context


class SafetyEventEditView(ObjectEditView):
    queryset = SafetyEvent.objects.all()
    form_class = SafetyEventForm

    def save(self, form):
        event = form.save()
        photo = form.cleaned_data.get("photo")
        if photo:
            drills.add_photo(event, photo, self.request.user)
        return event


@login_required
def event_problem_hazard(request, pk, index):
    """Open a hazard from problem ``index`` of an event (once: a second press shows the same hazard)."""
    if request.method != "POST":
        raise Http404
    event = get_object_or_404(SafetyEvent.objects.restrict(request.user, "view"), pk=pk)
    try:
        hazard = drills.open_problem_hazard(event, index, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(event.get_absolute_url())
    messages.success(request, _("Hazard %(reference)s opened.") % {"reference": hazard.reference})
    return redirect(hazard.get_absolute_url())
