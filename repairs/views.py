"""Pages of the repairs app: the queue, "my jobs", filing a ticket (also from a room's QR code), the
ticket with one small form per allowed step, plans, the rota, the figures and the QR sheets."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.attachments.models import Attachment
from logistics.tenancy.models import Building, Room
from logistics.ui import links
from logistics.ui.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    SchoolViewMixin,
    latest_of,
)
from logistics.ui.widgets import FastSelect
from logistics.workflow.views import StepPageView

from . import charts, qr, services, stats
from . import figures as month_figures
from .choices import OPEN_STATUSES, TicketStatus, Trade, Urgency
from .filtersets import DutySlotFilterSet, MaintenancePlanFilterSet, TicketFilterSet
from .forms import DutySlotForm, MaintenancePlanForm, TicketForm
from .models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog
from .tables import DutySlotTable, MaintenancePlanTable, TicketTable

LIST_QUERYSET = Ticket.objects.select_related("room__building", "requester").prefetch_related(
    Prefetch(
        "assignees",
        queryset=get_user_model().objects.only("id", "username", "display_name", "first_name", "last_name"),
    )
)


class TicketListView(ObjectListView):
    """The queue: everything the user may see of the current school, newest first.

    The filter form is plain HTML in the template (the FilterSet's widgets cost more to render than
    the rows); :class:`TicketFilterSet` filters whenever one of its parameters is given.
    """

    queryset = LIST_QUERYSET
    filterset = None
    table = TicketTable
    template_name = "repairs/ticket_list.html"
    export_name = "repair-tickets"

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        params = self.request.GET
        if any(name in TicketFilterSet.base_filters for name in params):
            filterset = TicketFilterSet(params, queryset=queryset, request=self.request)
            if filterset.is_valid():
                return filterset.qs
            messages.error(self.request, _("Some filters are not valid; they were ignored."))
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # ids first: index-only count and slice
        school, user, params = self.request.school, self.request.user, self.request.GET
        filters = [
            ("status", _("status"), TicketStatus.choices),
            ("trade", _("trade"), Trade.choices),
            ("urgency", _("urgency"), Urgency.choices),
            (
                "building",
                _("building"),
                Building.objects.restrict(user, "view").in_school(school).order_by("name").values_list("pk", "name"),
            ),
        ]
        context.update(
            {
                "can_file": permissions.has_perm(user, "repairs.add_ticket", school),
                "can_work": permissions.has_perm(user, "repairs.work_ticket", school),
                "tab": "all",
                # each select rendered in one pass (FastSelect), not one template node per option
                "filters": [
                    (
                        name,
                        label,
                        FastSelect(
                            attrs={"class": "form-select form-select-sm", "id": f"f-{name}"},
                            choices=[("", "—"), *choices],
                        ).render(name, params.get(name, "")),
                    )
                    for name, label, choices in filters
                ],
                "filtered": any(name in TicketFilterSet.base_filters for name in params),
                "q": params.get("q", ""),
                "submitted_after": params.get("submitted_after", ""),
                "submitted_before": params.get("submitted_before", ""),
            }
        )
        return context


class MyJobsView(TicketListView):
    """A repair worker's jobs on the phone: assigned to them and open, then the queue of their trades."""

    title = gettext_lazy("My jobs")  # the page's heading and its breadcrumb agree

    def get_base_queryset(self):
        user = self.request.user
        mine = Ticket.assignees.through.objects.filter(user_id=user.pk).values("ticket_id")
        base = super().get_base_queryset().filter(status__in=OPEN_STATUSES)
        school = self.request.school
        trades = services.worker_trades(user, school.pk)
        queue = base.filter(status=TicketStatus.SUBMITTED, trade__in=trades)
        return base.filter(pk__in=mine) | queue

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("My jobs")
        context["tab"] = "mine"
        return context


class MyTicketsView(TicketListView):
    """The tickets the user filed."""

    title = gettext_lazy("My tickets")

    def get_base_queryset(self):
        return super().get_base_queryset().filter(requester=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("My tickets")
        context["tab"] = "filed"
        return context


class TicketCreateView(SchoolViewMixin, TemplateView):
    """File a ticket in under a minute; ``?room=`` (from the room's QR code) fills in the room."""

    queryset = Ticket.objects.all()
    template_name = "repairs/ticket_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        school = self.school_required()
        if not permissions.has_perm(request.user, "repairs.add_ticket", school):
            raise PermissionDenied(_("You may not file repair tickets in this school."))
        return super().dispatch(request, *args, **kwargs)

    def room_from_query(self):
        raw = self.request.GET.get("room") or self.kwargs.get("room")
        if not raw:
            return None
        try:
            return (
                Room.objects.restrict(self.request.user, "view")
                .in_school(self.request.school)
                .select_related("building")
                .filter(pk=int(raw))
                .first()
            )
        except (TypeError, ValueError):
            return None

    def get(self, request, *args, **kwargs):
        room = self.room_from_query()
        initial = {"room": room, "asset": request.GET.get("asset") or None}
        form = TicketForm(initial=initial, user=request.user, school=request.school)
        return self.render_to_response(self.get_context_data(form=form, scanned_room=room))

    def post(self, request, *args, **kwargs):
        form = TicketForm(request.POST, request.FILES, user=request.user, school=request.school)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.create_ticket(
                    school=request.school,
                    user=request.user,
                    room=data["room"],
                    trade=data["trade"],
                    urgency=data["urgency"],
                    description=data["description"],
                    photos=data["photos"],
                    asset=data.get("asset"),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Ticket %(ref)s was filed.") % {"ref": ticket.reference})
                return redirect(ticket)
        room = form.cleaned_data.get("room") if hasattr(form, "cleaned_data") else None
        return self.render_to_response(self.get_context_data(form=form, scanned_room=room), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Report a repair")
        return context


@login_required
def scan_room(request, pk):
    """The target of a room's QR code: the ticket form with the room filled in (login first)."""
    return redirect(f"{reverse('repairs:ticket_add')}?room={int(pk)}")


class TicketDetailView(ObjectDetailView):
    """The ticket: what happens next (the steps this user may take now, ``Ticket``'s declaration),
    then the facts, photos, checklist, time and parts."""

    queryset = Ticket.objects.select_related("room__building", "requester", "plan", "school").prefetch_related(
        "assignees", "work_logs__worker", Prefetch("parts", queryset=PartUsage.objects.select_related("reversed_by"))
    )
    template_name = "repairs/ticket_detail.html"
    #: the whole page kept 5 minutes, keyed by the ticket's, its timeline's, work logs', parts' and photos'
    #: latest times (every step saves the ticket and records an event): a change shows at once
    keep_page = 300
    #: the ticket's read (five tables, the restriction, four latest times) compiled once per user restriction
    compile_read = True
    #: a ticket with no work log, part or photo yet (most first visits) reads none of them
    empty_without_stamp = {"work_logs": "_work_logs", "parts": "_parts"}

    def page_stamp_expressions(self):
        ticket_photos = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Ticket),
            object_id=OuterRef("pk"),
            school_id=OuterRef("school_id"),
        )
        return {
            "_work_logs": latest_of(WorkLog.objects.filter(ticket=OuterRef("pk"))),
            "_parts": latest_of(PartUsage.objects.filter(ticket=OuterRef("pk"))),
            "_photos": latest_of(ticket_photos),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket = self.object
        photos = []  # none when their latest time (read with the ticket) is empty
        if getattr(ticket, "_photos", True) is not None:
            photos = Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(Ticket), object_id=ticket.pk, school_id=ticket.school_id
            )
        context.update(
            {
                "ticket": ticket,
                "photos": list(photos),
                "assignees": list(ticket.assignees.all()),
                "work_logs": list(ticket.work_logs.all()),
                "parts": list(ticket.parts.all()),
                "auto_confirm_days": services.rules.value(ticket.school, "repairs.auto_confirm_days"),
            }
        )
        return context


class TicketStepView(StepPageView):
    """``/repairs/tickets/<pk>/<step>/``: a step of ``Ticket`` (its form on GET, the step on POST)."""

    queryset = Ticket.objects.select_related("room", "school")


# --- plans and rota -------------------------------------------------------------------------------


class MaintenancePlanListView(ObjectListView):
    queryset = MaintenancePlan.objects.select_related("room")
    filterset = MaintenancePlanFilterSet
    table = MaintenancePlanTable


class MaintenancePlanDetailView(ObjectDetailView):
    queryset = MaintenancePlan.objects.select_related("room__building").prefetch_related("assignees")
    template_name = "repairs/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tickets"] = list(
            Ticket.objects.restrict(self.request.user, "view").filter(plan=self.object).order_by("-due_date")[:24]
        )
        return context


class MaintenancePlanEditView(ObjectEditView):
    queryset = MaintenancePlan.objects.all()
    form_class = MaintenancePlanForm


class MaintenancePlanDeleteView(ObjectDeleteView):
    queryset = MaintenancePlan.objects.all()


class DutySlotListView(ObjectListView):
    queryset = DutySlot.objects.select_related("worker")
    filterset = DutySlotFilterSet
    table = DutySlotTable


class DutySlotDetailView(ObjectDetailView):
    queryset = DutySlot.objects.select_related("worker")
    fields = ("trade", "weekday", "worker")


class DutySlotEditView(ObjectEditView):
    queryset = DutySlot.objects.all()
    form_class = DutySlotForm


class DutySlotDeleteView(ObjectDeleteView):
    queryset = DutySlot.objects.all()


# --- figures --------------------------------------------------------------------------------------


def period_from(request):
    """[start, end) from ``?start=&end=`` (dates), default the current term."""
    start, end = stats.term_bounds()
    try:
        if request.GET.get("start"):
            start = datetime.date.fromisoformat(request.GET["start"])
        if request.GET.get("end"):
            end = datetime.date.fromisoformat(request.GET["end"])
    except ValueError:
        pass
    return start, end


def stats_school_ids(user, school):
    """The schools whose figures the user may see: the current one, or a district officer's district."""
    if permissions.has_perm(user, "dashboard.view_district_dashboard"):
        return [sid for sid in permissions.school_ids(user) if permissions.has_perm(user, "repairs.view_stats", sid)]
    if school and permissions.has_perm(user, "repairs.view_stats", school):
        return [school.pk]
    return []


class StatsView(SchoolViewMixin, TemplateView):
    """The head's page of charts: counts by trade, building, status and month; times; parts; rooms."""

    queryset = Ticket.objects.all()
    template_name = "repairs/stats.html"

    def get_context_data(self, **kwargs):
        ids = stats_school_ids(self.request.user, self.request.school)
        if not ids:
            raise PermissionDenied
        start, end = period_from(self.request)
        figures = month_figures.figures(ids, start, end)
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "title": _("Repair figures"),
                "figures": figures,
                "start": start,
                "end": end,
                "charts": charts.configs(figures),
                "trade_rows": charts.trade_rows(figures),
                "summary": charts.summary_paragraph(figures, _("this period")),
            }
        )
        return context


# --- QR codes -------------------------------------------------------------------------------------


class RoomPostersView(SchoolViewMixin, TemplateView):
    """Where the QR posters are printed: the school's buildings and rooms, a sheet per building and a
    poster per room — and a warning when the codes would hold an address only this server can open."""

    queryset = Room.objects.select_related("building")
    template_name = "repairs/qr_posters.html"

    def get_context_data(self, **kwargs):
        school = self.school_required()
        if not permissions.has_perm(self.request.user, "repairs.view_maintenanceplan", school):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        rooms = self.restricted().in_school(school).order_by("building__name", "floor", "code", "name")
        buildings = {}
        for room in rooms[:2000]:
            buildings.setdefault(room.building, []).append(room)
        base = links.public_base(self.request)
        context.update(
            {
                "title": _("Room QR posters"),
                "buildings": list(buildings.items()),
                "public_base": base,
                "loopback": links.is_loopback(base),
            }
        )
        return context


class RoomQRSheetView(SchoolViewMixin, View):
    """A printable A4 PDF of the rooms' QR codes, building by building (``?building=`` for one)."""

    queryset = Room.objects.all()

    def get(self, request):
        school = self.school_required()
        if not permissions.has_perm(request.user, "repairs.view_maintenanceplan", school):
            raise PermissionDenied
        rooms = (
            self.restricted().in_school(school).select_related("building").order_by("building__name", "code", "name")
        )
        if request.GET.get("building"):
            building = get_object_or_404(
                Building.objects.restrict(request.user, "view").in_school(school), pk=request.GET["building"]
            )
            rooms = rooms.filter(building=building)
        pdf = qr.sheet_pdf(request, school, list(rooms[:2000]))
        return pdf_response(pdf, f"room-qr-{school.slug}.pdf")


class RoomPosterView(SchoolViewMixin, View):
    """A per-room A4 poster: "扫码报修" with the room's QR code."""

    queryset = Room.objects.select_related("building")

    def get(self, request, pk):
        school = self.school_required()
        room = get_object_or_404(self.restricted().in_school(school), pk=pk)
        return pdf_response(qr.poster_pdf(request, school, room), f"room-{room.pk}-poster.pdf")


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
