"""Pages of the patrols: checkpoints (QR posters, rotating-code sheets), routes with their schedules and
compliance, rounds, the guard's rounds on the phone and the offline round page with its service worker."""

import datetime
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui.links import absolute
from logistics.ui.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    SchoolViewMixin,
)
from logistics.workflow import guard
from logistics.workflow.views import StepPageView

from .. import qr, rounds
from ..choices import Proof, RoundStatus
from ..filtersets import CheckpointFilterSet, PatrolRoundFilterSet
from ..forms import CheckpointForm, RouteForm, ScheduleForm
from ..models import Checkpoint, PatrolRound, PatrolSchedule, Route, RouteStop
from ..tables import CheckpointTable, PatrolRoundTable

STATIC = Path(__file__).resolve().parents[1] / "static" / "safety"


# --- checkpoints -------------------------------------------------------------------------------------


class CheckpointListView(ObjectListView):
    queryset = Checkpoint.objects.select_related("room__building")
    filterset = CheckpointFilterSet
    table = CheckpointTable


class CheckpointDetailView(ObjectDetailView):
    queryset = Checkpoint.objects.select_related("room__building")
    template_name = "safety/checkpoint_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checkpoint = self.object
        url = qr.checkpoint_url(checkpoint, self.request)
        may_change = permissions.has_perm(self.request.user, "safety.change_checkpoint", checkpoint.school_id)
        context.update(
            {
                "checkpoint": checkpoint,
                "may_change": may_change,  # the tag id and the screen's link are secrets of the checkpoint
                "qr": qr.qr_data_uri(url, scale=5),
                "scan_url": url,
                "rotating": checkpoint.proof == Proof.ROTATING,
                "screen_url": (
                    absolute(
                        reverse("safety:checkpoint_screen", args=[checkpoint.pk, checkpoint.screen_key]), self.request
                    )
                    if checkpoint.proof == Proof.ROTATING and may_change
                    else None
                ),
                "routes": list(Route.objects.filter(stops__checkpoint=checkpoint).distinct().order_by("name")),
            }
        )
        return context


class CheckpointEditView(ObjectEditView):
    queryset = Checkpoint.objects.all()
    form_class = CheckpointForm


class CheckpointDeleteView(ObjectDeleteView):
    queryset = Checkpoint.objects.all()


class CheckpointPosterView(SchoolViewMixin, View):
    """The A4 poster of a checkpoint: its QR code (opened by the phone's camera records the scan)."""

    queryset = Checkpoint.objects.select_related("room__building")

    def get(self, request, pk):
        school = self.school_required()
        checkpoint = get_object_or_404(self.restricted().in_school(school), pk=pk)
        response = HttpResponse(qr.poster_pdf(request, school, checkpoint), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="checkpoint-{checkpoint.pk}.pdf"'
        return response


class CodeSheetView(SchoolViewMixin, TemplateView):
    """The printed daily sheet of a rotating checkpoint's codes (for a checkpoint without a screen);
    only for those who may change checkpoints (the sheet is the secret)."""

    queryset = Checkpoint.objects.all()
    template_name = "safety/code_sheet.html"
    action = "change"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checkpoint = get_object_or_404(self.restricted().in_school(self.school_required()), pk=self.kwargs["pk"])
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            day = timezone.localdate()
        context.update(
            {
                "checkpoint": checkpoint,
                "day": day,
                "codes": qr.daily_codes(checkpoint, day),
                "title": _("Codes of %(checkpoint)s on %(day)s") % {"checkpoint": checkpoint, "day": day.isoformat()},
            }
        )
        return context


# --- routes ------------------------------------------------------------------------------------------


class RouteListView(SchoolViewMixin, TemplateView):
    """The routes with their checkpoints and schedules; routes through a key area patrolled fewer times a
    day than the rule (GB/T 29315-2022) are shown as non-compliant."""

    queryset = Route.objects.all()
    template_name = "safety/route_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_required()
        routes = list(
            self.restricted().in_school(school).prefetch_related("stops__checkpoint", "schedules").order_by("name")
        )
        weak, minimum = rounds.non_compliant_routes(school)
        for route in routes:
            route.weak_areas = weak.get(route.pk, [])
        context.update(
            {
                "title": _("Patrol routes"),
                "routes": routes,
                "minimum": minimum,
                "lonely": weak.get(None, []),
                "can_add": permissions.has_perm(self.request.user, "safety.add_route", school),
                "can_add_schedule": permissions.has_perm(self.request.user, "safety.add_patrolschedule", school),
            }
        )
        return context


class RouteDetailView(ObjectDetailView):
    queryset = Route.objects.select_related("supervisor")
    template_name = "safety/route_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        route = self.object
        weak, minimum = rounds.non_compliant_routes(route.school)
        context.update(
            {
                "route": route,
                "stops": list(RouteStop.objects.filter(route=route).select_related("checkpoint").order_by("position")),
                "schedules": list(
                    PatrolSchedule.objects.filter(route=route).select_related("guard").order_by("start_time")
                ),
                "weak_areas": weak.get(route.pk, []),
                "minimum": minimum,
                "can_add_schedule": permissions.has_perm(
                    self.request.user, "safety.add_patrolschedule", route.school_id
                ),
                "recent": list(
                    PatrolRound.objects.restrict(self.request.user, "view")
                    .filter(route=route)
                    .select_related("guard")
                    .order_by("-planned_start")[:10]
                ),
            }
        )
        return context


class RouteEditView(ObjectEditView):
    queryset = Route.objects.all()
    form_class = RouteForm
    template_name = "safety/route_form.html"


class ScheduleEditView(ObjectEditView):
    queryset = PatrolSchedule.objects.all()
    form_class = ScheduleForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        route = self.request.GET.get("route")
        if route and not self.object.pk and data is None:
            form.initial["route"] = route
        return form

    def get_success_url(self, obj):
        return obj.route.get_absolute_url()


# --- rounds ------------------------------------------------------------------------------------------


class PatrolRoundListView(ObjectListView):
    queryset = PatrolRound.objects.select_related("route", "guard")
    filterset = PatrolRoundFilterSet
    table = PatrolRoundTable
    export_name = "patrol-rounds"


class PatrolRoundDetailView(ObjectDetailView):
    queryset = PatrolRound.objects.select_related("route", "guard", "explained_by")
    template_name = "safety/patrolround_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.object
        scans = list(round_.scans.select_related("checkpoint", "guard").order_by("position"))
        scanned = {s.checkpoint_id for s in scans if s.code_valid}  # a wrong code proves nothing
        stops = list(
            RouteStop.objects.filter(route_id=round_.route_id).select_related("checkpoint").order_by("position")
        )
        context.update(
            {
                "round": round_,
                "scans": scans,
                "missing": [s.checkpoint for s in stops if s.checkpoint_id not in scanned]
                if round_.status not in (RoundStatus.SCHEDULED, RoundStatus.IN_PROGRESS)
                else [],
                "can_walk": round_.status in (RoundStatus.SCHEDULED, RoundStatus.IN_PROGRESS)
                and guard.may(self.request.user, round_, guard.get_step(PatrolRound, "start")),
            }
        )
        return context


class PatrolRoundStepView(StepPageView):
    queryset = PatrolRound.objects.select_related("route", "school")


class MyRoundsView(SchoolViewMixin, TemplateView):
    """The guard's phone: today's rounds (theirs or unassigned), the next first."""

    queryset = PatrolRound.objects.all()
    template_name = "safety/my_rounds.html"
    action = "patrol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_required()
        now = timezone.now()
        start = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(), datetime.time())
        ) - datetime.timedelta(hours=6)
        rounds_ = list(
            self.restricted()
            .in_school(school)
            .filter(planned_start__gte=start, planned_start__lte=now + datetime.timedelta(hours=18))
            .select_related("route")
            .order_by("planned_start", "pk")
        )
        context.update({"title": _("My patrol"), "rounds": rounds_, "now": now})
        return context


class WalkView(SchoolViewMixin, TemplateView):
    """The round page on the guard's phone; works offline (service worker, scans queued on the phone)."""

    queryset = PatrolRound.objects.select_related("route")
    template_name = "safety/walk.html"
    action = "patrol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = get_object_or_404(self.restricted().in_school(self.school_required()), pk=self.kwargs["pk"])
        stops = list(
            RouteStop.objects.filter(route_id=round_.route_id).select_related("checkpoint").order_by("position")
        )
        scanned = set(round_.scans.filter(code_valid=True).values_list("checkpoint_id", flat=True))
        context.update(
            {
                "round": round_,
                "title": str(round_),
                "walk": {
                    "round": round_.pk,
                    "status": round_.status,
                    "api": reverse("safety-scan-list"),
                    "stops": [
                        {
                            "code": s.checkpoint.code,
                            "name": s.checkpoint.name,
                            "position": s.position,
                            "proof": s.checkpoint.proof,
                            "done": s.checkpoint_id in scanned,
                        }
                        for s in stops
                    ],
                },
            }
        )
        return context


class ScanShellView(TemplateView):
    """``/safety/c/<code>/`` — the address in a checkpoint's QR poster. Opened with the phone's camera
    it records the scan from the page (the service worker serves this page offline and queues it)."""

    template_name = "safety/scan.html"

    def dispatch(self, request, *args, **kwargs):
        return login_required(super().dispatch)(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Checkpoint scan")
        return context


@require_GET
def service_worker(request):
    """The service worker, served from ``/safety/`` so that it controls the safety pages."""
    response = HttpResponse((STATIC / "sw.js").read_text(encoding="utf-8"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/safety/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    import json

    body = {
        "name": _("Houqin patrol"),
        "short_name": _("Patrol"),
        "start_url": reverse("safety:my_rounds"),
        "scope": "/safety/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [{"src": static("safety/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


# --- the live rotating-code screen at a checkpoint ----------------------------------------------------


class CheckpointScreenView(TemplateView):
    """``/safety/screen/<id>/<key>/`` — the page a cheap tablet at a rotating checkpoint shows all day: the
    current code as digits and as a QR (the checkpoint's address with ``?c=<code>``), reloading itself when
    the slot changes. No login: the per-checkpoint key in the link is the only secret. Whoever has the
    link can read the codes from anywhere — which makes the checkpoint no stronger than a printed code —
    so the link is shown only to those who may change checkpoints, and a new link (the old one stops at
    once) is one button away (docs/safety.md)."""

    template_name = "safety/checkpoint_screen.html"

    def get(self, request, pk, key):
        import hmac

        checkpoint = Checkpoint.objects.select_related("school").filter(pk=pk, active=True).first()
        if (
            checkpoint is None
            or checkpoint.proof != Proof.ROTATING
            or not hmac.compare_digest(str(key), checkpoint.screen_key)
        ):
            raise Http404
        now = timezone.now()
        slot = checkpoint.slot_of(now)
        seconds = max(1, checkpoint.rotation_minutes) * 60
        changes_at = datetime.datetime.fromtimestamp((slot + 1) * seconds, tz=datetime.UTC)
        code = checkpoint.code_for_slot(slot)
        url = f"{qr.checkpoint_url(checkpoint, request)}?c={code}"
        response = self.render_to_response(
            {
                "checkpoint": checkpoint,
                "school": checkpoint.school,
                "code": code,
                "qr": qr.qr_data_uri(url, scale=10),
                "changes_at": timezone.localtime(changes_at),
                "refresh": int((changes_at - now).total_seconds()) + 1,
            }
        )
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


@login_required
def new_screen_link(request, pk):
    """A new secret link for the checkpoint's screen: the old link stops working at once (recorded)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from logistics.audit.recorder import record_event

    from ..models.patrols import new_screen_key

    if request.method != "POST":
        raise Http404
    checkpoint = get_object_or_404(Checkpoint.objects.restrict(request.user, "change"), pk=pk)
    checkpoint.screen_key = new_screen_key()
    checkpoint.save(update_fields=["screen_key", "updated"])
    record_event(checkpoint, "checkpoint.screen_link", _("A new screen link was made; the old one no longer works."))
    messages.success(request, _("A new screen link was made; the old one no longer works."))
    return redirect(checkpoint.get_absolute_url())
