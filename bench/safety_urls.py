"""The safety benchmark server's URLs: the application's, plus two floors — a minimal logged-in view that
reads the first page of rounds with the ORM and returns JSON, and a minimal logged-in POST that records one
scan row (checkpoint looked up by its code, one INSERT, no checks, no history) and answers a few fields.

With ``BENCH_SCAN_AUDIT=0`` in the environment the server does not write change records for scans (the
measurement of what those records cost)."""

import json
import os
import uuid

from django.http import HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.urls import path
from django.utils import timezone
from floor import floor_view, urlpatterns_with

from logistics.accounts import permissions
from safety.models import Checkpoint, PatrolRound, PatrolScan

floor = floor_view(
    PatrolRound,
    order_by=("-planned_start", "-id"),
    fields=("id", "route_id", "guard_id", "planned_start", "status", "stops_done", "stops_total", "flagged_scans"),
    doc="Session → user → the user's school → the first 50 rounds, as JSON: the least any list costs.",
)


def scan_floor(request):
    """Session → user → school → the checkpoint by its code → one INSERT of the scan → a few fields."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    if request.method != "POST":
        return HttpResponseBadRequest()
    body = json.loads(request.body)
    school_ids = permissions.school_ids(request.user)
    checkpoint = Checkpoint.objects.filter(school_id__in=school_ids[:1], code=body["checkpoint"]).first()
    scan = PatrolScan(
        school_id=checkpoint.school_id,
        round_id=body["round"],
        checkpoint=checkpoint,
        guard=request.user,
        client_id=uuid.UUID(body["client_id"]),
        scanned_at=timezone.now(),
    )
    PatrolScan.objects.bulk_create([scan])  # no signals: no change record
    return JsonResponse({"id": scan.pk, "client_id": str(scan.client_id), "round": scan.round_id}, status=201)


if os.environ.get("BENCH_SCAN_AUDIT") == "0":
    from django.db.models.signals import post_save, pre_save

    for model in (PatrolScan,):
        uid = f"audit-{model._meta.label_lower}"
        pre_save.disconnect(sender=model, dispatch_uid=f"{uid}-pre")
        post_save.disconnect(sender=model, dispatch_uid=f"{uid}-post")

urlpatterns = [path("bench/scan-floor/", scan_floor), *urlpatterns_with(floor)]
