"""Stock-take pages (清查盘点): start, scan room by room on a phone, explain, submit, approve."""

import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.tenancy.models import Room
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView
from logistics.workflow import StepNotAllowed, guard
from logistics.workflow.views import StepPageView

from .. import services
from ..choices import LineResult, StockTakeStatus
from ..filtersets import StockTakeFilterSet, StockTakeLineFilterSet
from ..forms import ExplainForm, ScanForm, StockTakeForm, UnledgeredForm
from ..models import Asset, Category, StockTake, StockTakeLine
from ..tables import StockTakeLineTable, StockTakeTable
from .ledger import SCAN_SESSION_KEY

DIFFERENCES = (LineResult.MISSING, LineResult.WRONG_ROOM, LineResult.NOT_IN_LEDGER)


def error_text(exc):
    """The readable text of a refused scan or explanation (shown on the phone page)."""
    if isinstance(exc, StepNotAllowed):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class StockTakeListView(ObjectListView):
    queryset = StockTake.objects.all()
    filterset = StockTakeFilterSet
    table = StockTakeTable


class StockTakeStartView(ObjectEditView):
    queryset = StockTake.objects.all()
    form_class = StockTakeForm

    def save(self, form):
        data = form.cleaned_data
        return services.start_stocktake(
            school=self.object.school,
            user=self.request.user,
            name=data["name"],
            rooms=data["rooms"],
            whole_school=data["whole_school"],
            notes=data["notes"],
        )

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("assets:stocktake_add")


class StockTakeDetailView(ObjectDetailView):
    queryset = StockTake.objects.all()
    template_name = "assets/stocktake_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stocktake, user = self.object, self.request.user
        school_id = stocktake.school_id
        diffs = (
            StockTakeLine.objects.filter(stocktake=stocktake, result__in=DIFFERENCES)
            .select_related("asset", "expected_room__building", "found_room__building", "item_category")
            .order_by("result", "pk")
        )
        allowed = {spec.name for spec in guard.allowed_steps(user, stocktake)}  # one query
        context.update(
            {
                "progress": services.progress(stocktake),
                "differences": list(diffs[:200]),
                "difference_count": diffs.count(),
                "unexplained": diffs.filter(explanation="").count(),
                "can_scan": "scan" in allowed,
                "can_explain": "explain" in allowed,
                "rooms": rooms_of(stocktake),
                "categories": list(Category.objects.filter(school_id=school_id)),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


def rooms_of(stocktake):
    """Rooms of the stock-take with expected and seen counts (one query)."""
    if stocktake.whole_school:
        rooms = Room.objects.filter(school_id=stocktake.school_id)
    else:
        rooms = stocktake.rooms.all()
    rooms = rooms.select_related("building")
    counts = {}
    for room_id, result, n in (
        StockTakeLine.objects.filter(stocktake=stocktake, listed=True)
        .values_list("expected_room_id", "result")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        entry = counts.setdefault(room_id, {"expected": 0, "seen": 0})
        entry["expected"] += n
        if result in services.stocktake.SEEN:
            entry["seen"] += n
    result = []
    for room in rooms.order_by("building__name", "code", "name"):
        entry = counts.get(room.pk, {"expected": 0, "seen": 0})
        result.append({"room": room, **entry})
    return result


class StockTakeLineListView(ObjectListView):
    """Every line of one stock-take (found, missing, wrong room, not in the ledger), exportable."""

    queryset = StockTakeLine.objects.select_related(
        "asset", "expected_room__building", "found_room__building", "scanned_by"
    )
    filterset = StockTakeLineFilterSet
    table = StockTakeLineTable

    def get_base_queryset(self):
        stocktake = get_object_or_404(
            StockTake.objects.restrict(self.request.user, "view").in_school(self.school_required()),
            pk=self.kwargs["pk"],
        )
        self.stocktake = stocktake
        self.title = f"{stocktake} · {_('lines')}"
        return self.queryset.filter(stocktake=stocktake)


def _stocktake(request, pk, action="view"):
    return get_object_or_404(StockTake.objects.restrict(request.user, action), pk=pk)


ASSET_URL = re.compile(r"/assets/(?:l/(?P<code>[^/?#]+)|assets/(?P<pk>\d+))/?")


def find_asset(stocktake, text, user):
    """The asset a scan names: its code, or its label's address (``…/assets/l/<code>/``)."""
    text = (text or "").strip()
    match = ASSET_URL.search(text)
    queryset = Asset.objects.filter(school_id=stocktake.school_id)
    if match and match.group("pk"):
        return queryset.filter(pk=int(match.group("pk"))).first()
    code = match.group("code") if match else text
    from urllib.parse import unquote

    return queryset.filter(code=unquote(code)).first() if code else None


@login_required
def scan_page(request, pk):
    """The phone page: choose a room, then scan labels (or tick assets) one after another."""
    stocktake = _stocktake(request, pk, "scan")
    room_id = request.GET.get("room") or (request.session.get(SCAN_SESSION_KEY) or {}).get("room")
    room = None
    if room_id:
        room = Room.objects.filter(pk=room_id, school_id=stocktake.school_id).select_related("building").first()
    if room is not None:
        request.session[SCAN_SESSION_KEY] = {"stocktake": stocktake.pk, "room": room.pk}
    context = {
        "stocktake": stocktake,
        "room": room,
        "title": _("Scan · %(stocktake)s") % {"stocktake": stocktake},
        "scan_form": ScanForm(),
        "unledgered_form": UnledgeredForm(user=request.user, school=stocktake.school),
        "rooms": rooms_of(stocktake) if room is None else [],
        "open": stocktake.status == StockTakeStatus.IN_PROGRESS,
    }
    if room is not None:
        context.update(room_lines(stocktake, room))
    return render(request, "assets/stocktake_scan.html", context)


def room_lines(stocktake, room):
    """The lines of one room: its listed assets (seen or not) and whatever else was found there. "Seen" counts
    only the room's own listed assets, so an asset from elsewhere never makes the room look complete."""
    lines = list(
        StockTakeLine.objects.filter(stocktake=stocktake)
        .filter(Q(expected_room=room, listed=True) | Q(found_room=room))
        .select_related("asset", "expected_room__building", "found_room__building")
        .order_by("asset__code", "pk")
    )
    own = [line for line in lines if line.listed and line.expected_room_id == room.pk]
    seen = sum(1 for line in own if line.result in services.stocktake.SEEN)
    own_ids = {line.pk for line in own}
    extra = sum(1 for line in lines if line.found_room_id == room.pk and line.pk not in own_ids)
    return {"lines": lines, "room_seen": seen, "room_expected": len(own), "room_extra": extra}


@login_required
@require_POST
def scan_post(request, pk):
    """Record one scan (a label's code or address, or a tick of an asset id)."""
    stocktake = _stocktake(request, pk, "scan")
    state = request.session.get(SCAN_SESSION_KEY) or {}
    room_id = request.POST.get("room") or state.get("room")
    room = Room.objects.filter(pk=room_id, school_id=stocktake.school_id).select_related("building").first()
    if "asset" in request.POST:
        asset = Asset.objects.filter(pk=request.POST.get("asset") or 0, school_id=stocktake.school_id).first()
    else:
        asset = find_asset(stocktake, request.POST.get("code"), request.user)
    condition = request.POST.get("condition", "")
    error = None
    line = None
    if room is None:
        error = _("Choose the room you are in first.")
    elif asset is None:
        error = _("No asset with this code in this school. Add it as “not in the ledger” if it is here.")
    else:
        try:
            line = services.scan(stocktake=stocktake, user=request.user, asset=asset, room=room, condition=condition)
        except (ValidationError, StepNotAllowed, PermissionDenied) as exc:
            error = error_text(exc)
    next_url = request.POST.get("next", "")
    if request.htmx:
        context = {"stocktake": stocktake, "room": room, "error": error, "scanned": line, "open": True}
        if room is not None:
            context.update(room_lines(stocktake, room))
        return render(request, "assets/_scan_room.html", context)
    if error:
        messages.error(request, error)
    elif line is not None:
        if line.result == LineResult.WRONG_ROOM:
            ledger_room = Room.objects.select_related("building").filter(pk=line.expected_room_id).first()
            messages.warning(
                request,
                _("%(asset)s recorded — but the ledger has it in %(room)s.")
                % {"asset": asset, "room": ledger_room or _("no room")},
            )
        else:
            messages.success(request, _("%(asset)s recorded as found.") % {"asset": asset})
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect(reverse("assets:stocktake_scan", args=[stocktake.pk]) + (f"?room={room.pk}" if room else ""))


@login_required
@require_POST
def unscan_post(request, pk, line_pk):
    stocktake = _stocktake(request, pk, "scan")
    line = get_object_or_404(StockTakeLine, pk=line_pk, stocktake=stocktake)
    try:
        services.unscan(stocktake=stocktake, user=request.user, line=line)
    except (ValidationError, StepNotAllowed, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    room = (request.session.get(SCAN_SESSION_KEY) or {}).get("room")
    return redirect(reverse("assets:stocktake_scan", args=[stocktake.pk]) + (f"?room={room}" if room else ""))


@login_required
@require_POST
def unledgered_post(request, pk):
    stocktake = _stocktake(request, pk, "scan")
    state = request.session.get(SCAN_SESSION_KEY) or {}
    room = Room.objects.filter(pk=request.POST.get("room") or state.get("room"), school_id=stocktake.school_id).first()
    form = UnledgeredForm(request.POST, user=request.user, school=stocktake.school)
    if room is None:
        messages.error(request, _("Choose the room you are in first."))
    elif not form.is_valid():
        messages.error(request, _("Name the item."))
    else:
        try:
            services.add_unledgered(stocktake=stocktake, user=request.user, room=room, **form.cleaned_data)
        except (ValidationError, StepNotAllowed, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Item not in the ledger recorded."))
    return redirect(reverse("assets:stocktake_scan", args=[stocktake.pk]) + (f"?room={room.pk}" if room else ""))


@login_required
@require_POST
def explain_post(request, pk, line_pk):
    stocktake = _stocktake(request, pk, "change")
    line = get_object_or_404(StockTakeLine, pk=line_pk, stocktake=stocktake)
    form = ExplainForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an explanation."))
        return redirect(stocktake.get_absolute_url())
    item = {}
    if line.result == LineResult.NOT_IN_LEDGER:
        item["item_category"] = Category.objects.filter(
            pk=request.POST.get("item_category") or 0, school_id=stocktake.school_id
        ).first()
        value = request.POST.get("item_value")
        if value:
            try:
                item["item_value"] = Decimal(value)
            except ArithmeticError:
                pass
    try:
        services.explain(
            stocktake=stocktake, user=request.user, line=line, explanation=form.cleaned_data["explanation"], **item
        )
    except (ValidationError, StepNotAllowed, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        line.refresh_from_db()
    if request.htmx:
        return render(
            request, "assets/_difference_row.html", {"line": line, "stocktake": stocktake, "can_explain": True}
        )
    return redirect(stocktake.get_absolute_url() + "#differences")


class StockTakeStepView(StepPageView):
    """Submit, reopen, approve, cancel — declared on ``StockTake``. Submitting ends the scanning
    session of the person who submits."""

    queryset = StockTake.objects.all()

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if self.spec.name == "submit" and response.status_code == 302:
            request.session.pop(SCAN_SESSION_KEY, None)
        return response
